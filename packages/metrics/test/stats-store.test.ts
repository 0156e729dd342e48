import { OrionError } from '@orion/error';
import { createInterner } from '@orion/interner';
import { describe, expect, it } from 'vitest';
import {
  ORION_ERR_METRICS_INVALID_BUCKETS,
  ORION_ERR_METRICS_INVALID_NAME,
  ORION_ERR_METRICS_KIND_CONFLICT,
} from '../src/error-codes.js';
import { DEFAULT_HISTOGRAM_BUCKETS } from '../src/histogram-defaults.js';
import { parseStatsSnapshot } from '../src/stats-snapshot.js';
import { createStatsStore } from '../src/stats-store.js';
import { binsOfValues } from './helpers.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof OrionError ? err.code : 'not an OrionError';
  }
  return undefined;
}

describe('StatsStore', () => {
  it('hands out one handle per name, created once', () => {
    const store = createStatsStore();
    const counter = store.counter('http.ingress_http.downstream_rq_total');
    expect(store.counter('http.ingress_http.downstream_rq_total')).toBe(counter);
    expect(store.gauge('server.live', 'neverImport')).toBe(store.gauge('server.live', 'neverImport'));
    expect(store.histogram('cluster.a.upstream_rq_time')).toBe(store.histogram('cluster.a.upstream_rq_time'));
    expect(store.size).toBe(3);
  });

  it('records counters, gauges and histograms and marks them used', () => {
    const store = createStatsStore();
    const counter = store.counter('c');
    const gauge = store.gauge('g');
    const histogram = store.histogram('h');
    expect([counter.used, gauge.used, histogram.used]).toEqual([false, false, false]);
    counter.inc();
    counter.inc(4);
    counter.add(5);
    gauge.set(10);
    gauge.inc();
    gauge.dec(3);
    gauge.add(2);
    gauge.sub(1);
    histogram.record(200);
    expect(counter.value).toBe(10);
    expect(gauge.value).toBe(9);
    expect([counter.used, gauge.used, histogram.used]).toEqual([true, true, true]);
  });

  it('names stats under a scope, sanitized as Envoy sanitizes scope names', () => {
    const store = createStatsStore();
    const listener = store.scope('listener.0.0.0.0:8080.');
    expect(listener.prefix).toBe('listener.0.0.0.0_8080');
    expect(listener.counter('downstream_cx_total').name).toBe('listener.0.0.0.0_8080.downstream_cx_total');
    expect(store.scope('cluster').scope('backend').gauge('upstream_cx_active').name).toBe('cluster.backend.upstream_cx_active');
    expect(store.counter('listener.0.0.0.0_8080.downstream_cx_total')).toBe(listener.counter('downstream_cx_total'));
  });

  it('refuses a name used for another kind, import mode or buckets, and empty names', () => {
    const store = createStatsStore();
    store.counter('a');
    store.gauge('g', 'neverImport');
    store.histogram('h', { buckets: [1, 2] });
    expect(codeOf(() => store.gauge('a'))).toBe(ORION_ERR_METRICS_KIND_CONFLICT);
    expect(codeOf(() => store.histogram('a'))).toBe(ORION_ERR_METRICS_KIND_CONFLICT);
    expect(codeOf(() => store.counter('g'))).toBe(ORION_ERR_METRICS_KIND_CONFLICT);
    expect(codeOf(() => store.gauge('g', 'accumulate'))).toBe(ORION_ERR_METRICS_KIND_CONFLICT);
    expect(store.gauge('g').importMode).toBe('neverImport');
    expect(codeOf(() => store.histogram('h', { buckets: [1, 3] }))).toBe(ORION_ERR_METRICS_KIND_CONFLICT);
    expect(codeOf(() => store.histogram('h'))).toBeUndefined();
    expect(codeOf(() => store.counter(''))).toBe(ORION_ERR_METRICS_INVALID_NAME);
    expect(codeOf(() => store.histogram('bad', { buckets: [2, 1] }))).toBe(ORION_ERR_METRICS_INVALID_BUCKETS);
    expect(codeOf(() => store.histogram('bad', { buckets: [] }))).toBe(ORION_ERR_METRICS_INVALID_BUCKETS);
    expect(codeOf(() => store.histogram('bad', { buckets: [1, Infinity] }))).toBe(ORION_ERR_METRICS_INVALID_BUCKETS);
  });

  it('keeps one canonical copy of each name in the interner', () => {
    const interner = createInterner();
    const store = createStatsStore({ interner });
    store.counter('cluster.a.upstream_rq_total');
    expect(interner.get('cluster.a.upstream_rq_total')?.value).toBe('cluster.a.upstream_rq_total');
  });

  it('shows histogram values only once merged, the last interval and everything merged', () => {
    const store = createStatsStore();
    const histogram = store.histogram('h');
    histogram.record(200);
    let [h] = store.snapshot().histograms;
    expect(h).toMatchObject({ used: true, interval: [], cumulative: [] });
    store.mergeHistograms();
    histogram.record(100);
    [h] = store.snapshot().histograms;
    expect(h).toMatchObject({ interval: binsOfValues([200]), cumulative: binsOfValues([200]) });
    store.mergeHistograms();
    [h] = store.snapshot().histograms;
    expect(h).toMatchObject({ interval: binsOfValues([100]), cumulative: binsOfValues([100, 200]) });
    store.mergeHistograms();
    [h] = store.snapshot().histograms;
    expect(h).toMatchObject({ interval: [], cumulative: binsOfValues([100, 200]) });
  });

  it('takes a plain snapshot that survives JSON and IPC', () => {
    const store = createStatsStore({ origin: 'worker', now: () => 42 });
    store.counter('c').inc(3);
    store.counter('unused');
    store.gauge('g', 'neverImport').set(1);
    store.histogram('h', { buckets: [1, 10] }).record(5);
    store.histogram('d').record(1);
    store.mergeHistograms();
    const snapshot = store.snapshot();
    const copy: unknown = JSON.parse(JSON.stringify(snapshot));
    expect(parseStatsSnapshot(copy)).toEqual(snapshot);
    expect(snapshot).toEqual({
      version: 1,
      origin: 'worker',
      timeUnixMs: 42,
      counters: [
        { name: 'c', value: 3, used: true },
        { name: 'unused', value: 0, used: false },
      ],
      gauges: [{ name: 'g', value: 1, used: true, importMode: 'neverImport' }],
      histograms: [
        { name: 'h', used: true, buckets: [1, 10], interval: binsOfValues([5]), cumulative: binsOfValues([5]) },
        { name: 'd', used: true, interval: binsOfValues([1]), cumulative: binsOfValues([1]) },
      ],
    });
  });

  it('counts a counter written through its value field as used', () => {
    const store = createStatsStore();
    store.counter('c').value += 2;
    expect(store.snapshot().counters[0]).toEqual({ name: 'c', value: 2, used: true });
  });

  it('resets counters only (POST /reset_counters)', () => {
    const store = createStatsStore();
    store.counter('c').inc(7);
    store.gauge('g').set(3);
    store.histogram('h').record(1);
    store.mergeHistograms();
    store.resetCounters();
    const snapshot = store.snapshot();
    expect(snapshot.counters).toEqual([{ name: 'c', value: 0, used: true }]);
    expect(snapshot.gauges[0]?.value).toBe(3);
    expect(snapshot.histograms[0]?.cumulative).toEqual(binsOfValues([1]));
  });

  it('uses Envoy default buckets unless told otherwise', () => {
    expect(createStatsStore().histogram('h').buckets).toBe(DEFAULT_HISTOGRAM_BUCKETS);
  });
});

