/** A stat name was empty (Envoy has no nameless stats). */
export const ORION_ERR_METRICS_INVALID_NAME = 'ORION_ERR_METRICS_INVALID_NAME';
/** A name already registered as another kind of stat, or with another gauge import mode or histogram buckets. */
export const ORION_ERR_METRICS_KIND_CONFLICT = 'ORION_ERR_METRICS_KIND_CONFLICT';
/** Histogram buckets that are empty, not finite or not strictly ascending. */
export const ORION_ERR_METRICS_INVALID_BUCKETS = 'ORION_ERR_METRICS_INVALID_BUCKETS';
/** A tag specifier (`stats_config.stats_tags`) with an empty name, a bad regex or an unknown default name. */
export const ORION_ERR_METRICS_INVALID_TAG_SPECIFIER = 'ORION_ERR_METRICS_INVALID_TAG_SPECIFIER';
/** A `stats_matcher` or `histogram_bucket_settings` pattern whose regex does not compile. */
export const ORION_ERR_METRICS_INVALID_MATCHER = 'ORION_ERR_METRICS_INVALID_MATCHER';
/** A value received as a stats snapshot (e.g. over IPC) is not one this version understands. */
export const ORION_ERR_METRICS_INVALID_SNAPSHOT = 'ORION_ERR_METRICS_INVALID_SNAPSHOT';
/** An admin `/stats` query parameter Envoy would refuse (`format`, `type`, `histogram_buckets`, `filter`). */
export const ORION_ERR_METRICS_INVALID_QUERY = 'ORION_ERR_METRICS_INVALID_QUERY';
/** An option of the OTLP exporter out of range (empty URL, non-positive flush interval). */
export const ORION_ERR_METRICS_INVALID_OPTIONS = 'ORION_ERR_METRICS_INVALID_OPTIONS';
/** An OTLP export the collector refused or that did not complete in time. */
export const ORION_ERR_METRICS_EXPORT_FAILED = 'ORION_ERR_METRICS_EXPORT_FAILED';
/** `flush()` was called on an OTLP exporter after `close()`. */
export const ORION_ERR_METRICS_EXPORTER_CLOSED = 'ORION_ERR_METRICS_EXPORTER_CLOSED';

/** Every code this package throws, in README order. */
export const METRICS_ERROR_CODES: readonly string[] = Object.freeze([
  ORION_ERR_METRICS_INVALID_NAME,
  ORION_ERR_METRICS_KIND_CONFLICT,
  ORION_ERR_METRICS_INVALID_BUCKETS,
  ORION_ERR_METRICS_INVALID_TAG_SPECIFIER,
  ORION_ERR_METRICS_INVALID_MATCHER,
  ORION_ERR_METRICS_INVALID_SNAPSHOT,
  ORION_ERR_METRICS_INVALID_QUERY,
  ORION_ERR_METRICS_INVALID_OPTIONS,
  ORION_ERR_METRICS_EXPORT_FAILED,
  ORION_ERR_METRICS_EXPORTER_CLOSED,
]);
