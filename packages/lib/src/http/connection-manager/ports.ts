import type { Http1PoolSet } from '../../transport/http1-pool-set.js';
import type { UpstreamTarget } from '../../transport/upstream-target.js';

/** The parts of a downstream request that routing reads. */
export interface RouteRequestView {
  readonly method: string;
  readonly authority: string;
  /** The request target as received, query included. */
  readonly path: string;
  readonly scheme: 'http' | 'https';
  readonly listenerPort: number;
  getHeader(lowercaseName: string): string | undefined;
}

/** Header set the connection manager sends upstream or downstream; names are lower case. */
export type MutableHeaders = Record<string, string | string[]>;

/** Values header mutations may reference (Envoy's `%DOWNSTREAM_REMOTE_ADDRESS%` and friends). */
export interface HeaderMutationContext {
  readonly downstreamRemoteAddress: string;
  readonly downstreamRemotePort: number;
  readonly downstreamLocalAddress: string;
  readonly downstreamLocalPort: number;
  readonly requestId: string | undefined;
  readonly upstreamHost?: string;
}

/** What routing decided for one request. */
export type RouteDecision =
  | { readonly type: 'noRoute' }
  | {
      readonly type: 'directResponse';
      readonly routeName: string;
      readonly status: number;
      readonly body: Buffer | undefined;
      applyResponseHeaders(headers: MutableHeaders, ctx: HeaderMutationContext): void;
    }
  | {
      readonly type: 'redirect';
      readonly routeName: string;
      readonly status: number;
      readonly location: string;
      applyResponseHeaders(headers: MutableHeaders, ctx: HeaderMutationContext): void;
    }
  | ForwardDecision;

/** Forward the request to a cluster. */
export interface ForwardDecision {
  readonly type: 'forward';
  readonly routeName: string;
  /** The cluster, or undefined when a `cluster_header` was absent. */
  readonly clusterName: string | undefined;
  /** Status for an unknown cluster (`cluster_not_found_response_code`, default 503). */
  readonly clusterNotFoundStatus: number;
  /** The rewritten path (prefix/regex rewrite), or undefined to keep the original. */
  readonly newPath: string | undefined;
  /** A literal or header-derived Host to send, or undefined. */
  readonly hostRewrite: string | undefined;
  /** `auto_host_rewrite`: send the chosen upstream host's name as Host. */
  readonly autoHostRewrite: boolean;
  /** The route timeout (default 15 s; 0 = none). */
  readonly timeoutMs: number;
  /** Route-level `idle_timeout`, if set. */
  readonly idleTimeoutMs: number | undefined;
  applyRequestHeaders(headers: MutableHeaders, ctx: HeaderMutationContext): void;
  applyResponseHeaders(headers: MutableHeaders, ctx: HeaderMutationContext): void;
}

/** Routing for the connection manager (a compiled route configuration). */
export interface RouteResolver {
  resolve(request: RouteRequestView, random01: number): RouteDecision;
}

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
}

/** Cluster lookup by name (the cluster manager). */
export interface ClusterLookup {
  get(name: string): UpstreamClusterRef | undefined;
}
