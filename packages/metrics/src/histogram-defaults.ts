/**
 * Envoy's default histogram bucket bounds (`HistogramSettingsImpl::defaultBuckets`), used for Prometheus `le`
 * buckets, `histogram_buckets=cumulative|disjoint` and OTLP explicit bounds unless a histogram names its own.
 */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
]);

/** The quantiles Envoy computes for every histogram (`HistogramStatisticsImpl::supportedQuantiles`): P0 … P100. */
export const SUPPORTED_QUANTILES: readonly number[] = Object.freeze([0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1]);
