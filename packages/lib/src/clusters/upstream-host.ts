import type { HealthStatus, Locality } from '@orion/configuration';
import type { ClusterCounters } from './cluster-counters.js';
import { upstreamAddressLabel, type UpstreamAddress } from './upstream-address.js';

/** Per-host counters with Envoy's names (`cluster.<name>.<host>.<counter>` in `/clusters`), a plain mutable object. */
export interface UpstreamHostCounters {
  /** Connections opened. */
  cx_total: number;
  /** Connections open now (gauge). */
  cx_active: number;
  /** Connection attempts that failed. */
  cx_connect_fail: number;
  /** Requests sent. */
  rq_total: number;
  /** Requests in flight (gauge); the least-request load balancer reads it. */
  rq_active: number;
  /** Requests that failed (reset, connect failure, 5xx from the transport's point of view). */
  rq_error: number;
  /** Requests that completed. */
  rq_success: number;
  /** Requests that timed out. */
  rq_timeout: number;
}

/** The codec of an HTTP connection pool's connection, for {@link UpstreamHost.connectionStarted}. */
export type UpstreamConnectionCodec = 'http1' | 'http2';

/** How a request on a host ended, for {@link UpstreamHost.requestFinished}. */
export type UpstreamRequestOutcome = 'success' | 'error' | 'timeout';

/**
 * One upstream endpoint of a cluster, as chosen by the load balancer. Envoy: `Upstream::Host`. The same object is
 * kept while the endpoint stays in the cluster (its weight and health may change), so counters survive updates.
 */
export interface UpstreamHost {
  /** Where to connect. Envoy: `endpoint.address` (resolved for DNS clusters). */
  readonly address: UpstreamAddress;
  /** The same as {@link address} (the transport's `UpstreamTarget`). */
  readonly target: UpstreamAddress;
  /** `endpoint.hostname`, or the DNS name a STRICT/LOGICAL_DNS host was resolved from; `""` if none (`%UPSTREAM_HOST_NAME%`). */
  readonly hostname: string;
  /** `10.0.0.1:8080`, `[::1]:8080` or the pipe path (`%UPSTREAM_HOST%`); unique within a cluster per address. */
  readonly label: string;
  /** `load_balancing_weight`. Default 1. */
  readonly weight: number;
  /** The `priority` of its locality; 0 is the highest. */
  readonly priority: number;
  /** The `locality` of its `LocalityLbEndpoints`, if given. */
  readonly locality: Locality | undefined;
  /** `health_status` from the load assignment. */
  readonly healthStatus: HealthStatus;
  /** The cluster's name. */
  readonly clusterName: string;
  /** Live counters. */
  readonly counters: Readonly<UpstreamHostCounters>;
  /**
   * Counts a connection attempt: `cx_total`, `cx_active` and the cluster's `upstream_cx_total`/`_active`; with the
   * `codec` of the HTTP pool that opened it, also `upstream_cx_http1_total` / `upstream_cx_http2_total` (none for
   * tcp_proxy connections).
   */
  connectionStarted(codec?: UpstreamConnectionCodec): void;
  /** Counts a failed attempt after {@link connectionStarted}: connect failure (and timeout), and the connection's end. */
  connectFailed(timedOut: boolean): void;
  /** Counts the end of a connection that was established after {@link connectionStarted}. */
  connectionClosed(): void;
  /** Counts a request sent to this host (`rq_total`, `rq_active`, the cluster's `upstream_rq_total`/`_active`). */
  requestStarted(): void;
  /** Counts the end of a request started with {@link requestStarted} (host `rq_success`, `rq_error`, `rq_timeout`). */
  requestFinished(outcome: UpstreamRequestOutcome): void;
  /** {@link requestStarted}, for the connection manager's `UpstreamHostRef`. */
  onRequestStart(): void;
  /** {@link requestFinished} with `success` or `error`, for the connection manager's `UpstreamHostRef`. */
  onRequestEnd(success: boolean): void;
  /** {@link requestFinished} with `timeout`, for the connection manager's `UpstreamHostRef`. */
  onRequestTimeout(): void;
  /** Adds transferred bytes to the cluster's `upstream_cx_rx_bytes_total` / `upstream_cx_tx_bytes_total`. */
  addBytes(received: number, sent: number): void;
}

