import type { ClusterRequestStats } from '../../stats/cluster-request-stats.js';
import type { Http1PoolSet } from '../../transport/http1-pool-set.js';
import type { Http2PoolSet } from '../../transport/http2-pool-set.js';
import type { UpstreamTarget } from '../../transport/upstream-target.js';

/** Header set the connection manager sends upstream or downstream; names are lower case. */
export type MutableHeaders = Record<string, string | string[] | undefined>;

/** An upstream host as the connection manager uses it. */
export interface UpstreamHostRef {
  readonly target: UpstreamTarget;
  /** `127.0.0.1:8080` (`%UPSTREAM_HOST%`). */
  readonly label: string;
  /** The host's name (`%UPSTREAM_HOST_NAME%`; the hostname for DNS clusters). */
  readonly hostname: string;
  /** Called when a request to this host starts and ends (least-request balancing, stats). */
  onRequestStart?(): void;
  onRequestEnd?(success: boolean): void;
  /** Called instead of `onRequestEnd` when the request to this host timed out (host `rq_timeout`). */
  onRequestTimeout?(): void;
}

/** What load balancing may read from the request. */
export interface LoadBalancerRequest {
  getHeader(lowercaseName: string): string | undefined;
}

/** A cluster as the connection manager uses it. */
export interface UpstreamClusterRef {
  readonly name: string;
  /** `alt_stat_name` or the name (`%UPSTREAM_CLUSTER%`). */
  readonly observabilityName: string;
  chooseHost(request: LoadBalancerRequest): UpstreamHostRef | undefined;
  /** The cluster's HTTP/1.1 pools. */
  readonly http1Pools: Http1PoolSet;
  /**
   * The upstream protocol: `http1`, `http2`, or `useDownstream` (HTTP/2 for HTTP/2 downstream requests). Envoy: the
   * cluster's `HttpProtocolOptions` (`auto_config` without TLS is `http1`). Default `http1`.
   */
  readonly upstreamProtocol?: 'http1' | 'http2' | 'useDownstream' | undefined;
  /** The cluster's HTTP/2 pools; needed unless the protocol is `http1`. */
  readonly http2Pools?: Http2PoolSet | undefined;
  /** Requests in flight to the cluster, and the circuit breaker's `max_requests` (this worker's share). */
  readonly activeRequests: number;
  readonly maxRequests: number;
  /**
   * The cluster behind the ref, for its per-request stats (`upstream_rq_<code>`, retries, `upstream_rq_time`) and
   * its `max_retries` budget. Without it, requests are forwarded without cluster stats and retries are unbounded by
   * the circuit breaker.
   */
  readonly cluster?: { readonly stats: ClusterRequestStats } | undefined;
}

/** Cluster lookup by name (the cluster manager). */
export interface ClusterLookup {
  get(name: string): UpstreamClusterRef | undefined;
}
