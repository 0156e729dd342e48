import type { HistogramBins } from './histogram-bins.js';
import { LogLinearHistogram } from './log-linear-histogram.js';

/**
 * A distribution of recorded values (Envoy `Stats::Histogram` / `ParentHistogram`), e.g.
 * `cluster.backend.upstream_rq_time` in milliseconds. Values land in circllhist log-linear bins; quantiles,
 * buckets and sums are computed from the bins when rendered.
 *
 * Like Envoy, a histogram shows what was merged at the last {@link StatsStore.mergeHistograms} (run every
 * `stats_flush_interval`): `interval` is what was recorded between the last two merges, `cumulative` everything
 * merged so far. Values recorded since the last merge are not shown yet.
 */
export interface Histogram {
  /** The full stat name. */
  readonly name: string;
  /** Bucket upper bounds for Prometheus, `histogram_buckets` and OTLP. Default {@link DEFAULT_HISTOGRAM_BUCKETS}. */
  readonly buckets: readonly number[];
  /** True once a value has been recorded. */
  readonly used: boolean;
  /**
   * Records one value (Envoy `recordValue`). Envoy records unsigned integers; here any finite number is binned as
   * given (negatives count as 0, NaN and ±Infinity are dropped).
   */
  record(value: number): void;
}

/** The one implementation of {@link Histogram}. */
export class HistogramImpl implements Histogram {
  readonly name: string;
  readonly buckets: readonly number[];
  used = false;
  readonly #current = new LogLinearHistogram();
  readonly #cumulative = new LogLinearHistogram();
  #interval: HistogramBins = [];

  constructor(name: string, buckets: readonly number[]) {
    this.name = name;
    this.buckets = buckets;
  }

  record(value: number): void {
    this.used = true;
    this.#current.record(value);
  }

  /** Ends the current interval: its values become the shown interval and join the cumulative bins. */
  merge(): void {
    const interval = this.#current.toBins();
    this.#interval = interval;
    if (interval.length > 0) {
      this.#cumulative.addBins(interval);
      this.#current.clear();
    }
  }

  /** The bins of the last completed interval. */
  get interval(): HistogramBins {
    return this.#interval;
  }

  /** The bins of every merged value. */
  cumulativeBins(): HistogramBins {
    return this.#cumulative.toBins();
  }
}
