import type { Counter, StatsScope } from '@orion/metrics';
import type { ClusterCounters } from '../clusters/cluster-counters.js';
import { ClusterConnectionStats } from './cluster-connection-stats.js';
import type { HistogramRecorder } from './histogram-recorder.js';
import { ResponseCodeCounters } from './response-code-counters.js';

/**
 * The per-request stats of one cluster that are not plain counters, and its retry budget (the `max_retries` circuit
 * breaker). Envoy's dynamic HTTP stats (`Http::CodeStats`):
 *
 * - `upstream_rq_completed` and `upstream_rq_<N>xx` — plain fields of {@link ClusterCounters};
 * - `upstream_rq_<code>` — a counter per status code, created on first use of the code;
 * - `external.` / `internal.` variants of the three (by the request's `x-envoy-internal`), and `retry.` variants for
 *   responses that were retried;
 * - the `upstream_rq_time` histogram and its `external.` / `internal.` variants, created on first use.
 *
 * Handles are cached in small arrays indexed by code: the request path does a few property increments and array
 * reads, and builds a stat name only the first time a code is seen.
 */
export class ClusterRequestStats {
  /** The cluster's plain counters. */
  readonly counters: ClusterCounters;
  /** `max_retries` (this worker's share): retries that may be outstanding at once over the cluster. */
  readonly maxRetries: number;
  /** What the cluster's connection pools and tcp_proxy record: pending requests, `upstream_cx_connect_ms`, `upstream_cx_length_ms`. */
  readonly connections: ClusterConnectionStats;
  /** Retries outstanding now: scheduled (in back-off) or sent and not yet answered. */
  retriesActive = 0;
  readonly #scope: StatsScope | undefined;
  readonly #codes: (Counter | undefined)[] = [];
  readonly #external: ResponseCodeCounters | undefined;
  readonly #internal: ResponseCodeCounters | undefined;
  readonly #retry: ResponseCodeCounters | undefined;
  #rqTime: HistogramRecorder | undefined;
  #externalRqTime: HistogramRecorder | undefined;
  #internalRqTime: HistogramRecorder | undefined;

  /** `scope` is `cluster.<stat_name>` in the data plane's store, or undefined without one (then only plain counters move). */
  constructor(counters: ClusterCounters, maxRetries: number, scope: StatsScope | undefined) {
    this.counters = counters;
    this.maxRetries = maxRetries;
    this.connections = new ClusterConnectionStats(counters, scope);
    this.#scope = scope;
    if (scope !== undefined) {
      this.#external = new ResponseCodeCounters(scope.scope('external'));
      this.#internal = new ResponseCodeCounters(scope.scope('internal'));
      this.#retry = new ResponseCodeCounters(scope.scope('retry'));
    }
  }

  /**
   * Charges the response that goes downstream (Envoy's `chargeUpstreamCode`): an upstream response, or the local
   * reply standing for one (503 for no healthy host, an overflow or a reset; 504 for a timeout). `internal`: the
   * request carries `x-envoy-internal: true`.
   */
  chargeResponse(code: number, internal: boolean): void {
    const c = this.counters;
    c.upstream_rq_completed++;
    if (code < 200) c.upstream_rq_1xx++;
    else if (code < 300) c.upstream_rq_2xx++;
    else if (code < 400) c.upstream_rq_3xx++;
    else if (code < 500) c.upstream_rq_4xx++;
    else c.upstream_rq_5xx++;
    const scope = this.#scope;
    if (scope === undefined || !ResponseCodeCounters.valid(code)) return;
    let counter = this.#codes[code];
    if (counter === undefined) {
      counter = scope.counter(`upstream_rq_${code}`);
      this.#codes[code] = counter;
    }
    counter.inc();
    (internal ? this.#internal : this.#external)?.charge(code);
  }

  /** Charges a response that is retried (Envoy's `retry.` prefix: `retry.upstream_rq_<code>`, `_<N>xx`, `_completed`). */
  chargeRetriedResponse(code: number): void {
    this.#retry?.charge(code);
  }

  /** Records `upstream_rq_time` (and its `internal.` / `external.` variant): ms from the end of the downstream request to the end of the response. */
  recordRequestTime(ms: number, internal: boolean): void {
    const scope = this.#scope;
    if (scope === undefined) return;
    (this.#rqTime ??= scope.histogram('upstream_rq_time')).record(ms);
    if (internal) (this.#internalRqTime ??= scope.histogram('internal.upstream_rq_time')).record(ms);
    else (this.#externalRqTime ??= scope.histogram('external.upstream_rq_time')).record(ms);
  }
}
