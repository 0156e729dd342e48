import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { aggregateSnapshots } from '../src/aggregate-snapshots.js';
import { ORION_ERR_METRICS_INVALID_SNAPSHOT } from '../src/error-codes.js';
import { histogramStatistics } from '../src/histogram-statistics.js';
import type { StatsSnapshot } from '../src/stats-snapshot.js';
import { createStatsStore } from '../src/stats-store.js';

function workerSnapshot(rq: number, active: number, live: number, times: readonly number[]): StatsSnapshot {
  const store = createStatsStore({ origin: 'worker' });
  store.counter('http.ingress_http.downstream_rq_total').inc(rq);
  store.gauge('http.ingress_http.downstream_cx_active').set(active);
  store.gauge('server.live', 'neverImport').set(live);
  const histogram = store.histogram('http.ingress_http.downstream_rq_time');
  for (const t of times) histogram.record(t);
  store.mergeHistograms();
  return store.snapshot();
}

describe('aggregateSnapshots', () => {
  it('sums counters and accumulating gauges and takes neverImport gauges from the primary', () => {
    const primary = createStatsStore({ origin: 'primary' });
    primary.gauge('server.live', 'neverImport').set(1);
    primary.gauge('server.concurrency', 'neverImport').set(2);
    const merged = aggregateSnapshots([primary.snapshot(), workerSnapshot(3, 2, 0, []), workerSnapshot(4, 5, 0, [])]);
    expect(merged.origin).toBe('primary');
    expect(merged.counters).toEqual([{ name: 'http.ingress_http.downstream_rq_total', value: 7, used: true }]);
    expect(merged.gauges).toEqual([
      { name: 'server.live', value: 1, used: true, importMode: 'neverImport' },
      { name: 'server.concurrency', value: 2, used: true, importMode: 'neverImport' },
      { name: 'http.ingress_http.downstream_cx_active', value: 7, used: true, importMode: 'accumulate' },
    ]);
  });

  it('takes the largest worker value of a neverImport gauge no primary snapshot has', () => {
    const merged = aggregateSnapshots([workerSnapshot(0, 0, 1, []), workerSnapshot(0, 0, 0, [])]);
    expect(merged.origin).toBe('worker');
    expect(merged.gauges.find((g) => g.name === 'server.live')?.value).toBe(1);
  });

  it('merges histogram bins so quantiles are those of all values together', () => {
    const a = [1, 5, 20, 200, 3000];
    const b = [7, 7, 450, 61_000];
    const merged = aggregateSnapshots([workerSnapshot(0, 0, 0, a), workerSnapshot(0, 0, 0, b)]).histograms[0];
    const single = workerSnapshot(0, 0, 0, [...a, ...b]).histograms[0];
    expect(merged?.cumulative).toEqual(single?.cumulative);
    expect(merged?.interval).toEqual(single?.interval);
    expect(histogramStatistics(merged?.cumulative ?? []).sampleCount).toBe(9);
  });

  it('marks a stat used when any process used it', () => {
    const used = createStatsStore();
    used.counter('c').inc();
    const unused = createStatsStore();
    unused.counter('c');
    unused.counter('d');
    const merged = aggregateSnapshots([unused.snapshot(), used.snapshot()]);
    expect(merged.counters).toEqual([
      { name: 'c', value: 1, used: true },
      { name: 'd', value: 0, used: false },
    ]);
  });

  it('refuses a snapshot of another version', () => {
    const bad = { ...workerSnapshot(0, 0, 0, []), version: 2 } as unknown as StatsSnapshot;
    expect(() => aggregateSnapshots([bad])).toThrow(OrionError);
    try {
      aggregateSnapshots([bad]);
    } catch (err) {
      expect((err as OrionError).code).toBe(ORION_ERR_METRICS_INVALID_SNAPSHOT);
    }
  });

  it('gives an empty snapshot for no input', () => {
    expect(aggregateSnapshots([])).toMatchObject({ counters: [], gauges: [], histograms: [], origin: 'worker' });
  });
});
