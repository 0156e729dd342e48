/**
 * Envoy's histograms are circllhist log-linear histograms: every recorded value falls in a bin of two significant
 * decimal digits (`[1.2, 1.3)`, `[120, 130)`, `[0.012, 0.013)`), plus one bin for zero. Everything Envoy prints
 * (quantiles, Prometheus buckets, `_sum`) is computed from those bins, never from the raw values, so this module
 * ports the libcircllhist arithmetic Envoy links: binning (`double_to_hist_bucket`), bin bounds, `hist_approx_sum`,
 * `hist_approx_quantile`, `hist_approx_count_below` and `hist_approx_count_above`.
 *
 * A bin is identified by a small integer key that sorts like the values it holds: `0` is the zero bin, and the bin
 * with mantissa `val` (10..99) and decimal exponent `exp` (-128..127) — holding `[val/10 · 10^exp, (val+1)/10 · 10^exp)`
 * — has key `(exp + 129) · 100 + val`. Bins travel as flat arrays `[key, count, key, count, …]` in ascending key
 * order ({@link HistogramBins}).
 */

/**
 * Bins of one histogram as plain data: `[key, count, key, count, …]`, keys ascending and unique, counts positive.
 * JSON-serialisable; see the module documentation for what a key means.
 */
export type HistogramBins = readonly number[];

/** The key of the zero bin (values `0`, negatives and positives below 1e-128). */
export const ZERO_BIN_KEY = 0;

const MIN_EXP = -128;
const MAX_EXP = 127;

/** `10^exp` for exp in -128..127 at index `exp + 128`, each the correctly rounded double (as circllhist's table). */
export const POWERS_OF_TEN: Float64Array = Float64Array.from({ length: 256 }, (_, i) => Number(`1e${i + MIN_EXP}`));

/** The key of the bin with mantissa `val` (10..99) and exponent `exp` (-128..127). */
export function binKey(exp: number, val: number): number {
  return (exp + 129) * 100 + val;
}

/**
 * The key of the bin `value` falls in, or -1 for a value no bin holds (NaN, ±Infinity, above 1e128). Zero, negative
 * values and positive values below 1e-128 fall in the zero bin (Envoy records unsigned integers only).
 */
export function binKeyOf(value: number): number {
  if (value > 0) {
    if (value === Infinity) return -1;
    let exp = Math.floor(Math.log10(value));
    if (exp < MIN_EXP) return ZERO_BIN_KEY;
    if (exp > MAX_EXP) return -1;
    let val = mantissa(value, exp);
    if (val >= 100) {
      exp += 1;
      if (exp > MAX_EXP) return -1;
      val = 10;
    } else if (val < 10) {
      // log10 rounded up to the next integer just below a power of ten: circllhist gives up (NaN bin); one
      // exponent down is where the value belongs.
      exp -= 1;
      if (exp < MIN_EXP) return ZERO_BIN_KEY;
      val = mantissa(value, exp);
    }
    return binKey(exp, val);
  }
  return value <= 0 && value !== -Infinity ? ZERO_BIN_KEY : -1;
}

/** The two significant digits of `value` at exponent `exp`, with circllhist's 1e-13 allowance for rounding. */
export function mantissa(value: number, exp: number): number {
  return Math.floor((value / (POWERS_OF_TEN[exp - MIN_EXP] as number)) * 10 + 1e-13);
}

/** The lower bound of a bin (`hist_bucket_to_double`). */
export function binLowerBound(key: number): number {
  if (key === ZERO_BIN_KEY) return 0;
  const val = key % 100;
  return (val / 10) * (POWERS_OF_TEN[Math.floor(key / 100) - 129 - MIN_EXP] as number);
}

/** The width of a bin (`hist_bucket_to_double_bin_width`); 0 for the zero bin. */
export function binWidth(key: number): number {
  if (key === ZERO_BIN_KEY) return 0;
  return (POWERS_OF_TEN[Math.floor(key / 100) - 129 - MIN_EXP] as number) / 10;
}

/**
 * The value that stands for every sample of a bin in sums: the harmonic mean of the bin's bounds, as the
 * libcircllhist Envoy links computes it (`[50, 51)` → 50.495…). 0 for the zero bin.
 */
export function binRepresentative(key: number): number {
  if (key === ZERO_BIN_KEY) return 0;
  const lower = binLowerBound(key);
  const upper = lower + binWidth(key);
  return (2 * lower * upper) / (lower + upper);
}

/** The number of samples in `bins` (`hist_sample_count`). */
export function binsSampleCount(bins: HistogramBins): number {
  let total = 0;
  for (let i = 1; i < bins.length; i += 2) total += bins[i] as number;
  return total;
}

/** The approximate sum of the samples in `bins` (`hist_approx_sum`): each bin counts at its representative value. */
export function binsApproxSum(bins: HistogramBins): number {
  let sum = 0;
  for (let i = 0; i < bins.length; i += 2) sum += binRepresentative(bins[i] as number) * (bins[i + 1] as number);
  return sum;
}

/**
 * The samples at or below `threshold`, at bin resolution: every bin whose lower bound is at or below it. This is
 * what current Envoy reports for the bucket `le="threshold"` (libcircllhist's inclusive count, so a value of exactly
 * 50 counts in `le="50"`); Envoy releases before it counted only bins wholly below the bound.
 */
export function binsCountAtOrBelow(bins: HistogramBins, threshold: number): number {
  let count = 0;
  for (let i = 0; i < bins.length; i += 2) {
    if (binLowerBound(bins[i] as number) <= threshold) count += bins[i + 1] as number;
    else break;
  }
  return count;
}

/**
 * Quantiles of the samples in `bins` (`hist_approx_quantile`): linear interpolation inside the bin where the
 * cumulative count reaches `q · total`. `quantiles` must be ascending values in [0, 1]. All NaN when `bins` is empty.
 */
export function binsApproxQuantiles(bins: HistogramBins, quantiles: readonly number[]): number[] {
  const total = binsSampleCount(bins);
  const out = quantiles.map((q) => total * q);
  if (total === 0) return out.fill(Number.NaN);
  let index = 0;
  let width = 0;
  let left = 0;
  let lowerCount = 0;
  let upperCount = 0;
  const track = (i: number): void => {
    const key = bins[i] as number;
    width = binWidth(key);
    left = binLowerBound(key);
    lowerCount = upperCount;
    upperCount = lowerCount + (bins[i + 1] as number);
  };
  while (index < bins.length && (bins[index + 1] as number) === 0) index += 2;
  track(index);
  for (let q = 0; q < out.length; q++) {
    const target = out[q] as number;
    while (index < bins.length - 2 && upperCount < target) {
      index += 2;
      track(index);
    }
    if (lowerCount === target) out[q] = left;
    else if (upperCount === target) out[q] = left + width;
    else if (width === 0) out[q] = left;
    else out[q] = left + ((target - lowerCount) / (upperCount - lowerCount)) * width;
  }
  return out;
}

/** The bin-wise sum of two bin lists. */
export function mergeBins(a: HistogramBins, b: HistogramBins): number[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const ka = i < a.length ? (a[i] as number) : Infinity;
    const kb = j < b.length ? (b[j] as number) : Infinity;
    if (ka === kb) {
      out.push(ka, (a[i + 1] as number) + (b[j + 1] as number));
      i += 2;
      j += 2;
    } else if (ka < kb) {
      out.push(ka, a[i + 1] as number);
      i += 2;
    } else {
      out.push(kb, b[j + 1] as number);
      j += 2;
    }
  }
  return out;
}
