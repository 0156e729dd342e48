import { DEFAULT_STATS_CONFIG, type StatsConfig } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { createTagProducer, defaultTagProducer, ORION_ERR_METRICS_INVALID_TAG_SPECIFIER, type StatsStoreOptions, type TagProducer } from '@orion/metrics';
import { ProxyErrorCode } from '../error-codes.js';

/**
 * The store options `stats_config` asks for (`stats_matcher` → `matcher`, `histogram_bucket_settings` →
 * `histogramBuckets`); the same in the primary and in every worker. Default: every stat, default buckets.
 */
export function statsStoreOptions(config: StatsConfig = DEFAULT_STATS_CONFIG): Pick<StatsStoreOptions, 'matcher' | 'histogramBuckets'> {
  return {
    ...(config.statsMatcher === undefined ? {} : { matcher: config.statsMatcher }),
    ...(config.histogramBucketSettings.length === 0 ? {} : { histogramBuckets: config.histogramBucketSettings }),
  };
}

/**
 * The tag producer of `stats_config` (`use_all_default_tags`, `stats_tags`) that `/stats/prometheus` and the OTLP
 * sinks name and label stats with. Throws `ORION_ERR_PROXY_STATS_CONFIG` naming the `stats_tags` entry Envoy would
 * refuse (an empty regex whose `tag_name` names no default extractor).
 */
export function statsTagProducer(config: StatsConfig = DEFAULT_STATS_CONFIG): TagProducer {
  if (config.useAllDefaultTags && config.statsTags.length === 0) return defaultTagProducer();
  try {
    return createTagProducer({ useAllDefaultTags: config.useAllDefaultTags, statsTags: config.statsTags });
  } catch (err) {
    if (!OrionError.is(err, ORION_ERR_METRICS_INVALID_TAG_SPECIFIER)) throw err;
    const index = config.statsTags.findIndex((t) => t.tagName === err.details['tagName']);
    throw new OrionError(ProxyErrorCode.STATS_CONFIG, `stats_config.stats_tags[${index}]: ${err.message}`, { cause: err });
  }
}
