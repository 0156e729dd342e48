import {
  binLowerBound,
  binWidth,
  binsApproxQuantiles,
  binsApproxSum,
  binsCountAtOrBelow,
  binsSampleCount,
  type HistogramBins,
} from './histogram-bins.js';
import { DEFAULT_HISTOGRAM_BUCKETS, SUPPORTED_QUANTILES } from './histogram-defaults.js';

/** What Envoy computes from one set of bins (`HistogramStatisticsImpl`). */
export interface HistogramStatistics {
  /** Values at {@link SUPPORTED_QUANTILES}; NaN when there are no samples. */
  readonly quantiles: readonly number[];
  /** The bucket bounds. */
  readonly buckets: readonly number[];
  /** Samples at or below each bound (cumulative, as Prometheus `le` buckets). */
  readonly bucketCounts: readonly number[];
  /** Samples above the last bound (all samples less the last bucket). */
  readonly outOfBoundCount: number;
  readonly sampleCount: number;
  /** The approximate sum (each bin at the harmonic mean of its bounds). */
  readonly sampleSum: number;
}

/** One circllhist bin as Envoy's `histogram_buckets=detailed` shows it. */
export interface DetailedBucket {
  readonly lowerBound: number;
  readonly width: number;
  readonly count: number;
}

/** Statistics of `bins` against `buckets` (default {@link DEFAULT_HISTOGRAM_BUCKETS}). */
export function histogramStatistics(bins: HistogramBins, buckets: readonly number[] = DEFAULT_HISTOGRAM_BUCKETS): HistogramStatistics {
  const sampleCount = binsSampleCount(bins);
  const bucketCounts = buckets.map((bound) => binsCountAtOrBelow(bins, bound));
  return {
    quantiles: binsApproxQuantiles(bins, SUPPORTED_QUANTILES),
    buckets,
    bucketCounts,
    outOfBoundCount: sampleCount - (bucketCounts[bucketCounts.length - 1] ?? 0),
    sampleCount,
    sampleSum: binsApproxSum(bins),
  };
}

/** Per-bucket counts from cumulative ones (Envoy `computeDisjointBuckets`). */
export function disjointBucketCounts(bucketCounts: readonly number[]): number[] {
  let previous = 0;
  return bucketCounts.map((count) => {
    const out = count - previous;
    previous = count;
    return out;
  });
}

/** The bins themselves, for `histogram_buckets=detailed`. */
export function detailedBuckets(bins: HistogramBins): DetailedBucket[] {
  const out: DetailedBucket[] = [];
  for (let i = 0; i < bins.length; i += 2) {
    const key = bins[i] as number;
    out.push({ lowerBound: binLowerBound(key), width: binWidth(key), count: bins[i + 1] as number });
  }
  return out;
}