/** What a discovery type knows about one endpoint. */
export interface HostSpec {
  readonly address: UpstreamAddress;
  readonly hostname: string;
  readonly weight: number;
  readonly priority: number;
  readonly locality: Locality | undefined;
  readonly healthStatus: HealthStatus;
}

/** The implementation of {@link UpstreamHost}; only the cluster changes its weight, priority and health. */
export class Host implements UpstreamHost {
  readonly address: UpstreamAddress;
  readonly target: UpstreamAddress;
  readonly label: string;
  readonly clusterName: string;
  hostname: string;
  weight: number;
  priority: number;
  locality: Locality | undefined;
  healthStatus: HealthStatus;
  readonly counters: UpstreamHostCounters = {
    cx_total: 0,
    cx_active: 0,
    cx_connect_fail: 0,
    rq_total: 0,
    rq_active: 0,
    rq_error: 0,
    rq_success: 0,
    rq_timeout: 0,
  };
  /** ORIGINAL_DST clean-up: set when chosen, cleared by each sweep. */
  used = true;
  readonly #cluster: ClusterCounters;

  constructor(spec: HostSpec, clusterName: string, cluster: ClusterCounters) {
    this.address = spec.address;
    this.target = spec.address;
    this.label = upstreamAddressLabel(spec.address);
    this.clusterName = clusterName;
    this.hostname = spec.hostname;
    this.weight = spec.weight;
    this.priority = spec.priority;
    this.locality = spec.locality;
    this.healthStatus = spec.healthStatus;
    this.#cluster = cluster;
  }

  /** Takes weight, priority, locality, hostname and health from a newer spec of the same address. */
  update(spec: HostSpec): boolean {
    const changed =
      this.weight !== spec.weight ||
      this.priority !== spec.priority ||
      this.healthStatus !== spec.healthStatus ||
      this.hostname !== spec.hostname ||
      !sameLocality(this.locality, spec.locality);
    this.weight = spec.weight;
    this.priority = spec.priority;
    this.locality = spec.locality;
    this.healthStatus = spec.healthStatus;
    this.hostname = spec.hostname;
    return changed;
  }

  connectionStarted(codec?: UpstreamConnectionCodec): void {
    this.counters.cx_total++;
    this.counters.cx_active++;
    const cluster = this.#cluster;
    cluster.upstream_cx_total++;
    cluster.upstream_cx_active++;
    if (codec === 'http1') cluster.upstream_cx_http1_total++;
    else if (codec === 'http2') cluster.upstream_cx_http2_total++;
  }

  connectFailed(timedOut: boolean): void {
    this.counters.cx_connect_fail++;
    this.#cluster.upstream_cx_connect_fail++;
    if (timedOut) this.#cluster.upstream_cx_connect_timeout++;
    this.connectionClosed();
  }

  connectionClosed(): void {
    if (this.counters.cx_active > 0) this.counters.cx_active--;
    if (this.#cluster.upstream_cx_active > 0) this.#cluster.upstream_cx_active--;
    this.#cluster.upstream_cx_destroy++;
  }

  requestStarted(): void {
    this.counters.rq_total++;
    this.counters.rq_active++;
    this.#cluster.upstream_rq_total++;
    this.#cluster.upstream_rq_active++;
    this.used = true;
  }

  requestFinished(outcome: UpstreamRequestOutcome): void {
    if (this.counters.rq_active > 0) this.counters.rq_active--;
    if (this.#cluster.upstream_rq_active > 0) this.#cluster.upstream_rq_active--;
    if (outcome === 'success') this.counters.rq_success++;
    else if (outcome === 'error') this.counters.rq_error++;
    else {
      // The cluster's upstream_rq_timeout / upstream_rq_per_try_timeout are the router's to count.
      this.counters.rq_timeout++;
      this.counters.rq_error++;
    }
  }

  onRequestStart(): void {
    this.requestStarted();
  }

  onRequestEnd(success: boolean): void {
    this.requestFinished(success ? 'success' : 'error');
  }

  onRequestTimeout(): void {
    this.requestFinished('timeout');
  }

  addBytes(received: number, sent: number): void {
    this.#cluster.upstream_cx_rx_bytes_total += received;
    this.#cluster.upstream_cx_tx_bytes_total += sent;
  }
}

function sameLocality(a: Locality | undefined, b: Locality | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.region === b.region && a.zone === b.zone && a.subZone === b.subZone;
}
