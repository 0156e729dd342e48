import { histogramStatistics, detailedBuckets, disjointBucketCounts, type DetailedBucket, type HistogramStatistics } from './histogram-statistics.js';
import { SUPPORTED_QUANTILES } from './histogram-defaults.js';
import { formatG, formatShortest, formatValue } from './number-format.js';
import { compareStatNames } from './stat-name-order.js';
import { shown, type StatsRenderOptions } from './stats-render-options.js';
import type { HistogramSnapshot, StatsSnapshot } from './stats-snapshot.js';

/** `P0`, `P25`, … `P99.5`, `P99.9`, `P100`: Envoy's `P{:g}` of 100 · quantile. */
export const QUANTILE_LABELS: readonly string[] = Object.freeze(SUPPORTED_QUANTILES.map((q) => `P${formatG(Math.round(q * 1000) / 10)}`));

/**
 * Renders a snapshot as Envoy's `GET /stats` (text): counters and gauges together sorted by name as `name: value`,
 * then histograms sorted by name — `name: P0(interval,cumulative) P25(…) …`, or `name: No recorded values` for one
 * never written — one line each.
 */
export function renderStatsText(snapshot: StatsSnapshot, options: StatsRenderOptions = {}): string {
  const type = options.type ?? 'All';
  let out = '';
  const values: { name: string; value: number }[] = [];
  if (type === 'All' || type === 'Counters') for (const c of snapshot.counters) if (shown(c, options)) values.push(c);
  if (type === 'All' || type === 'Gauges') for (const g of snapshot.gauges) if (shown(g, options)) values.push(g);
  values.sort((a, b) => compareStatNames(a.name, b.name));
  for (const stat of values) out += `${stat.name}: ${formatValue(stat.value)}\n`;
  if (type === 'All' || type === 'Histograms') {
    const histograms = snapshot.histograms.filter((h) => shown(h, options)).sort((a, b) => compareStatNames(a.name, b.name));
    for (const histogram of histograms) out += histogramLine(histogram, options);
  }
  return out;
}

function histogramLine(histogram: HistogramSnapshot, options: StatsRenderOptions): string {
  if (!histogram.used) return `${histogram.name}: No recorded values\n`;
  const interval = histogramStatistics(histogram.interval, histogram.buckets);
  const cumulative = histogramStatistics(histogram.cumulative, histogram.buckets);
  switch (options.histogramBuckets ?? 'summary') {
    case 'summary':
      return `${histogram.name}: ${quantileSummary(interval, cumulative)}\n`;
    case 'cumulative':
      return `${histogram.name}: ${bucketSummary(interval.buckets, interval.bucketCounts, cumulative.bucketCounts)}\n`;
    case 'disjoint':
      return `${histogram.name}: ${bucketSummary(
        interval.buckets,
        disjointBucketCounts(interval.bucketCounts),
        disjointBucketCounts(cumulative.bucketCounts),
      )}\n`;
    case 'detailed':
      return (
        `${histogram.name}:\n  totals=${detail(detailedBuckets(histogram.cumulative))}\n` +
        `  intervals=${detail(detailedBuckets(histogram.interval))}\n` +
        `  summary=${quantileSummary(interval, cumulative)}\n`
      );
  }
}

/** `P0(interval,cumulative) P25(…) …` (`ParentHistogramImpl::quantileSummary`). */
export function quantileSummary(interval: HistogramStatistics, cumulative: HistogramStatistics): string {
  return QUANTILE_LABELS.map(
    (label, i) => `${label}(${formatShortest(interval.quantiles[i] as number)},${formatShortest(cumulative.quantiles[i] as number)})`,
  ).join(' ');
}

function bucketSummary(buckets: readonly number[], interval: readonly number[], cumulative: readonly number[]): string {
  return buckets.map((bound, i) => `B${formatG(bound)}(${formatValue(interval[i] as number)},${formatValue(cumulative[i] as number)})`).join(' ');
}

function detail(buckets: readonly DetailedBucket[]): string {
  return buckets.map((b) => `${formatG(b.lowerBound, 15)},${formatG(b.width, 15)}:${formatValue(b.count)}`).join(', ');
}
