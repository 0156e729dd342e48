import type { DataSource } from './data-source.js';
import type { HeaderMutations } from './header-mutation.js';
import type { HeaderMatcher } from './route-match.js';
import type { RegexRewrite } from './string-matcher.js';

/**
 * What a matched route does: forward to a cluster (Envoy's `route`), redirect, or answer directly.
 * Envoy: the `action` oneof of `envoy.config.route.v3.Route` (`filter_action` and `non_forwarding_action` are rejected).
 */
export type RouteAction = ForwardAction | RedirectAction | DirectResponseAction;

/** Forwards the request upstream. Envoy: `envoy.config.route.v3.RouteAction`. */
export interface ForwardAction {
  readonly type: 'forward';
  /** `cluster`, `cluster_header` or `weighted_clusters`. */
  readonly cluster: ClusterSpecifier;
  /** `cluster_not_found_response_code`. Default 503. */
  readonly clusterNotFoundResponseCode: 503 | 404 | 500;
  /** `prefix_rewrite` or `regex_rewrite` (at most one). */
  readonly pathRewrite?: PathRewrite;
  /** `host_rewrite_literal`, `auto_host_rewrite`, `host_rewrite_header` or `host_rewrite_path_regex`. */
  readonly hostRewrite?: HostRewrite;
  /** `append_x_forwarded_host` (when the host is rewritten). Default false. */
  readonly appendXForwardedHost: boolean;
  /** `timeout` for the whole upstream exchange; 0 disables. Default 15000. */
  readonly timeoutMs: number;
  /** `idle_timeout` of the stream; 0 disables; undefined: the connection manager's `streamIdleTimeoutMs`. */
  readonly idleTimeoutMs?: number;
  /** `retry_policy` of the route, else of its virtual host. Undefined: no retries. */
  readonly retryPolicy?: RetryPolicy;
  /** `hash_policy`, in order, for RING_HASH / MAGLEV clusters. */
  readonly hashPolicies: readonly HashPolicy[];
  /** `upgrade_configs`: per-route overrides of the connection manager's upgrades. */
  readonly upgradeConfigs: readonly UpgradeConfig[];
  /** `max_stream_duration`. */
  readonly maxStreamDuration?: MaxStreamDuration;
}

/** The upstream cluster(s) of a {@link ForwardAction}. */
export type ClusterSpecifier =
  | { readonly type: 'cluster'; /** `cluster`. */ readonly name: string }
  | { readonly type: 'clusterHeader'; /** `cluster_header`: the request header naming the cluster. */ readonly header: string }
  | {
      readonly type: 'weightedClusters';
      /** `weighted_clusters.clusters`, each picked in proportion to its weight. */
      readonly clusters: readonly WeightedCluster[];
      /** The sum of the weights. */
      readonly totalWeight: number;
    };

/** One cluster of `weighted_clusters`. Envoy: `envoy.config.route.v3.WeightedCluster.ClusterWeight`. */
export interface WeightedCluster {
  /** `name`, or `cluster_header`: the header naming the cluster. */
  readonly cluster: { readonly type: 'cluster'; readonly name: string } | { readonly type: 'clusterHeader'; readonly header: string };
  /** `weight`. Default 0 (never picked). */
  readonly weight: number;
  /** Header mutations applied when this cluster is picked. */
  readonly headerMutations: HeaderMutations;
  /** `host_rewrite_literal`. */
  readonly hostRewriteLiteral?: string;
}

/** How the path is rewritten before forwarding. */
export type PathRewrite =
  | { readonly type: 'prefix'; /** `prefix_rewrite`: replaces the matched prefix (or the whole matched path). */ readonly prefix: string }
  | ({ readonly type: 'regex' } & RegexRewrite);

/** How the `:authority` / `Host` header is rewritten before forwarding. */
export type HostRewrite =
  | { readonly type: 'literal'; /** `host_rewrite_literal`. */ readonly host: string }
  | { readonly type: 'auto' /** `auto_host_rewrite`: the chosen endpoint's hostname. */ }
  | { readonly type: 'header'; /** `host_rewrite_header`: the value of this request header. */ readonly header: string }
  | ({ readonly type: 'pathRegex' } & RegexRewrite);

/**
 * When and how often a request is retried. Envoy: `envoy.config.route.v3.RetryPolicy` with `retry_on`,
 * `num_retries`, `per_try_timeout`, `per_try_idle_timeout`, `retriable_status_codes`, `retry_back_off`,
 * `retriable_headers` and `retriable_request_headers` (host/priority predicates and rate-limited back-off are rejected).
 */
