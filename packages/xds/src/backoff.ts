import { OrionError } from '@orion/error';
import { ORION_ERR_XDS_INVALID_ARGUMENT } from './error-codes.js';

/** Reconnect backoff of the ADS stream: jittered exponential, like Envoy's `JitteredExponentialBackOffStrategy`. */
export interface BackoffOptions {
  /** The first retry waits up to this long. Default: 500 ms (Envoy's ADS default). */
  readonly baseMs?: number;
  /** No retry waits longer than this. Default: 30 000 ms (Envoy's ADS default). */
  readonly maxMs?: number;
  /** The random source in [0, 1); tests make it deterministic. Default: `Math.random`. */
  readonly random?: () => number;
}

/**
 * The delay before retry number `attempt` (0-based): uniformly random in
 * `[0, min(maxMs, baseMs * 2^attempt))` ("full jitter"), so many clients of one control plane that lost it at
 * the same moment do not reconnect in lockstep; never more than `maxMs`.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Throws `ORION_ERR_XDS_INVALID_ARGUMENT` unless `0 < baseMs <= maxMs`. */
export function validateBackoff(options: BackoffOptions): void {
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 30_000;
  if (!(baseMs > 0) || !(maxMs >= baseMs) || !Number.isFinite(maxMs)) {
    throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, `invalid backoff: baseMs ${baseMs}, maxMs ${maxMs} (need 0 < baseMs <= maxMs)`);
  }
}
