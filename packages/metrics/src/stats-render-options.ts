import type { StatsFilter } from './stats-filter.js';
import type { HistogramBucketsMode, StatsType } from './stats-params.js';
import type { CounterSnapshot, GaugeSnapshot, HistogramSnapshot } from './stats-snapshot.js';

/** What to show in `/stats` output; every field is optional and defaults to Envoy's. */
export interface StatsRenderOptions {
  /** Only stats that have been written (`usedonly`). Default false. */
  readonly usedOnly?: boolean;
  /** Only stats whose name matches (`filter`). Default all. */
  readonly filter?: StatsFilter;
  /** Only one kind (`type`). Default `All`. */
  readonly type?: StatsType;
  /** How histograms are shown (`histogram_buckets`). Default `summary`. */
  readonly histogramBuckets?: HistogramBucketsMode;
}

/** True when a stat passes `usedonly` and `filter`. */
export function shown(stat: CounterSnapshot | GaugeSnapshot | HistogramSnapshot, options: StatsRenderOptions): boolean {
  if (options.usedOnly === true && !stat.used) return false;
  return options.filter === undefined || options.filter.test(stat.name);
}
