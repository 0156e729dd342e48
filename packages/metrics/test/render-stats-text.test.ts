import { describe, expect, it } from 'vitest';
import { renderStatsText } from '../src/render-stats-text.js';
import { compileStatsFilter } from '../src/stats-filter.js';
import { createStatsStore } from '../src/stats-store.js';

// Expected outputs are those of Envoy's test/server/admin/stats_handler_test.cc unless a comment says otherwise.
describe('renderStatsText', () => {
  it('prints counters and gauges by name, then histogram quantiles as P<q>(interval,cumulative)', () => {
    const store = createStatsStore();
    store.counter('c1').add(10);
    store.counter('c2').add(20);
    store.histogram('h1').record(200);
    store.histogram('h2').record(100);
    store.mergeHistograms();
    expect(renderStatsText(store.snapshot())).toBe(
      'c1: 10\n' +
        'c2: 20\n' +
        'h1: P0(200,200) P25(202.5,202.5) P50(205,205) P75(207.5,207.5) ' +
        'P90(209,209) P95(209.5,209.5) P99(209.9,209.9) P99.5(209.95,209.95) ' +
        'P99.9(209.99,209.99) P100(210,210)\n' +
        'h2: P0(100,100) P25(102.5,102.5) P50(105,105) P75(107.5,107.5) ' +
        'P90(109,109) P95(109.5,109.5) P99(109.9,109.9) P99.5(109.95,109.95) ' +
        'P99.9(109.99,109.99) P100(110,110)\n',
    );
  });

  it('prints cumulative buckets (histogram_buckets=cumulative)', () => {
    const store = createStatsStore();
    store.histogram('h1').record(300);
    store.mergeHistograms();
    expect(renderStatsText(store.snapshot(), { histogramBuckets: 'cumulative' })).toBe(
      'h1: B0.5(0,0) B1(0,0) B5(0,0) B10(0,0) B25(0,0) B50(0,0) B100(0,0) B250(0,0) ' +
        'B500(1,1) B1000(1,1) B2500(1,1) B5000(1,1) B10000(1,1) B30000(1,1) B60000(1,1) ' +
        'B300000(1,1) B600000(1,1) B1.8e+06(1,1) B3.6e+06(1,1)\n',
    );
  });

  it('prints disjoint buckets, "No recorded values" for an unused histogram, and honours usedonly and filter', () => {
    const store = createStatsStore();
    const h1 = store.histogram('h1');
    const h2 = store.histogram('h2');
    h1.record(200);
    h1.record(300);
    store.mergeHistograms();
    h1.record(300);
    store.mergeHistograms();
    const h1Line =
      'h1: B0.5(0,0) B1(0,0) B5(0,0) B10(0,0) B25(0,0) B50(0,0) B100(0,0) B250(0,1) ' +
      'B500(1,2) B1000(0,0) B2500(0,0) B5000(0,0) B10000(0,0) B30000(0,0) B60000(0,0) ' +
      'B300000(0,0) B600000(0,0) B1.8e+06(0,0) B3.6e+06(0,0)\n';
    expect(renderStatsText(store.snapshot(), { histogramBuckets: 'disjoint' })).toBe(`${h1Line}h2: No recorded values\n`);
    expect(renderStatsText(store.snapshot(), { histogramBuckets: 'disjoint', usedOnly: true })).toBe(h1Line);
    h2.record(300);
    store.mergeHistograms();
    expect(renderStatsText(store.snapshot(), { histogramBuckets: 'disjoint', usedOnly: true, filter: compileStatsFilter('h2') })).toBe(
      'h2: B0.5(0,0) B1(0,0) B5(0,0) B10(0,0) B25(0,0) B50(0,0) B100(0,0) B250(0,0) ' +
        'B500(1,1) B1000(0,0) B2500(0,0) B5000(0,0) B10000(0,0) B30000(0,0) B60000(0,0) ' +
        'B300000(0,0) B600000(0,0) B1.8e+06(0,0) B3.6e+06(0,0)\n',
    );
  });

  it('prints nan for an interval without values', () => {
    const store = createStatsStore();
    store.histogram('h').record(200);
    store.mergeHistograms();
    store.mergeHistograms();
    expect(renderStatsText(store.snapshot())).toBe(
      'h: P0(nan,200) P25(nan,202.5) P50(nan,205) P75(nan,207.5) P90(nan,209) P95(nan,209.5) ' +
        'P99(nan,209.9) P99.5(nan,209.95) P99.9(nan,209.99) P100(nan,210)\n',
    );
  });

  it('prints the bins themselves (histogram_buckets=detailed)', () => {
    // Envoy's format: totals and intervals as lower,width:count (%.15g), then the quantile summary.
    const store = createStatsStore();
    const h = store.histogram('h');
    h.record(200);
    h.record(1.5);
    store.mergeHistograms();
    h.record(200);
    store.mergeHistograms();
    expect(renderStatsText(store.snapshot(), { histogramBuckets: 'detailed' })).toBe(
      'h:\n' +
        '  totals=1.5,0.1:1, 200,10:2\n' +
        '  intervals=200,10:1\n' +
        '  summary=P0(200,1.5) P25(202.5,1.575) P50(205,202.5) P75(207.5,206.25) P90(209,208.5) ' +
        'P95(209.5,209.25) P99(209.9,209.85) P99.5(209.95,209.925) P99.9(209.99,209.985) P100(210,210)\n',
    );
  });

  it('sorts counters and gauges together by name and selects by type, usedonly and RE2 filter', () => {
    const store = createStatsStore();
    store.counter('cluster.b.upstream_rq_total').inc(2);
    store.gauge('cluster.a.upstream_cx_active').set(1);
    store.counter('cluster.a.upstream_rq_total');
    store.gauge('server.live', 'neverImport').set(1);
    store.histogram('cluster.a.upstream_rq_time');
    const snapshot = store.snapshot();
    expect(renderStatsText(snapshot)).toBe(
      'cluster.a.upstream_cx_active: 1\n' +
        'cluster.a.upstream_rq_total: 0\n' +
        'cluster.b.upstream_rq_total: 2\n' +
        'server.live: 1\n' +
        'cluster.a.upstream_rq_time: No recorded values\n',
    );
    expect(renderStatsText(snapshot, { usedOnly: true })).toBe('cluster.a.upstream_cx_active: 1\ncluster.b.upstream_rq_total: 2\nserver.live: 1\n');
    expect(renderStatsText(snapshot, { type: 'Counters' })).toBe('cluster.a.upstream_rq_total: 0\ncluster.b.upstream_rq_total: 2\n');
    expect(renderStatsText(snapshot, { type: 'Gauges' })).toBe('cluster.a.upstream_cx_active: 1\nserver.live: 1\n');
    expect(renderStatsText(snapshot, { type: 'Histograms' })).toBe('cluster.a.upstream_rq_time: No recorded values\n');
    expect(renderStatsText(snapshot, { type: 'TextReadouts' })).toBe('');
    expect(renderStatsText(snapshot, { filter: compileStatsFilter('^cluster\\.a\\..*_rq_') })).toBe(
      'cluster.a.upstream_rq_total: 0\ncluster.a.upstream_rq_time: No recorded values\n',
    );
  });
});
