export {
  METRICS_ERROR_CODES,
  ORION_ERR_METRICS_EXPORT_FAILED,
  ORION_ERR_METRICS_EXPORTER_CLOSED,
  ORION_ERR_METRICS_INVALID_BUCKETS,
  ORION_ERR_METRICS_INVALID_MATCHER,
  ORION_ERR_METRICS_INVALID_NAME,
  ORION_ERR_METRICS_INVALID_OPTIONS,
  ORION_ERR_METRICS_INVALID_QUERY,
  ORION_ERR_METRICS_INVALID_SNAPSHOT,
  ORION_ERR_METRICS_INVALID_TAG_SPECIFIER,
  ORION_ERR_METRICS_KIND_CONFLICT,
} from './error-codes.js';
export type { Counter } from './counter.js';
export type { Gauge, GaugeImportMode } from './gauge.js';
export type { Histogram } from './histogram.js';
export { DEFAULT_HISTOGRAM_BUCKETS, SUPPORTED_QUANTILES } from './histogram-defaults.js';
export type { HistogramBins } from './histogram-bins.js';
export { binKeyOf, binLowerBound, binWidth } from './histogram-bins.js';
export { histogramStatistics } from './histogram-statistics.js';
export type { HistogramStatistics } from './histogram-statistics.js';
export { createStatsStore } from './stats-store.js';
export type { HistogramBucketSetting, HistogramOptions, StatsScope, StatsStore, StatsStoreOptions } from './stats-store.js';
export { compileStatNameMatcher, compileStatsMatcher } from './stats-matcher.js';
export type { CompiledStatNameMatcher, StatNameMatcher, StatsMatcher } from './stats-matcher.js';
export { sanitizeStatName } from './stat-name.js';
export { STATS_SNAPSHOT_VERSION, emptySnapshot, parseStatsSnapshot } from './stats-snapshot.js';
export type { CounterSnapshot, GaugeSnapshot, HistogramSnapshot, StatsOrigin, StatsSnapshot } from './stats-snapshot.js';
export { aggregateSnapshots } from './aggregate-snapshots.js';
export { TAG_NAMES } from './tag-names.js';
export type { Tag } from './tag-extractor.js';
export { createTagProducer, defaultTagProducer } from './tag-producer.js';
export type { TagProducer, TagProducerOptions, TagSpecifier, TaggedStatName } from './tag-producer.js';
export { compileStatsFilter } from './stats-filter.js';
export type { StatsFilter } from './stats-filter.js';
export { parseStatsParams } from './stats-params.js';
export type { HistogramBucketsMode, ParseStatsParamsOptions, StatsFormat, StatsParams, StatsType } from './stats-params.js';
export type { StatsRenderOptions } from './stats-render-options.js';
export { renderStatsText } from './render-stats-text.js';
export { renderStatsJson } from './render-stats-json.js';
export { prometheusMetricName, renderPrometheus, sanitizePrometheusName } from './render-prometheus.js';
export type { PrometheusRenderOptions } from './render-prometheus.js';
export { renderStats } from './render-stats.js';
export type { RenderStatsOptions, RenderedStats } from './render-stats.js';
export { DEFAULT_STATS_FLUSH_INTERVAL_MS } from './stats-flush-interval.js';
export { noopMetricsLogger } from './metrics-logger.js';
export type { MetricsLogger } from './metrics-logger.js';
