/**
 * Envoy's default `stats_flush_interval` (5 s): how often workers merge histograms and send their snapshots, and how
 * often the OTLP exporter pushes.
 */
export const DEFAULT_STATS_FLUSH_INTERVAL_MS = 5000;
