// The `@orion/metrics/otlp` entry: the OTLP stats exporter, for the primary process only. It is kept apart from the
// main entry so that workers, which only record, never load OpenTelemetry and gRPC.
export { createOtlpMetricsConverter, hrTime } from './otlp-metrics.js';
export type { OtlpConversionOptions, OtlpMetricsConverter } from './otlp-metrics.js';
export { createOtlpStatsExporter } from './otlp-stats-exporter.js';
export type { OtlpStatsExporter, OtlpStatsExporterOptions } from './otlp-stats-exporter.js';
