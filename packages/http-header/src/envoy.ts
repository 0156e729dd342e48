// Envoy's `x-envoy-*` headers, as documented under "HTTP header manipulation" (HTTP connection
// manager) and "HTTP headers consumed/set" (router filter). Envoy lets the `x-envoy` prefix be
// changed with `header_prefix` in the bootstrap; these are the default names.

/** Path of the request before the route's `prefix_rewrite` or `regex_rewrite` changed it; set by the router. */
export const X_ENVOY_ORIGINAL_PATH = 'x-envoy-original-path';
/** Set to `true` on requests from an internal address (HCM `internal_address_config`); stripped from external requests. */
export const X_ENVOY_INTERNAL = 'x-envoy-internal';
/** The trusted client address, set on edge requests when `use_remote_address` is on. */
export const X_ENVOY_EXTERNAL_ADDRESS = 'x-envoy-external-address';
/** Milliseconds the upstream spent on the request, set on responses by the router (`suppress_envoy_headers` turns it off). */
export const X_ENVOY_UPSTREAM_SERVICE_TIME = 'x-envoy-upstream-service-time';
/** The route timeout in milliseconds, sent upstream on internal requests so the upstream can give up early. */
export const X_ENVOY_EXPECTED_RQ_TIMEOUT_MS = 'x-envoy-expected-rq-timeout-ms';
/** Attempt number sent upstream (route `include_request_attempt_count`) and downstream (`include_attempt_count_in_response`). */
export const X_ENVOY_ATTEMPT_COUNT = 'x-envoy-attempt-count';
/** Retry conditions (`5xx`, `gateway-error`, `reset`, …) requested by the downstream; overrides the route `retry_policy.retry_on`. */
export const X_ENVOY_RETRY_ON = 'x-envoy-retry-on';
/** gRPC retry conditions (`cancelled`, `deadline-exceeded`, …) requested by the downstream. */
export const X_ENVOY_RETRY_GRPC_ON = 'x-envoy-retry-grpc-on';
/** Maximum retries requested by the downstream; overrides `retry_policy.num_retries`. */
export const X_ENVOY_MAX_RETRIES = 'x-envoy-max-retries';
/** Upstream host chosen by the client for an `ORIGINAL_DST` cluster with `use_http_header`. */
export const X_ENVOY_ORIGINAL_DST_HOST = 'x-envoy-original-dst-host';
/** Forces tracing of the request (HCM `tracing`), and makes Envoy echo `x-request-id` in the response. */
export const X_ENVOY_FORCE_TRACE = 'x-envoy-force-trace';
/** Route timeout in milliseconds requested by the downstream; overrides the route `timeout`. */
export const X_ENVOY_UPSTREAM_RQ_TIMEOUT_MS = 'x-envoy-upstream-rq-timeout-ms';
/** Per-try timeout in milliseconds requested by the downstream; overrides `retry_policy.per_try_timeout`. */
export const X_ENVOY_UPSTREAM_RQ_PER_TRY_TIMEOUT_MS = 'x-envoy-upstream-rq-per-try-timeout-ms';
/** When present (any value), a route timeout answers 204 instead of 504. */
export const X_ENVOY_UPSTREAM_RQ_TIMEOUT_ALT_RESPONSE = 'x-envoy-upstream-rq-timeout-alt-response';
/** Comma-separated status codes retried under `retriable-status-codes`. */
export const X_ENVOY_RETRIABLE_STATUS_CODES = 'x-envoy-retriable-status-codes';
/** Comma-separated response header names retried under `retriable-headers`. */
export const X_ENVOY_RETRIABLE_HEADER_NAMES = 'x-envoy-retriable-header-names';
/** Overrides the span name chosen by the route `decorator`; also sent upstream with the operation used. */
export const X_ENVOY_DECORATOR_OPERATION = 'x-envoy-decorator-operation';
/** The downstream's service cluster (`--service-cluster`), set when HCM `user_agent` is on; stripped from edge requests. */
export const X_ENVOY_DOWNSTREAM_SERVICE_CLUSTER = 'x-envoy-downstream-service-cluster';
/** The downstream's node name (`--service-node`), set when HCM `user_agent` is on; stripped from edge requests. */
export const X_ENVOY_DOWNSTREAM_SERVICE_NODE = 'x-envoy-downstream-service-node';
/** Set to `true` on local replies caused by a tripped circuit breaker or overload. */
export const X_ENVOY_OVERLOADED = 'x-envoy-overloaded';
/** Set to `true` on 429 replies from a rate-limit filter; `envoy-ratelimited` retries on it. */
export const X_ENVOY_RATELIMITED = 'x-envoy-ratelimited';
/** On an upstream response (any value): fail the host's active health check at once; Envoy also sets it on replies while failing health checks. */
export const X_ENVOY_IMMEDIATE_HEALTH_CHECK_FAIL = 'x-envoy-immediate-health-check-fail';
/** An upstream that sets it on a health check response is marked degraded. */
export const X_ENVOY_DEGRADED = 'x-envoy-degraded';
/** Sent upstream with `true` when the attempt is a retry after a per-try timeout. */
export const X_ENVOY_IS_TIMEOUT_RETRY = 'x-envoy-is-timeout-retry';
/** Asks for a hedged retry on per-try timeout; overrides the route `hedge_policy.hedge_on_per_try_timeout`. */
export const X_ENVOY_HEDGE_ON_PER_TRY_TIMEOUT = 'x-envoy-hedge-on-per-try-timeout';
/** Maximum stream duration in milliseconds requested by the downstream (route `max_stream_duration`). */
export const X_ENVOY_UPSTREAM_STREAM_DURATION_MS = 'x-envoy-upstream-stream-duration-ms';
/** Alternative stat prefix for the upstream request's cluster stats. */
export const X_ENVOY_UPSTREAM_ALT_STAT_NAME = 'x-envoy-upstream-alt-stat-name';
/** Set by an upstream to mark the response as coming from a canary host (canary stats). */
export const X_ENVOY_UPSTREAM_CANARY = 'x-envoy-upstream-canary';
/** Cluster name sent on active HTTP health check requests. */
export const X_ENVOY_UPSTREAM_HEALTHCHECKED_CLUSTER = 'x-envoy-upstream-healthchecked-cluster';
/** IP tags added by the ip_tagging filter; stripped from external requests. */
export const X_ENVOY_IP_TAGS = 'x-envoy-ip-tags';
/** The request URL before an internal redirect (route `internal_redirect_policy`); stripped from external requests. */
export const X_ENVOY_ORIGINAL_URL = 'x-envoy-original-url';

