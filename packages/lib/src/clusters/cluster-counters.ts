/**
 * Per-cluster counters and gauges with Envoy's names (`cluster.<stat_name>.<counter>`), as a plain mutable object.
 * The cluster updates membership and DNS stats; connection and request stats are updated through
 * {@link UpstreamHost}'s methods by whoever opens connections (the transport, tcp_proxy).
 */
export interface ClusterCounters {
  /** Connections opened. */
  upstream_cx_total: number;
  /** Connections opened by the HTTP/1.1 pools (counted with `upstream_cx_total`). */
  upstream_cx_http1_total: number;
  /** Connections opened by the HTTP/2 pools (counted with `upstream_cx_total`). */
  upstream_cx_http2_total: number;
  /** Connections open now (gauge). */
  upstream_cx_active: number;
  /** Connection attempts that failed (including timeouts). */
  upstream_cx_connect_fail: number;
  /** Connection attempts that timed out (`connect_timeout`). */
  upstream_cx_connect_timeout: number;
  /** Connections closed (after they were opened or failed). */
  upstream_cx_destroy: number;
  /** Connections not opened because `max_connections` was reached (`UO`). */
  upstream_cx_overflow: number;
  /** Requests not queued because `max_pending_requests` was reached (`UO`). */
  upstream_rq_pending_overflow: number;
  /** Requests that waited in a connection pool for a connection (none was free, one had to be established). */
  upstream_rq_pending_total: number;
  /** Requests waiting in a connection pool for a connection now (gauge). */
  upstream_rq_pending_active: number;
  /** Retries not attempted because `max_retries` was reached (`UO`). */
  upstream_rq_retry_overflow: number;
  /** Times no host could be chosen (no healthy host): the caller answers 503 `UH` or closes with `UH`. */
  upstream_cx_none_healthy: number;
  /** Host choices made in panic mode (fewer healthy hosts than `healthy_panic_threshold`): any host was taken. */
  lb_healthy_panic: number;
  /** Bytes received from upstream connections. */
  upstream_cx_rx_bytes_total: number;
  /** Bytes sent on upstream connections. */
  upstream_cx_tx_bytes_total: number;
  /** Requests sent. */
  upstream_rq_total: number;
  /** Requests in flight (gauge). */
  upstream_rq_active: number;
  /** Requests whose route timeout (or `x-envoy-upstream-rq-timeout-ms`) elapsed before the response ended. */
  upstream_rq_timeout: number;
  /** Attempts whose per-try timeout elapsed. */
  upstream_rq_per_try_timeout: number;
  /** Attempts whose per-try idle timeout elapsed. */
  upstream_rq_per_try_idle_timeout: number;
  /** Responses charged to the cluster (upstream responses and the local replies standing for them). */
  upstream_rq_completed: number;
  /** Charged responses by class. */
  upstream_rq_1xx: number;
  upstream_rq_2xx: number;
  upstream_rq_3xx: number;
  upstream_rq_4xx: number;
  upstream_rq_5xx: number;
  /** Retries attempted. */
  upstream_rq_retry: number;
  /** Requests whose attempt after a retry was not retried again (Envoy's notion of a successful retry). */
  upstream_rq_retry_success: number;
  /** Retriable outcomes not retried because the request had no retries left (`URX`). */
  upstream_rq_retry_limit_exceeded: number;
  /** Retries that waited for the exponential back-off (every retry: Orion has no rate-limited back-off). */
  upstream_rq_retry_backoff_exponential: number;
  /** Requests reset by the upstream (HTTP/2 RST_STREAM). */
  upstream_rq_rx_reset: number;
  /** Requests Orion reset on their connection (timeouts, retries, downstream gone). */
  upstream_rq_tx_reset: number;
  /** Requests abandoned before they were given a connection. */
  upstream_rq_cancelled: number;
  /** Hosts in the cluster (gauge). */
  membership_total: number;
  /** Healthy hosts (HEALTHY or UNKNOWN) (gauge). */
  membership_healthy: number;
  /** DEGRADED hosts (gauge). */
  membership_degraded: number;
  /** Hosts excluded from load balancing: UNHEALTHY, DRAINING, TIMEOUT (gauge). */
  membership_excluded: number;
  /** Times the membership changed. */
  membership_change: number;
  /** Largest host weight (gauge). */
  max_host_weight: number;
  /** Discovery attempts (DNS resolutions). */
  update_attempt: number;
  /** Successful discovery attempts. */
  update_success: number;
  /** Failed discovery attempts (the last good hosts are kept). */
  update_failure: number;
  /** Successful discovery attempts that found no host. */
  update_empty: number;
  /** ORIGINAL_DST: requests whose destination header was missing or not an `ip:port`. */
  original_dst_host_invalid: number;
}

/** Fresh {@link ClusterCounters}, all zero. */
export function createClusterCounters(): ClusterCounters {
  return {
    upstream_cx_total: 0,
    lb_healthy_panic: 0,
    upstream_cx_http1_total: 0,
    upstream_cx_http2_total: 0,
    upstream_cx_active: 0,
    upstream_cx_connect_fail: 0,
    upstream_cx_connect_timeout: 0,
    upstream_cx_destroy: 0,
    upstream_cx_overflow: 0,
    upstream_rq_pending_overflow: 0,
    upstream_rq_pending_total: 0,
    upstream_rq_pending_active: 0,
    upstream_rq_retry_overflow: 0,
    upstream_cx_none_healthy: 0,
    upstream_cx_rx_bytes_total: 0,
    upstream_cx_tx_bytes_total: 0,
    upstream_rq_total: 0,
    upstream_rq_active: 0,
    upstream_rq_timeout: 0,
    upstream_rq_per_try_timeout: 0,
    upstream_rq_per_try_idle_timeout: 0,
    upstream_rq_completed: 0,
    upstream_rq_1xx: 0,
    upstream_rq_2xx: 0,
    upstream_rq_3xx: 0,
    upstream_rq_4xx: 0,
    upstream_rq_5xx: 0,
    upstream_rq_retry: 0,
    upstream_rq_retry_success: 0,
    upstream_rq_retry_limit_exceeded: 0,
    upstream_rq_retry_backoff_exponential: 0,
    upstream_rq_rx_reset: 0,
    upstream_rq_tx_reset: 0,
    upstream_rq_cancelled: 0,
    membership_total: 0,
    membership_healthy: 0,
    membership_degraded: 0,
    membership_excluded: 0,
    membership_change: 0,
    max_host_weight: 0,
    update_attempt: 0,
    update_success: 0,
    update_failure: 0,
    update_empty: 0,
    original_dst_host_invalid: 0,
  };
}
