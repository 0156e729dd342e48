import type { FieldPath } from '@orion/data-plane-api';
import type { StatsConfig as StatsConfigProto } from '@orion/data-plane-api/gen/envoy/config/metrics/v3/stats_pb.js';
import { DEFAULT_STATS_CONFIG, type HistogramBucketSettings, type StatsConfig, type StatsMatcher, type TagSpecifier } from '../model/bootstrap.js';
import type { ConversionContext } from './conversion-context.js';
import { convertStringMatcher } from './convert-common.js';

/**
 * `envoy.config.metrics.v3.StatsConfig` → {@link StatsConfig}. Checks what Envoy checks at startup: a `tag_name` is
 * set, a tag `regex` compiles (ECMAScript syntax, as Envoy's `std::regex`), matcher regexes are RE2.
 */
export function convertStatsConfig(config: StatsConfigProto | undefined, path: FieldPath, ctx: ConversionContext): StatsConfig {
  if (config === undefined) return DEFAULT_STATS_CONFIG;
  const statsMatcher = convertStatsMatcher(config, path.field('stats_matcher'), ctx);
  return {
    statsTags: config.statsTags.map((tag, i): TagSpecifier => {
      const at = path.field('stats_tags').index(i);
      if (tag.tagName === '') ctx.error(at.field('tag_name'), 'tag_name cannot be empty');
      if (tag.tagValue.case === 'fixedValue') return { tagName: tag.tagName, fixedValue: tag.tagValue.value };
      const regex = tag.tagValue.case === 'regex' ? tag.tagValue.value : '';
      if (regex !== '') {
        try {
          new RegExp(regex);
        } catch (err) {
          ctx.error(at.field('regex'), `invalid regex ${JSON.stringify(regex)}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      return { tagName: tag.tagName, regex };
    }),
    useAllDefaultTags: config.useAllDefaultTags ?? true,
    ...(statsMatcher === undefined ? {} : { statsMatcher }),
    histogramBucketSettings: config.histogramBucketSettings.map((setting, i): HistogramBucketSettings => {
      const at = path.field('histogram_bucket_settings').index(i);
      // Envoy sorts the buckets (its PGV rules already refuse duplicates and values ≤ 0).
      const buckets = [...setting.buckets].sort((a, b) => a - b);
      return { match: convertStringMatcher(setting.match, at.field('match'), ctx), buckets };
    }),
  };
}

function convertStatsMatcher(config: StatsConfigProto, path: FieldPath, ctx: ConversionContext): StatsMatcher | undefined {
  const matcher = config.statsMatcher?.statsMatcher;
  switch (matcher?.case) {
    case 'rejectAll':
      // `reject_all: false` creates every stat, as no matcher does.
      return matcher.value ? { type: 'rejectAll' } : undefined;
    case 'inclusionList':
    case 'exclusionList': {
      const at = path.field(matcher.case === 'inclusionList' ? 'inclusion_list' : 'exclusion_list').field('patterns');
      const patterns = matcher.value.patterns.map((p, i) => convertStringMatcher(p, at.index(i), ctx));
      return { type: matcher.case, patterns };
    }
    default:
      return undefined;
  }
}