/** Every Envoy header name above, in declaration order. */
export const ENVOY_HEADER_NAMES: readonly string[] = Object.freeze([
  X_ENVOY_ORIGINAL_PATH,
  X_ENVOY_INTERNAL,
  X_ENVOY_EXTERNAL_ADDRESS,
  X_ENVOY_UPSTREAM_SERVICE_TIME,
  X_ENVOY_EXPECTED_RQ_TIMEOUT_MS,
  X_ENVOY_ATTEMPT_COUNT,
  X_ENVOY_RETRY_ON,
  X_ENVOY_RETRY_GRPC_ON,
  X_ENVOY_MAX_RETRIES,
  X_ENVOY_ORIGINAL_DST_HOST,
  X_ENVOY_FORCE_TRACE,
  X_ENVOY_UPSTREAM_RQ_TIMEOUT_MS,
  X_ENVOY_UPSTREAM_RQ_PER_TRY_TIMEOUT_MS,
  X_ENVOY_UPSTREAM_RQ_TIMEOUT_ALT_RESPONSE,
  X_ENVOY_RETRIABLE_STATUS_CODES,
  X_ENVOY_RETRIABLE_HEADER_NAMES,
  X_ENVOY_DECORATOR_OPERATION,
  X_ENVOY_DOWNSTREAM_SERVICE_CLUSTER,
  X_ENVOY_DOWNSTREAM_SERVICE_NODE,
  X_ENVOY_OVERLOADED,
  X_ENVOY_RATELIMITED,
  X_ENVOY_IMMEDIATE_HEALTH_CHECK_FAIL,
  X_ENVOY_DEGRADED,
  X_ENVOY_IS_TIMEOUT_RETRY,
  X_ENVOY_HEDGE_ON_PER_TRY_TIMEOUT,
  X_ENVOY_UPSTREAM_STREAM_DURATION_MS,
  X_ENVOY_UPSTREAM_ALT_STAT_NAME,
  X_ENVOY_UPSTREAM_CANARY,
  X_ENVOY_UPSTREAM_HEALTHCHECKED_CLUSTER,
  X_ENVOY_IP_TAGS,
  X_ENVOY_ORIGINAL_URL,
]);
