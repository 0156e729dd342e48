import { describe, expect, it } from 'vitest';
import { renderStatsJson } from '../src/render-stats-json.js';
import { compileStatsFilter } from '../src/stats-filter.js';
import { createStatsStore } from '../src/stats-store.js';

const PERCENTILES = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];

function parse(json: string): unknown {
  return JSON.parse(json) as unknown;
}

// Expected documents are those of Envoy's test/server/admin/stats_handler_test.cc unless a comment says otherwise.
describe('renderStatsJson', () => {
  it('lists counters and gauges, then the histograms with their quantiles', () => {
    const store = createStatsStore();
    store.counter('c1').add(10);
    store.counter('c2').add(20);
    store.histogram('h').record(200);
    store.mergeHistograms();
    expect(parse(renderStatsJson(store.snapshot()))).toEqual({
      stats: [
        { name: 'c1', value: 10 },
        { name: 'c2', value: 20 },
        {
          histograms: {
            supported_quantiles: PERCENTILES,
            computed_quantiles: [
              {
                name: 'h',
                values: [200, 202.5, 205, 207.5, 209, 209.5, 209.9, 209.95, 209.99, 210].map((v) => ({ cumulative: v, interval: v })),
              },
            ],
          },
        },
      ],
    });
  });

  it('gives null for an interval without values', () => {
    const store = createStatsStore();
    const h1 = store.histogram('h1');
    const h2 = store.histogram('h2');
    h1.record(200);
    h2.record(100);
    store.mergeHistograms();
    h1.record(100);
    store.mergeHistograms();
    const interval = [100, 102.5, 105, 107.5, 109, 109.5, 109.9, 109.95, 109.99, 110];
    const h1Cumulative = [100, 105, 110, 205, 208, 209, 209.8, 209.9, 209.98, 210];
    expect(parse(renderStatsJson(store.snapshot()))).toEqual({
      stats: [
        {
          histograms: {
            supported_quantiles: PERCENTILES,
            computed_quantiles: [
              { name: 'h1', values: interval.map((v, i) => ({ cumulative: h1Cumulative[i], interval: v })) },
              { name: 'h2', values: interval.map((v) => ({ cumulative: v, interval: null })) },
            ],
          },
        },
      ],
    });
  });

  it('lists buckets per histogram for histogram_buckets=cumulative and disjoint', () => {
    // Envoy's HandlerStatsJsonHistogramBucketsCumulative/Disjoint record 1, 2 | 2 with buckets 1..4. The counts
    // here are those of current Envoy, whose buckets include a value equal to the bound (Envoy releases before
    // that change printed cumulative 0,1,3,3 and interval 0,0,1,1).
    const store = createStatsStore();
    store.counter('c1').add(10);
    const h1 = store.histogram('h1', { buckets: [1, 2, 3, 4] });
    store.histogram('h2', { buckets: [1, 2, 3, 4] });
    h1.record(1);
    h1.record(2);
    store.mergeHistograms();
    h1.record(2);
    store.mergeHistograms();
    const snapshot = store.snapshot();
    const bucketsOf = (interval: number[], cumulative: number[]): unknown =>
      [1, 2, 3, 4].map((upper, i) => ({ upper_bound: upper, interval: interval[i], cumulative: cumulative[i] }));
    expect(parse(renderStatsJson(snapshot, { histogramBuckets: 'cumulative' }))).toEqual({
      stats: [
        { name: 'c1', value: 10 },
        {
          histograms: [
            { name: 'h1', buckets: bucketsOf([0, 1, 1, 1], [1, 3, 3, 3]) },
            { name: 'h2', buckets: bucketsOf([0, 0, 0, 0], [0, 0, 0, 0]) },
          ],
        },
      ],
    });
    expect(parse(renderStatsJson(snapshot, { histogramBuckets: 'disjoint', usedOnly: true, filter: compileStatsFilter('h1') }))).toEqual({
      stats: [{ histograms: [{ name: 'h1', buckets: bucketsOf([0, 1, 0, 0], [1, 2, 0, 0]) }] }],
    });
  });

  it('leaves the histograms element out when no histogram is shown', () => {
    const store = createStatsStore();
    store.counter('c1').add(10);
    store.histogram('h1');
    store.mergeHistograms();
    for (const histogramBuckets of ['summary', 'cumulative', 'disjoint', 'detailed'] as const) {
      expect(renderStatsJson(store.snapshot(), { usedOnly: true, histogramBuckets })).toBe('{"stats":[{"name":"c1","value":10}]}');
    }
  });

  it('lists the bins for histogram_buckets=detailed', () => {
    const store = createStatsStore();
    store.histogram('h').record(200);
    store.mergeHistograms();
    expect(parse(renderStatsJson(store.snapshot(), { histogramBuckets: 'detailed' }))).toMatchObject({
      stats: [
        {
          histograms: {
            supported_percentiles: PERCENTILES,
            details: [
              {
                name: 'h',
                totals: [{ lower_bound: 200, width: 10, count: 1 }],
                intervals: [{ lower_bound: 200, width: 10, count: 1 }],
              },
            ],
          },
        },
      ],
    });
  });
});