describe('StatsStore with stats_config', () => {
  it('gives rejected names handles that record nothing and never appear in a snapshot', () => {
    const store = createStatsStore({ matcher: { type: 'exclusionList', patterns: [{ type: 'prefix', value: 'cluster.', ignoreCase: false }] } });
    const rejected = store.scope('cluster.backend').counter('upstream_rq_total');
    const kept = store.scope('http.ingress_http').counter('downstream_rq_total');
    rejected.inc(5);
    kept.inc(2);
    store.gauge('cluster.backend.upstream_cx_active').inc();
    store.histogram('cluster.backend.upstream_rq_time').record(3);
    store.mergeHistograms();
    expect(rejected.used).toBe(false);
    expect(store.counter('cluster.backend.upstream_rq_total')).toBe(rejected);
    const snapshot = store.snapshot();
    expect(snapshot.counters).toEqual([{ name: 'http.ingress_http.downstream_rq_total', value: 2, used: true }]);
    expect(snapshot.gauges).toEqual([]);
    expect(snapshot.histograms).toEqual([]);
    expect(store.size).toBe(1);
    expect(store.rejectsAll).toBe(false);
  });

  it('keeps only what an inclusion list matches, and nothing with reject_all', () => {
    const included = createStatsStore({ matcher: { type: 'inclusionList', patterns: [{ type: 'safeRegex', regex: 'server\\..*' }] } });
    included.gauge('server.live', 'neverImport').set(1);
    included.counter('http.x.downstream_rq_total').inc();
    expect(included.snapshot().gauges.map((g) => g.name)).toEqual(['server.live']);
    expect(included.snapshot().counters).toEqual([]);
    const none = createStatsStore({ matcher: { type: 'rejectAll' } });
    none.gauge('server.live', 'neverImport').set(1);
    none.counter('http.x.downstream_rq_total').inc();
    none.histogram('http.x.downstream_rq_time').record(1);
    expect(none.rejectsAll).toBe(true);
    expect(none.size).toBe(0);
    const snapshot = none.snapshot();
    expect([snapshot.counters, snapshot.gauges, snapshot.histograms]).toEqual([[], [], []]);
  });

  it('runs the matcher once per name, not per record or lookup', () => {
    let calls = 0;
    const store = createStatsStore({
      matcher: { type: 'exclusionList', patterns: [{ type: 'prefix', value: 'x', ignoreCase: false }] },
    });
    const original = String.prototype.startsWith;
    String.prototype.startsWith = function (this: string, ...args: Parameters<typeof original>): boolean {
      calls++;
      return original.apply(this, args);
    };
    try {
      for (let i = 0; i < 3; i++) store.counter('x.rejected').inc();
      for (let i = 0; i < 3; i++) store.counter('y.kept').inc();
    } finally {
      String.prototype.startsWith = original;
    }
    expect(calls).toBe(2);
  });

  it('gives histograms the buckets of the first histogram_bucket_settings entry matching their name', () => {
    const store = createStatsStore({
      histogramBuckets: [
        { match: { type: 'suffix', value: '_rq_time', ignoreCase: false }, buckets: [1, 10, 100] },
        { match: { type: 'prefix', value: 'http.', ignoreCase: false }, buckets: [5, 50] },
      ],
    });
    expect(store.histogram('http.x.downstream_rq_time').buckets).toEqual([1, 10, 100]);
    expect(store.histogram('http.x.downstream_cx_length_ms').buckets).toEqual([5, 50]);
    expect(store.histogram('cluster.y.upstream_cx_length_ms').buckets).toBe(DEFAULT_HISTOGRAM_BUCKETS);
    expect(store.histogram('other', { buckets: [2] }).buckets).toEqual([2]);
    store.histogram('http.x.downstream_rq_time').record(7);
    store.mergeHistograms();
    expect(store.snapshot().histograms.find((h) => h.name === 'http.x.downstream_rq_time')?.buckets).toEqual([1, 10, 100]);
    expect(codeOf(() => createStatsStore({ histogramBuckets: [{ match: { type: 'exact', value: 'h', ignoreCase: false }, buckets: [2, 1] }] }))).toBe(
      ORION_ERR_METRICS_INVALID_BUCKETS,
    );
  });
});
