/**
 * Exponential back-off with full jitter, exactly as Envoy's `JitteredExponentialBackOffStrategy`: the n-th delay
 * is uniform in [0, (2^n − 1) × base), never above `max`; once that range passes `max` it stops growing.
 * Envoy: `RetryPolicy.retry_back_off` (`base_interval` default 25 ms, `max_interval` default 10 × base).
 */
export class JitteredBackoff {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 1;

  /** `random` returns a uniform number in [0, 1) (default `Math.random`). */
  constructor(baseMs: number, maxMs: number, random: () => number = Math.random) {
    this.#baseMs = Math.max(1, baseMs);
    this.#maxMs = Math.max(this.#baseMs, maxMs);
    this.#random = random;
  }

  /** The next delay in milliseconds. */
  nextMs(): number {
    const range = (2 ** this.#attempt - 1) * this.#baseMs;
    if (range <= this.#maxMs) this.#attempt++;
    return Math.min(Math.floor(this.#random() * range), this.#maxMs);
  }
}
