import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import {
  escapePrometheusLabelValue,
  formatPrometheusLabels,
  prometheusMetricName,
  renderPrometheus,
} from '../src/render-prometheus.js';
import { compileStatsFilter } from '../src/stats-filter.js';
import { createStatsStore } from '../src/stats-store.js';
import { binsOf, binsOfValues, fixedTagProducer, histogramOf, snapshotOf } from './helpers.js';

const H1_VALUES = [50, 20, 30, 70, 100, 5000, 200];
const DEFAULT_LE = ['0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '30000', '60000', '300000', '600000', '1800000', '3600000'];

/** The bucket lines Envoy prints for H1_VALUES (current Envoy: a value equal to a bound counts in its bucket). */
function h1Lines(name: string, labels: string): string {
  const counts = [0, 0, 0, 0, 1, 3, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7];
  const prefix = labels === '' ? '' : `${labels},`;
  return (
    DEFAULT_LE.map((le, i) => `${name}_bucket{${prefix}le="${le}"} ${counts[i]}\n`).join('') +
    `${name}_bucket{${prefix}le="+Inf"} 7\n` +
    `${name}_sum{${labels}} 5531.1160155998386471765115857124\n` +
    `${name}_count{${labels}} 7\n`
  );
}

// Expected outputs are those of Envoy's test/server/admin/prometheus_stats_test.cc (current release) unless a comment
// says otherwise. Envoy's tests give stats explicit tags; a fixed tag producer reproduces them.
describe('renderPrometheus', () => {
  it('prints an empty histogram with every default bucket (HistogramWithNoValuesAndNoTags)', () => {
    const snapshot = snapshotOf({ histograms: [histogramOf('histogram1', [])] });
    expect(renderPrometheus(snapshot)).toBe(
      '# TYPE envoy_histogram1 histogram\n' +
        DEFAULT_LE.map((le) => `envoy_histogram1_bucket{le="${le}"} 0\n`).join('') +
        'envoy_histogram1_bucket{le="+Inf"} 0\nenvoy_histogram1_sum{} 0\nenvoy_histogram1_count{} 0\n',
    );
  });

  it('uses a histogram’s own buckets (HistogramWithNonDefaultBuckets)', () => {
    const snapshot = snapshotOf({ histograms: [histogramOf('histogram1', [], { buckets: [10, 20] })] });
    expect(renderPrometheus(snapshot)).toBe(
      '# TYPE envoy_histogram1 histogram\n' +
        'envoy_histogram1_bucket{le="10"} 0\nenvoy_histogram1_bucket{le="20"} 0\nenvoy_histogram1_bucket{le="+Inf"} 0\n' +
        'envoy_histogram1_sum{} 0\nenvoy_histogram1_count{} 0\n',
    );
  });

  it('prints large counts and sums in fixed notation (HistogramWithHighCounts)', () => {
    const bins = binsOf([1, 100_000], [100, 1_000_000], [1000, 100_000_000]);
    const counts = [0, 100000, 100000, 100000, 100000, 100000, 1100000, 1100000, 1100000];
    const expected =
      '# TYPE envoy_histogram1 histogram\n' +
      DEFAULT_LE.map((le, i) => `envoy_histogram1_bucket{le="${le}"} ${counts[i] ?? 101100000}\n`).join('') +
      'envoy_histogram1_bucket{le="+Inf"} 101100000\n' +
      'envoy_histogram1_sum{} 104866771428.571441650390625\n' +
      'envoy_histogram1_count{} 101100000\n';
    expect(renderPrometheus(snapshotOf({ histograms: [histogramOf('histogram1', bins)] }))).toBe(expected);
  });

  it('prints counters, gauges and histograms with their tags as labels (OutputWithAllMetricTypes)', () => {
    const producer = fixedTagProducer({
      'cluster.test_1.upstream_cx_total': { tagExtractedName: 'cluster.test_1.upstream_cx_total', tags: [{ name: 'a.tag-name', value: 'a.tag-value' }] },
      'cluster.test_2.upstream_cx_total': {
        tagExtractedName: 'cluster.test_2.upstream_cx_total',
        tags: [{ name: 'another_tag_name', value: 'another_tag-value' }],
      },
      'cluster.test_3.upstream_cx_total': {
        tagExtractedName: 'cluster.test_3.upstream_cx_total',
        tags: [{ name: 'another_tag_name_3', value: 'another_tag_3-value' }],
      },
      'cluster.test_4.upstream_cx_total': {
        tagExtractedName: 'cluster.test_4.upstream_cx_total',
        tags: [{ name: 'another_tag_name_4', value: 'another_tag_4-value' }],
      },
      'cluster.test_1.upstream_rq_time': {
        tagExtractedName: 'cluster.test_1.upstream_rq_time',
        tags: [
          { name: 'key1', value: 'value1' },
          { name: 'key2', value: 'value2' },
        ],
      },
    });
    const snapshot = snapshotOf({
      counters: [
        { name: 'cluster.test_1.upstream_cx_total', value: 0, used: true },
        { name: 'cluster.test_2.upstream_cx_total', value: 0, used: true },
      ],
      gauges: [
        { name: 'cluster.test_3.upstream_cx_total', value: 0, used: true, importMode: 'accumulate' },
        { name: 'cluster.test_4.upstream_cx_total', value: 0, used: true, importMode: 'accumulate' },
      ],
      histograms: [histogramOf('cluster.test_1.upstream_rq_time', binsOfValues(H1_VALUES))],
    });
    expect(renderPrometheus(snapshot, { tagProducer: producer })).toBe(
      '# TYPE envoy_cluster_test_1_upstream_cx_total counter\n' +
        'envoy_cluster_test_1_upstream_cx_total{a_tag_name="a.tag-value"} 0\n' +
        '# TYPE envoy_cluster_test_2_upstream_cx_total counter\n' +
        'envoy_cluster_test_2_upstream_cx_total{another_tag_name="another_tag-value"} 0\n' +
        '# TYPE envoy_cluster_test_3_upstream_cx_total gauge\n' +
        'envoy_cluster_test_3_upstream_cx_total{another_tag_name_3="another_tag_3-value"} 0\n' +
        '# TYPE envoy_cluster_test_4_upstream_cx_total gauge\n' +
        'envoy_cluster_test_4_upstream_cx_total{another_tag_name_4="another_tag_4-value"} 0\n' +
        '# TYPE envoy_cluster_test_1_upstream_rq_time histogram\n' +
        h1Lines('envoy_cluster_test_1_upstream_rq_time', 'key1="value1",key2="value2"'),
    );
  });

  it('groups stats by tag-extracted name and sorts groups and samples (OutputSortedByMetricName)', () => {
    const answers: Record<string, { tagExtractedName: string; tags: { name: string; value: string }[] }> = {};
    const counters = [];
    const gauges = [];
    const histograms = [];
    for (const cluster of ['ccc', 'aaa', 'bbb']) {
      const tags = [{ name: 'cluster', value: cluster }];
      for (const name of ['cluster.upstream_cx_total', 'cluster.upstream_cx_connect_fail', 'cluster.upstream_cx_active', 'cluster.upstream_rq_active']) {
        answers[`${name}<${cluster}>`] = { tagExtractedName: name, tags };
      }
      for (const name of ['cluster.upstream_rq_time', 'cluster.upstream_response_time']) {
        answers[`${name}<${cluster}>`] = { tagExtractedName: name, tags };
        histograms.push(histogramOf(`${name}<${cluster}>`, binsOfValues(H1_VALUES)));
      }
      counters.push({ name: `cluster.upstream_cx_total<${cluster}>`, value: 0, used: true });
      counters.push({ name: `cluster.upstream_cx_connect_fail<${cluster}>`, value: 0, used: true });
      gauges.push({ name: `cluster.upstream_cx_active<${cluster}>`, value: 0, used: true, importMode: 'accumulate' as const });
      gauges.push({ name: `cluster.upstream_rq_active<${cluster}>`, value: 0, used: true, importMode: 'accumulate' as const });
    }
    const out = renderPrometheus(snapshotOf({ counters, gauges, histograms }), { tagProducer: fixedTagProducer(answers) });
    const group = (name: string, type: string): string =>
      `# TYPE ${name} ${type}\n` + ['aaa', 'bbb', 'ccc'].map((c) => `${name}{cluster="${c}"} 0\n`).join('');
    const histogramGroup = (name: string): string =>
      `# TYPE ${name} histogram\n` + ['aaa', 'bbb', 'ccc'].map((c) => h1Lines(name, `cluster="${c}"`)).join('');
    expect(out).toBe(
      group('envoy_cluster_upstream_cx_connect_fail', 'counter') +
        group('envoy_cluster_upstream_cx_total', 'counter') +
        group('envoy_cluster_upstream_cx_active', 'gauge') +
        group('envoy_cluster_upstream_rq_active', 'gauge') +
        histogramGroup('envoy_cluster_upstream_response_time') +
        histogramGroup('envoy_cluster_upstream_rq_time'),
    );
  });

  it('coalesces stats with the same tag-extracted name from different clusters (DifferentNamedScopeSameStat)', () => {
    const store = createStatsStore();
    store.scope('cluster.a').counter('default.total_match_count');
    store.scope('cluster.x').counter('default.total_match_count');
    expect(renderPrometheus(store.snapshot())).toBe(
      '# TYPE envoy_cluster_default_total_match_count counter\n' +
        'envoy_cluster_default_total_match_count{envoy_cluster_name="a"} 0\n' +
        'envoy_cluster_default_total_match_count{envoy_cluster_name="x"} 0\n',
    );
  });

  it('prints the last interval as a summary (SummaryWithNoValuesAndNoTags, histogram_buckets=summary)', () => {
    const snapshot = snapshotOf({ histograms: [histogramOf('histogram1', [])] });
    expect(renderPrometheus(snapshot, { histogramBuckets: 'summary' })).toBe(
      '# TYPE envoy_histogram1 summary\n' +
        ['0', '0.25', '0.5', '0.75', '0.9', '0.95', '0.99', '0.995', '0.999', '1'].map((q) => `envoy_histogram1{quantile="${q}"} nan\n`).join('') +
        'envoy_histogram1_sum{} 0\nenvoy_histogram1_count{} 0\n',
    );
  });

  it('names and labels stats with Envoy’s default tags', () => {
    const store = createStatsStore();
    store.counter('http.ingress_http.downstream_rq_2xx').inc(3);
    store.counter('cluster.backend.upstream_rq_503').inc();
    store.gauge('listener.0.0.0.0_8080.downstream_cx_active').set(2);
    store.counter('tcp.echo.downstream_cx_total').inc();
    store.gauge('server.live', 'neverImport').set(1);
    const h = store.histogram('cluster.backend.upstream_rq_time');
    h.record(5);
    store.mergeHistograms();
    const out = renderPrometheus(store.snapshot());
    expect(out).toContain(
      '# TYPE envoy_cluster_upstream_rq counter\nenvoy_cluster_upstream_rq{envoy_response_code="503",envoy_cluster_name="backend"} 1\n',
    );
    expect(out).toContain(
      '# TYPE envoy_http_downstream_rq_xx counter\n' +
        'envoy_http_downstream_rq_xx{envoy_response_code_class="2",envoy_http_conn_manager_prefix="ingress_http"} 3\n',
    );
    expect(out).toContain('# TYPE envoy_tcp_downstream_cx_total counter\nenvoy_tcp_downstream_cx_total{envoy_tcp_prefix="echo"} 1\n');
    expect(out).toContain(
      '# TYPE envoy_listener_downstream_cx_active gauge\nenvoy_listener_downstream_cx_active{envoy_listener_address="0.0.0.0_8080"} 2\n',
    );
    expect(out).toContain('# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n');
    expect(out).toContain('envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="backend",le="5"} 1\n');
    // Counters keep their Envoy names: nothing appends `_total`.
    expect(out).not.toMatch(/envoy_cluster_upstream_rq_total|envoy_http_downstream_rq_xx_total/);
  });

  it('filters by RE2 regex on the full name and by used (OutputWithRegexp, OutputWithUsedOnly)', () => {
    const store = createStatsStore();
    store.counter('cluster.test_1.upstream_cx_total');
    store.counter('cluster.test_2.upstream_cx_total').inc();
    store.histogram('cluster.test_1.upstream_rq_time');
    const snapshot = store.snapshot();
    expect(renderPrometheus(snapshot, { filter: compileStatsFilter('cluster.test_1.upstream_cx_total') })).toBe(
      '# TYPE envoy_cluster_upstream_cx_total counter\nenvoy_cluster_upstream_cx_total{envoy_cluster_name="test_1"} 0\n',
    );
    expect(renderPrometheus(snapshot, { usedOnly: true })).toBe(
      '# TYPE envoy_cluster_upstream_cx_total counter\nenvoy_cluster_upstream_cx_total{envoy_cluster_name="test_2"} 1\n',
    );
  });

  it('sanitizes names and escapes label values (MetricName, SanitizeMetricName, FormattedTags)', () => {
    expect(prometheusMetricName('vulture.eats-liver')).toBe('envoy_vulture_eats_liver');
    expect(prometheusMetricName('An.artist.plays-violin@019street')).toBe('envoy_An_artist_plays_violin_019street');
    expect(prometheusMetricName('3.artists.play-violin@019street')).toBe('envoy_3_artists_play_violin_019street');
    expect(
      formatPrometheusLabels([
        { name: 'a.tag-name', value: 'a.tag-value' },
        { name: 'another_tag_name', value: 'another_tag-value' },
        { name: 'replace_problematic', value: 'val"ue with\\ some\n issues' },
      ]),
    ).toBe('a_tag_name="a.tag-value",another_tag_name="another_tag-value",replace_problematic="val\\"ue with\\\\ some\\n issues"');
    expect(escapePrometheusLabelValue('\\')).toBe('\\\\');
  });

  it('produces text a Prometheus text-format parser reads back, line by line valid exposition format', () => {
    const store = createStatsStore();
    store.counter('cluster.outbound|9080||reviews.upstream_rq_200').inc(7);
    store.counter('http.ingress_http.downstream_rq_total').inc(11);
    store.gauge('http.ingress_http.downstream_cx_active').set(3);
    store.gauge('server.live', 'neverImport').set(1);
    const h = store.histogram('http.ingress_http.downstream_rq_time');
    const untagged = store.histogram('server.initialization_time_ms');
    for (const v of [0, 0.7, 3, 12, 12, 480, 2_000_000]) {
      h.record(v);
      untagged.record(v);
    }
    store.histogram('cluster.outbound|9080||reviews.upstream_cx_length_ms');
    store.mergeHistograms();
    const text = renderPrometheus(store.snapshot());

    // The exposition format's grammar, for the subset Envoy prints: TYPE comments and samples without timestamps.
    const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
    const label = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
    const value = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Inf|NaN|nan)';
    const sample = new RegExp(`^${name}\\{(?:${label}(?:,${label})*)?\\} ${value}$`);
    const type = new RegExp(`^# TYPE ${name} (?:counter|gauge|histogram|summary|untyped)$`);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) expect(sample.test(line) || type.test(line), line).toBe(true);

    // Each histogram series: `le` buckets never decrease and `+Inf` equals `_count`.
    const series = new Map<string, number[]>();
    for (const line of lines) {
      const m = /^(\w+)_bucket\{(.*?)le="([^"]+)"\} (\d+)$/.exec(line);
      if (m === null) continue;
      const key = `${m[1]}{${m[2]}}`;
      series.set(key, [...(series.get(key) ?? []), Number(m[4])]);
    }
    expect(series.size).toBe(3);
    for (const counts of series.values()) expect(counts).toEqual([...counts].sort((a, b) => a - b));

    const families = parsePrometheusTextFormat(text);
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(families.map((f) => f.type)).toEqual(['COUNTER', 'COUNTER', 'GAUGE', 'GAUGE', 'HISTOGRAM', 'HISTOGRAM', 'HISTOGRAM']);
    expect(byName.get('envoy_cluster_upstream_rq')).toMatchObject({
      metrics: [{ value: '7', labels: { envoy_response_code: '200', envoy_cluster_name: 'outbound|9080||reviews' } }],
    });
    expect(byName.get('envoy_http_downstream_rq_total')).toMatchObject({
      metrics: [{ value: '11', labels: { envoy_http_conn_manager_prefix: 'ingress_http' } }],
    });
    expect(byName.get('envoy_server_live')).toMatchObject({ metrics: [{ value: '1' }] });
    // This parser folds labelled histogram series together, so the untagged one is checked through it.
    expect(byName.get('envoy_server_initialization_time_ms')?.metrics[0]).toMatchObject({
      count: '7',
      buckets: { '0.5': '1', '1': '2', '5': '3', '25': '5', '500': '6', '1800000': '6', '3600000': '7', '+Inf': '7' },
    });
  });
});