export interface RetryPolicy {
  /** The HTTP conditions of `retry_on`. */
  readonly retryOn: readonly RetryOn[];
  /** The gRPC status conditions of `retry_on`. */
  readonly grpcRetryOn: readonly GrpcRetryOn[];
  /** `num_retries`. Default 1. */
  readonly numRetries: number;
  /** `per_try_timeout`; 0: the route timeout applies. Default 0. */
  readonly perTryTimeoutMs: number;
  /** `per_try_idle_timeout`; 0 disables. Default 0. */
  readonly perTryIdleTimeoutMs: number;
  /** `retriable_status_codes` (used with `retriable-status-codes`). */
  readonly retriableStatusCodes: readonly number[];
  /** `retry_back_off.base_interval`. Default 25. */
  readonly backOffBaseIntervalMs: number;
  /** `retry_back_off.max_interval`. Default 10 × base. */
  readonly backOffMaxIntervalMs: number;
  /** `retriable_headers`: response headers that make a response retriable (with `retriable-headers`). */
  readonly retriableHeaders: readonly HeaderMatcher[];
  /** `retriable_request_headers`: the request must match one of these to be retried (empty: any). */
  readonly retriableRequestHeaders: readonly HeaderMatcher[];
}

/** An HTTP condition of `retry_on`. */
export type RetryOn =
  | '5xx'
  | 'gateway-error'
  | 'reset'
  | 'reset-before-request'
  | 'connect-failure'
  | 'envoy-ratelimited'
  | 'retriable-4xx'
  | 'refused-stream'
  | 'retriable-status-codes'
  | 'retriable-headers'
  | 'http3-post-connect-failure';

/** A gRPC status condition of `retry_on`. */
export type GrpcRetryOn = 'cancelled' | 'deadline-exceeded' | 'internal' | 'resource-exhausted' | 'unavailable';

/** One input of the request hash. Envoy: `envoy.config.route.v3.RouteAction.HashPolicy` (`filter_state` is rejected). */
export type HashPolicy = (
  | { readonly type: 'header'; /** `header.header_name`. */ readonly headerName: string; /** `header.regex_rewrite`. */ readonly regexRewrite?: RegexRewrite }
  | {
      readonly type: 'cookie';
      /** `cookie.name`. */
      readonly name: string;
      /** `cookie.ttl`: when set, a missing cookie is generated with this lifetime. */
      readonly ttlMs?: number;
      /** `cookie.path` of a generated cookie. */
      readonly path: string;
    }
  | { readonly type: 'connectionProperties'; /** `connection_properties.source_ip`. */ readonly sourceIp: boolean }
  | { readonly type: 'queryParameter'; /** `query_parameter.name`. */ readonly name: string }
) & {
  /** `terminal`: stop at this policy when it produced a hash. Default false. */
  readonly terminal: boolean;
};

/** An upgrade (e.g. `websocket`) allowed or refused. Envoy: `UpgradeConfig` of the HCM and of `RouteAction`. */
export interface UpgradeConfig {
  /** `upgrade_type`, lower-cased, e.g. `websocket` or `CONNECT` (kept as written for CONNECT). */
  readonly upgradeType: string;
  /** `enabled`. Default true. */
  readonly enabled: boolean;
}

/** Stream duration limits of a route. Envoy: `envoy.config.route.v3.RouteAction.MaxStreamDuration`. */
export interface MaxStreamDuration {
  /** `max_stream_duration`; undefined: the connection manager's. 0 disables. */
  readonly maxStreamDurationMs?: number;
  /** `grpc_timeout_header_max`: honour `grpc-timeout` up to this; 0: no cap. Undefined: ignore the header. */
  readonly grpcTimeoutHeaderMaxMs?: number;
  /** `grpc_timeout_header_offset` subtracted from `grpc-timeout`. Default 0. */
  readonly grpcTimeoutHeaderOffsetMs: number;
}

/** Answers with a redirect. Envoy: `envoy.config.route.v3.RedirectAction` (every field). */
export interface RedirectAction {
  readonly type: 'redirect';
  /** `https_redirect` (`https`) or `scheme_redirect`. Undefined: keep the scheme. */
  readonly scheme?: string;
  /** `host_redirect`. Undefined: keep the host. */
  readonly host?: string;
  /** `port_redirect`. Undefined: keep the port (a scheme change drops a default port). */
  readonly port?: number;
  /** `path_redirect`, `prefix_rewrite` or `regex_rewrite`. Undefined: keep the path. */
  readonly pathRewrite?: RedirectPathRewrite;
  /** `response_code`. Default 301. */
  readonly responseCode: 301 | 302 | 303 | 307 | 308;
  /** `strip_query`. Default false. */
  readonly stripQuery: boolean;
}

/** How a redirect's path is formed. */
export type RedirectPathRewrite =
  | { readonly type: 'path'; /** `path_redirect` (may carry its own query). */ readonly path: string }
  | { readonly type: 'prefix'; /** `prefix_rewrite`. */ readonly prefix: string }
  | ({ readonly type: 'regex' } & RegexRewrite);

/** Answers without going upstream. Envoy: `envoy.config.route.v3.DirectResponseAction`. */
export interface DirectResponseAction {
  readonly type: 'directResponse';
  /** `status` (100–599). */
  readonly status: number;
  /** `body`. Undefined: no body. */
  readonly body?: DataSource;
}
