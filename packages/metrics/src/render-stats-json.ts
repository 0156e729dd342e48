import { SUPPORTED_QUANTILES } from './histogram-defaults.js';
import { detailedBuckets, disjointBucketCounts, histogramStatistics, type DetailedBucket } from './histogram-statistics.js';
import { compareStatNames } from './stat-name-order.js';
import { shown, type StatsRenderOptions } from './stats-render-options.js';
import type { HistogramSnapshot, StatsSnapshot } from './stats-snapshot.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Renders a snapshot as Envoy's `GET /stats?format=json`: `{"stats":[{"name":…,"value":…},…]}` with counters and
 * gauges sorted by name, followed — when any histogram is shown — by one `{"histograms":…}` element whose shape
 * follows `histogram_buckets` (quantiles by default, with `null` for an interval that has no values).
 */
export function renderStatsJson(snapshot: StatsSnapshot, options: StatsRenderOptions = {}): string {
  const type = options.type ?? 'All';
  const values: { name: string; value: number }[] = [];
  if (type === 'All' || type === 'Counters') for (const c of snapshot.counters) if (shown(c, options)) values.push(c);
  if (type === 'All' || type === 'Gauges') for (const g of snapshot.gauges) if (shown(g, options)) values.push(g);
  values.sort((a, b) => compareStatNames(a.name, b.name));
  const stats: Json[] = values.map((s) => ({ name: s.name, value: s.value }));
  if (type === 'All' || type === 'Histograms') {
    const histograms = snapshot.histograms.filter((h) => shown(h, options)).sort((a, b) => compareStatNames(a.name, b.name));
    if (histograms.length > 0) stats.push({ histograms: histogramsJson(histograms, options) });
  }
  return JSON.stringify({ stats });
}

function histogramsJson(histograms: readonly HistogramSnapshot[], options: StatsRenderOptions): Json {
  const percentiles = SUPPORTED_QUANTILES.map((q) => Math.round(q * 1000) / 10);
  switch (options.histogramBuckets ?? 'summary') {
    case 'summary':
      return { supported_quantiles: percentiles, computed_quantiles: histograms.map((h) => ({ name: h.name, values: quantileValues(h) })) };
    case 'cumulative':
    case 'disjoint': {
      const disjoint = options.histogramBuckets === 'disjoint';
      return histograms.map((h) => {
        const interval = histogramStatistics(h.interval, h.buckets);
        const cumulative = histogramStatistics(h.cumulative, h.buckets);
        const i = disjoint ? disjointBucketCounts(interval.bucketCounts) : interval.bucketCounts;
        const c = disjoint ? disjointBucketCounts(cumulative.bucketCounts) : cumulative.bucketCounts;
        return {
          name: h.name,
          buckets: interval.buckets.map((bound, k) => ({ upper_bound: bound, interval: i[k] as number, cumulative: c[k] as number })),
        };
      });
    }
    case 'detailed':
      return {
        supported_percentiles: percentiles,
        details: histograms.map((h) => ({
          name: h.name,
          totals: verbose(detailedBuckets(h.cumulative)),
          intervals: verbose(detailedBuckets(h.interval)),
          percentiles: quantileValues(h),
        })),
      };
  }
}

function quantileValues(histogram: HistogramSnapshot): Json[] {
  const interval = histogramStatistics(histogram.interval, histogram.buckets).quantiles;
  const cumulative = histogramStatistics(histogram.cumulative, histogram.buckets).quantiles;
  return cumulative.map((c, i) => ({ cumulative: finiteOrNull(c), interval: finiteOrNull(interval[i] as number) }));
}

function verbose(buckets: readonly DetailedBucket[]): Json[] {
  return buckets.map((b) => ({ lower_bound: b.lowerBound, width: b.width, count: b.count }));
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
