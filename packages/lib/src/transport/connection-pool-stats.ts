/** A histogram a pool records into: `record(value)` (an `@orion/metrics` histogram handle fits). */
export interface PoolHistogram {
  record(value: number): void;
}

/**
 * The cluster-wide counters a pool moves itself (Envoy's cluster traffic stats, which have no per-host variant): a
 * request that finds no free connection waits in the pool from the moment it is queued until a connection takes it,
 * it is failed or cancelled (Envoy's `PendingStream`). A cluster's `ClusterCounters` object fits.
 */
export interface PendingRequestCounters {
  /** Requests that waited for a connection (Envoy `upstream_rq_pending_total`). */
  upstream_rq_pending_total: number;
  /** Requests waiting for a connection now (Envoy `upstream_rq_pending_active`, a gauge). */
  upstream_rq_pending_active: number;
  /** Requests refused because `max_pending_requests` were already waiting (Envoy `upstream_rq_pending_overflow`). */
  upstream_rq_pending_overflow: number;
}

/** The error code of a request refused because the cluster's `max_pending_requests` was reached. */
export const PENDING_OVERFLOW_CODE = 'ORION_UPSTREAM_PENDING_OVERFLOW';

/** undici-style error of a request refused by the cluster's `max_pending_requests` circuit breaker (`UO`). */
export class PendingOverflowError extends Error {
  readonly code = PENDING_OVERFLOW_CODE;
  override readonly name = 'PendingOverflowError';
  constructor() {
    super('pending requests overflow (max_pending_requests)');
  }
}

/**
 * What the connection pools of a cluster record into, beyond the per-host connection events: pending requests and
 * the two connection histograms. Envoy times both from the moment a connection is created (`ActiveClient`):
 * `upstream_cx_connect_ms` until it is established, `upstream_cx_length_ms` until it is closed — including attempts
 * that failed. Recorded once per connection, never per request.
 */
export interface ConnectionPoolStats {
  /** `upstream_rq_pending_total` / `_active`. */
  readonly pending: PendingRequestCounters;
  /** `upstream_cx_connect_ms`: ms from the start of a connection attempt until it was established. */
  readonly connectMs: PoolHistogram;
  /** `upstream_cx_length_ms`: ms from the start of a connection attempt until the connection closed. */
  readonly lengthMs: PoolHistogram;
}

const NOOP: PoolHistogram = Object.freeze({
  record(): void {
    // Not recorded.
  },
});

/** Stats that go nowhere (fresh counters, histograms that record nothing): the pools' default. */
export function unrecordedPoolStats(): ConnectionPoolStats {
  return { pending: { upstream_rq_pending_total: 0, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 }, connectMs: NOOP, lengthMs: NOOP };
}
