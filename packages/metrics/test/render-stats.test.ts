import { describe, expect, it } from 'vitest';
import { renderStats } from '../src/render-stats.js';
import { parseStatsParams } from '../src/stats-params.js';
import { createStatsStore } from '../src/stats-store.js';

describe('renderStats', () => {
  const store = createStatsStore();
  store.counter('cluster.a.upstream_rq_total').inc(2);
  store.histogram('cluster.a.upstream_rq_time').record(10);
  store.mergeHistograms();
  const snapshot = store.snapshot();

  it('renders the format a /stats query asks for, with its content type', () => {
    expect(renderStats(snapshot, parseStatsParams('type=Counters'))).toEqual({
      contentType: 'text/plain; charset=UTF-8',
      body: 'cluster.a.upstream_rq_total: 2\n',
    });
    expect(renderStats(snapshot, parseStatsParams('format=json&type=Counters'))).toEqual({
      contentType: 'application/json',
      body: '{"stats":[{"name":"cluster.a.upstream_rq_total","value":2}]}',
    });
  });

  it('renders /stats/prometheus with classic buckets unless summary is asked for', () => {
    const classic = renderStats(snapshot, parseStatsParams('', { prometheus: true }));
    expect(classic.contentType).toBe('text/plain; charset=UTF-8');
    expect(classic.body).toContain('# TYPE envoy_cluster_upstream_rq_time histogram\n');
    expect(classic.body).toContain('envoy_cluster_upstream_rq_total{envoy_cluster_name="a"} 2\n');
    const summary = renderStats(snapshot, parseStatsParams('histogram_buckets=summary&filter=rq_time', { prometheus: true }));
    const lines = summary.body.split('\n');
    expect(lines[0]).toBe('# TYPE envoy_cluster_upstream_rq_time summary');
    expect(lines.slice(1, 11).map((l) => /quantile="([^"]+)"/.exec(l)?.[1])).toEqual(['0', '0.25', '0.5', '0.75', '0.9', '0.95', '0.99', '0.995', '0.999', '1']);
    // Quantile values print with %.32g as in Envoy, so inexact ones show their binary expansion.
    expect(lines[3]).toBe('envoy_cluster_upstream_rq_time{envoy_cluster_name="a",quantile="0.5"} 10.5');
    expect(lines[5]).toBe('envoy_cluster_upstream_rq_time{envoy_cluster_name="a",quantile="0.9"} 10.90000000000000035527136788005');
    expect(lines.slice(11)).toEqual([
      'envoy_cluster_upstream_rq_time_sum{envoy_cluster_name="a"} 10.476190476190476275064611400012',
      'envoy_cluster_upstream_rq_time_count{envoy_cluster_name="a"} 1',
      '',
    ]);
  });
});
