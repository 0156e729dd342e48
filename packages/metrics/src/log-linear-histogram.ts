import { ZERO_BIN_KEY, binKey, binKeyOf, mantissa, type HistogramBins } from './histogram-bins.js';

const MIN_EXP = -128;
const MAX_EXP = 127;
const BINS_PER_DECADE = 90;

/**
 * The recording side of a circllhist histogram: a count per log-linear bin, kept densely per decimal decade so that
 * recording a value is a `log10`, a division and one typed-array slot increment — no lookup by key and, once the
 * decade has been seen, no allocation. A decade (90 bins, 720 bytes) is allocated the first time a value lands in it.
 */
export class LogLinearHistogram {
  #zero = 0;
  #minExp = 0;
  readonly #decades: (Float64Array | undefined)[] = [];

  /** Adds one sample. NaN, ±Infinity and values above 1e128 are dropped; zero and negatives count in the zero bin. */
  record(value: number): void {
    if (value > 0 && value < Infinity) {
      const exp = Math.floor(Math.log10(value));
      if (exp >= MIN_EXP && exp <= MAX_EXP) {
        const val = mantissa(value, exp);
        if (val >= 10 && val < 100) {
          const i = exp - this.#minExp;
          const decade = i >= 0 && i < this.#decades.length ? this.#decades[i] : undefined;
          if (decade !== undefined) {
            decade[val - 10] = (decade[val - 10] as number) + 1;
            return;
          }
        }
      }
      this.#add(binKeyOf(value), 1);
    } else if (value <= 0 && value !== -Infinity) {
      this.#zero += 1;
    }
  }

  /** Adds the counts of `bins`. */
  addBins(bins: HistogramBins): void {
    for (let i = 0; i < bins.length; i += 2) this.#add(bins[i] as number, bins[i + 1] as number);
  }

  /** The non-empty bins, ascending. A new array. */
  toBins(): number[] {
    const out: number[] = [];
    if (this.#zero > 0) out.push(ZERO_BIN_KEY, this.#zero);
    for (let i = 0; i < this.#decades.length; i++) {
      const decade = this.#decades[i];
      if (decade === undefined) continue;
      const exp = this.#minExp + i;
      for (let j = 0; j < BINS_PER_DECADE; j++) {
        const count = decade[j] as number;
        if (count > 0) out.push(binKey(exp, j + 10), count);
      }
    }
    return out;
  }

  /** True when no sample has been recorded since the last {@link clear}. */
  get isEmpty(): boolean {
    if (this.#zero > 0) return false;
    for (const decade of this.#decades) {
      if (decade !== undefined && decade.some((count) => count > 0)) return false;
    }
    return true;
  }

  /** Forgets every sample, keeping the decades allocated. */
  clear(): void {
    this.#zero = 0;
    for (const decade of this.#decades) decade?.fill(0);
  }

  #add(key: number, count: number): void {
    if (key < 0) return;
    if (key === ZERO_BIN_KEY) {
      this.#zero += count;
      return;
    }
    const exp = Math.floor(key / 100) - 129;
    const decade = this.#decade(exp);
    const j = (key % 100) - 10;
    decade[j] = (decade[j] as number) + count;
  }

  #decade(exp: number): Float64Array {
    const decades = this.#decades;
    if (decades.length === 0) this.#minExp = exp;
    while (exp < this.#minExp) {
      decades.unshift(undefined);
      this.#minExp -= 1;
    }
    while (exp - this.#minExp >= decades.length) decades.push(undefined);
    const i = exp - this.#minExp;
    let decade = decades[i];
    if (decade === undefined) {
      decade = new Float64Array(BINS_PER_DECADE);
      decades[i] = decade;
    }
    return decade;
  }
}
