import { describe, expect, it } from 'vitest';
import { DEFAULT_STATS_CONFIG, SUPPORTED_FIELDS } from '../../src/index.js';
import { issueAt, load, MINIMAL, refuse } from '../support/load.js';

/** MINIMAL with `stats_config` appended; `line(n)` is the file line of the n-th appended line (0-based). */
function withStatsConfig(yaml: string): { readonly text: string; readonly line: (n: number) => number } {
  const base = MINIMAL.endsWith('\n') ? MINIMAL : `${MINIMAL}\n`;
  const first = base.split('\n').length;
  return { text: `${base}stats_config:\n${yaml}`, line: (n) => first + 1 + n };
}

describe('convertStatsConfig', () => {
  it('gives a bootstrap without stats_config the defaults', async () => {
    const { bootstrap } = await load(MINIMAL);
    expect(bootstrap.statsConfig).toEqual(DEFAULT_STATS_CONFIG);
    expect(bootstrap.statsConfig).toEqual({ statsTags: [], useAllDefaultTags: true, histogramBucketSettings: [] });
  });

  it('converts stats_tags, use_all_default_tags, every stats_matcher form and histogram_bucket_settings', async () => {
    const { bootstrap, ignored } = await load(
      withStatsConfig(`  use_all_default_tags: false
  stats_tags:
  - { tag_name: tenant, regex: "^cluster\\\\.((.+?)\\\\.)" }
  - { tag_name: region, fixed_value: eu }
  - { tag_name: envoy.cluster_name }
  stats_matcher:
    exclusion_list:
      patterns:
      - { prefix: cluster., ignore_case: true }
      - { safe_regex: { regex: "http\\\\..*_rq_\\\\d+" } }
      - { exact: server.live }
      - { suffix: _ms }
      - { contains: draining }
  histogram_bucket_settings:
  - { match: { suffix: _rq_time }, buckets: [100, 1, 10] }
`).text,
    );
    expect(ignored.map((i) => i.path)).not.toContain('stats_config');
    expect(bootstrap.statsConfig).toEqual({
      useAllDefaultTags: false,
      statsTags: [
        { tagName: 'tenant', regex: '^cluster\\.((.+?)\\.)' },
        { tagName: 'region', fixedValue: 'eu' },
        { tagName: 'envoy.cluster_name', regex: '' },
      ],
      statsMatcher: {
        type: 'exclusionList',
        patterns: [
          { type: 'prefix', value: 'cluster.', ignoreCase: true },
          { type: 'safeRegex', regex: 'http\\..*_rq_\\d+' },
          { type: 'exact', value: 'server.live', ignoreCase: false },
          { type: 'suffix', value: '_ms', ignoreCase: false },
          { type: 'contains', value: 'draining', ignoreCase: false },
        ],
      },
      histogramBucketSettings: [{ match: { type: 'suffix', value: '_rq_time', ignoreCase: false }, buckets: [1, 10, 100] }],
    });
  });

  it('reads reject_all: true as rejectAll, reject_all: false as no matcher, and an inclusion list', async () => {
    expect((await load(withStatsConfig('  stats_matcher: { reject_all: true }\n').text)).bootstrap.statsConfig.statsMatcher).toEqual({ type: 'rejectAll' });
    expect((await load(withStatsConfig('  stats_matcher: { reject_all: false }\n').text)).bootstrap.statsConfig.statsMatcher).toBeUndefined();
    const inclusion = await load(withStatsConfig('  stats_matcher: { inclusion_list: { patterns: [{ prefix: "server." }] } }\n').text);
    expect(inclusion.bootstrap.statsConfig.statsMatcher).toEqual({ type: 'inclusionList', patterns: [{ type: 'prefix', value: 'server.', ignoreCase: false }] });
  });

  it('rejects a custom string matcher in stats_matcher with its path and line', async () => {
    const { text, line } = withStatsConfig(`  stats_matcher:
    inclusion_list:
      patterns:
      - custom: { name: x, typed_config: { "@type": type.googleapis.com/google.protobuf.Empty } }
`);
    const { issues } = await refuse(text);
    const issue = issueAt(issues, 'stats_config.stats_matcher.inclusion_list.patterns[0].custom');
    expect(issue.message).toBe('envoy.type.matcher.v3.StringMatcher.custom is not implemented');
    expect(issue.location?.line).toBe(line(3));
  });

  it('rejects an RE2-invalid matcher regex, a bad tag regex and an empty tag name with their paths and lines', async () => {
    const { text, line } = withStatsConfig(`  stats_tags:
  - { tag_name: "", fixed_value: x }
  - { tag_name: t, regex: "(unclosed" }
  stats_matcher:
    exclusion_list: { patterns: [{ safe_regex: { regex: "(?=lookahead)" } }] }
  histogram_bucket_settings:
  - { match: { safe_regex: { regex: "a\\\\1" } }, buckets: [1] }
`);
    const { error, issues } = await refuse(text);
    expect(issueAt(issues, 'stats_config.stats_tags[0].tag_name')).toMatchObject({ message: 'tag_name cannot be empty', location: { line: line(1) } });
    expect(issueAt(issues, 'stats_config.stats_tags[1].regex').message).toContain('invalid regex "(unclosed"');
    expect(issueAt(issues, 'stats_config.stats_tags[1].regex').location?.line).toBe(line(2));
    expect(issueAt(issues, 'stats_config.stats_matcher.exclusion_list.patterns[0].safe_regex.regex')).toMatchObject({
      message: 'invalid regex "(?=lookahead)": lookaround is not supported by RE2',
      location: { line: line(4) },
    });
    expect(issueAt(issues, 'stats_config.histogram_bucket_settings[0].match.safe_regex.regex').location?.line).toBe(line(6));
    expect(error.message).toContain(`test.yaml:${line(1)}:`);
  });

  it('refuses histogram buckets that are missing or not positive (Envoy PGV rules)', async () => {
    const empty = await refuse(withStatsConfig('  histogram_bucket_settings: [{ match: { prefix: a }, buckets: [] }]\n').text);
    expect(issueAt(empty.issues, 'stats_config.histogram_bucket_settings[0].buckets').message).toMatch(/at least 1/);
    const zero = await refuse(withStatsConfig('  histogram_bucket_settings: [{ match: { prefix: a }, buckets: [0, 1] }]\n').text);
    expect(zero.issues.some((i) => i.path.startsWith('stats_config.histogram_bucket_settings[0].buckets'))).toBe(true);
  });

  it('lists stats_config as supported, not ignored', () => {
    const bootstrap = SUPPORTED_FIELDS['envoy.config.bootstrap.v3.Bootstrap'];
    expect(bootstrap?.supported).toContain('stats_config');
    expect(bootstrap?.ignored ?? []).not.toContain('stats_config');
  });
});
