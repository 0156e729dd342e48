import type { Counter, StatsScope } from '@orion/metrics';
import type { ClusterCounters } from '../clusters/cluster-counters.js';
import { NOOP_HISTOGRAM, type HistogramRecorder } from './histogram-recorder.js';

/** Highest status code with its own counter (`upstream_rq_<code>`); codes beyond only count in their class. */
const MAX_CODE = 599;

/**
 * The per-request stats of one cluster that are not plain counters: `upstream_rq_<code>` counters (Envoy's dynamic
 * HTTP stats, created on first use of a code), the `retry.` variants Envoy charges for responses that were retried,
 * and the `upstream_rq_time` histogram; plus the cluster's retry budget (the `max_retries` circuit breaker). The
 * class counters (`upstream_rq_<N>xx`, `upstream_rq_completed`) are plain fields of {@link ClusterCounters}.
 *
 * The request path calls {@link chargeResponse} / {@link chargeRetriedResponse} (a few property increments and, with
 * a store, an array read and a counter increment) and `upstreamRqTime.record()`.
 */
export class ClusterRequestStats {
  /** The cluster's plain counters. */
  readonly counters: ClusterCounters;
  /** `cluster.<stat_name>.upstream_rq_time`: ms from the end of the downstream request to the end of the upstream response. */
  readonly upstreamRqTime: HistogramRecorder;
  /** `max_retries` (this worker's share): retries that may be outstanding at once over the cluster. */
  readonly maxRetries: number;
  /** Retries outstanding now: scheduled (in back-off) or in flight and not yet answered. */
  retriesActive = 0;
  readonly #scope: StatsScope | undefined;
  readonly #retryScope: StatsScope | undefined;
  readonly #codes: (Counter | undefined)[] = [];
  readonly #retryCodes: (Counter | undefined)[] = [];
  readonly #retryClass: (Counter | undefined)[] = [];
  #retryCompleted: Counter | undefined;

  /** `scope` is `cluster.<stat_name>` in the data plane's store, or undefined without one. */
  constructor(counters: ClusterCounters, maxRetries: number, scope: StatsScope | undefined) {
    this.counters = counters;
    this.maxRetries = maxRetries;
    this.#scope = scope;
    this.#retryScope = scope?.scope('retry');
    this.upstreamRqTime = scope === undefined ? NOOP_HISTOGRAM : scope.histogram('upstream_rq_time');
  }

  /**
   * Charges the response that goes downstream (Envoy's `chargeUpstreamCode`): an upstream response, or the local
   * reply standing for the upstream's (503 for no healthy host, overflow or a reset, 504 for a timeout).
   */
  chargeResponse(code: number): void {
    const c = this.counters;
    c.upstream_rq_completed++;
    if (code < 200) c.upstream_rq_1xx++;
    else if (code < 300) c.upstream_rq_2xx++;
    else if (code < 400) c.upstream_rq_3xx++;
    else if (code < 500) c.upstream_rq_4xx++;
    else c.upstream_rq_5xx++;
    const scope = this.#scope;
    if (scope === undefined || code < 100 || code > MAX_CODE) return;
    let counter = this.#codes[code];
    if (counter === undefined) {
      counter = scope.counter(`upstream_rq_${code}`);
      this.#codes[code] = counter;
    }
    counter.inc();
  }

  /** Charges a response that is retried (Envoy's `retry.` prefix: `retry.upstream_rq_<code>`, `_<N>xx`, `_completed`). */
  chargeRetriedResponse(code: number): void {
    const scope = this.#retryScope;
    if (scope === undefined || code < 100 || code > MAX_CODE) return;
    (this.#retryCompleted ??= scope.counter('upstream_rq_completed')).inc();
    const cls = Math.floor(code / 100);
    let group = this.#retryClass[cls];
    if (group === undefined) {
      group = scope.counter(`upstream_rq_${cls}xx`);
      this.#retryClass[cls] = group;
    }
    group.inc();
    let counter = this.#retryCodes[code];
    if (counter === undefined) {
      counter = scope.counter(`upstream_rq_${code}`);
      this.#retryCodes[code] = counter;
    }
    counter.inc();
  }
}
