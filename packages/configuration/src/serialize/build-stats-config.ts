import { create } from '@bufbuild/protobuf';
import {
  HistogramBucketSettingsSchema,
  StatsConfigSchema,
  StatsMatcherSchema,
  TagSpecifierSchema,
  type StatsConfig as StatsConfigProto,
  type StatsMatcher as StatsMatcherProto,
} from '@orion/data-plane-api/gen/envoy/config/metrics/v3/stats_pb.js';
import { ListStringMatcherSchema } from '@orion/data-plane-api/gen/envoy/type/matcher/v3/string_pb.js';
import type { StatsConfig, StatsMatcher } from '../model/bootstrap.js';
import { buildStringMatcher } from './build-common.js';

/** True when `config` is what a bootstrap without `stats_config` gets (then nothing is printed, as Envoy prints none). */
export function isDefaultStatsConfig(config: StatsConfig): boolean {
  return config.statsTags.length === 0 && config.useAllDefaultTags && config.statsMatcher === undefined && config.histogramBucketSettings.length === 0;
}

/** {@link StatsConfig} → `envoy.config.metrics.v3.StatsConfig`. */
export function buildStatsConfig(config: StatsConfig): StatsConfigProto {
  return create(StatsConfigSchema, {
    statsTags: config.statsTags.map((tag) =>
      create(TagSpecifierSchema, {
        tagName: tag.tagName,
        tagValue: 'fixedValue' in tag ? { case: 'fixedValue', value: tag.fixedValue } : tag.regex === '' ? { case: undefined } : { case: 'regex', value: tag.regex },
      }),
    ),
    useAllDefaultTags: config.useAllDefaultTags ? undefined : false,
    ...(config.statsMatcher === undefined ? {} : { statsMatcher: buildStatsMatcher(config.statsMatcher) }),
    histogramBucketSettings: config.histogramBucketSettings.map((s) =>
      create(HistogramBucketSettingsSchema, { match: buildStringMatcher(s.match), buckets: [...s.buckets] }),
    ),
  });
}

function buildStatsMatcher(matcher: StatsMatcher): StatsMatcherProto {
  if (matcher.type === 'rejectAll') return create(StatsMatcherSchema, { statsMatcher: { case: 'rejectAll', value: true } });
  const list = create(ListStringMatcherSchema, { patterns: matcher.patterns.map(buildStringMatcher) });
  return create(StatsMatcherSchema, { statsMatcher: { case: matcher.type, value: list } });
}
