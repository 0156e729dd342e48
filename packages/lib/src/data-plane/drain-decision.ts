/**
 * Envoy's `--drain-strategy`: `gradual` (the default) drains connections with a probability that grows over the
 * drain period, `immediate` drains every connection at once.
 */
export type DrainStrategy = 'gradual' | 'immediate';

/** Options of {@link drainDecision}. */
export interface DrainDecisionOptions {
  /** The strategy. */
  readonly strategy: DrainStrategy;
  /** The drain period (`--drain-time-s`) in ms. */
  readonly drainTimeMs: number;
  /** When the drain began (`Date.now()`). */
  readonly startedMs: number;
  /** A uniform random number in [0, 1) (tests). Default `Math.random`. */
  readonly random?: () => number;
  /** The clock (tests). Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Envoy's `DrainManagerImpl::drainClose()` once the drain sequence has started: with `immediate`, always true; with
 * `gradual`, true with probability elapsed / drain time, both in whole seconds as Envoy counts them (the remaining
 * time is truncated, so any moment after the start counts as at least one second elapsed), and always true from the
 * deadline on or when the drain time is under a second.
 */
export function drainDecision(options: DrainDecisionOptions): () => boolean {
  if (options.strategy === 'immediate') return () => true;
  const drainS = Math.floor(options.drainTimeMs / 1000);
  if (drainS <= 0) return () => true;
  const deadlineMs = options.startedMs + options.drainTimeMs;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  return () => {
    const remainingMs = deadlineMs - now();
    if (remainingMs <= 0) return true;
    const elapsedS = drainS - Math.min(drainS, Math.floor(remainingMs / 1000));
    return elapsedS > Math.floor(random() * drainS);
  };
}
