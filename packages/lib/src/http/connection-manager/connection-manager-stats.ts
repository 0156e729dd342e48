/**
 * Counters of one HTTP connection manager with Envoy's names (`http.<stat_prefix>.*`). Plain numbers,
 * incremented on the data path; the metrics layer reads them.
 */
export interface ConnectionManagerStats {
  downstream_cx_total: number;
  downstream_cx_active: number;
  downstream_cx_destroy: number;
  downstream_cx_http1_total: number;
  downstream_cx_http1_active: number;
  downstream_cx_http2_total: number;
  downstream_cx_http2_active: number;
  downstream_cx_upgrades_total: number;
  downstream_cx_upgrades_active: number;
  downstream_cx_protocol_error: number;
  /** Connections closed by `idle_timeout` (no stream for that long). */
  downstream_cx_idle_timeout: number;
  /** HTTP/1.1 connections closed because a drain (listener drain, `/drain_listeners`) decided so. */
  downstream_cx_drain_close: number;
  /** Closing connections whose client did not close within the delayed close timeout (1 s). */
  downstream_cx_delayed_close_timeout: number;
  /** Connections drained after `max_requests_per_connection` requests. */
  downstream_cx_max_requests_reached: number;
  /** Connections drained after `max_connection_duration`. */
  downstream_cx_max_duration_reached: number;
  downstream_rq_total: number;
  downstream_rq_active: number;
  downstream_rq_http1_total: number;
  downstream_rq_http2_total: number;
  downstream_rq_1xx: number;
  downstream_rq_2xx: number;
  downstream_rq_3xx: number;
  downstream_rq_4xx: number;
  downstream_rq_5xx: number;
  downstream_rq_completed: number;
  downstream_rq_timeout: number;
  downstream_rq_rx_reset: number;
  downstream_rq_tx_reset: number;
  downstream_rq_too_large: number;
  downstream_rq_header_timeout: number;
  downstream_rq_ws_on_non_ws_route: number;
  downstream_rq_max_duration_reached: number;
  /** Responses that started before their request was complete. */
  downstream_rq_response_before_rq_complete: number;
  no_route: number;
  no_cluster: number;
  rq_direct_response: number;
  rq_redirect: number;
}

/** Fresh zeroed counters. */
export function createConnectionManagerStats(): ConnectionManagerStats {
  return {
    downstream_cx_total: 0,
    downstream_cx_active: 0,
    downstream_cx_destroy: 0,
    downstream_cx_http1_total: 0,
    downstream_cx_http1_active: 0,
    downstream_cx_http2_total: 0,
    downstream_cx_http2_active: 0,
    downstream_cx_upgrades_total: 0,
    downstream_cx_upgrades_active: 0,
    downstream_cx_protocol_error: 0,
    downstream_cx_idle_timeout: 0,
    downstream_cx_drain_close: 0,
    downstream_cx_delayed_close_timeout: 0,
    downstream_cx_max_requests_reached: 0,
    downstream_cx_max_duration_reached: 0,
    downstream_rq_total: 0,
    downstream_rq_active: 0,
    downstream_rq_http1_total: 0,
    downstream_rq_http2_total: 0,
    downstream_rq_1xx: 0,
    downstream_rq_2xx: 0,
    downstream_rq_3xx: 0,
    downstream_rq_4xx: 0,
    downstream_rq_5xx: 0,
    downstream_rq_completed: 0,
    downstream_rq_timeout: 0,
    downstream_rq_rx_reset: 0,
    downstream_rq_tx_reset: 0,
    downstream_rq_too_large: 0,
    downstream_rq_header_timeout: 0,
    downstream_rq_ws_on_non_ws_route: 0,
    downstream_rq_max_duration_reached: 0,
    downstream_rq_response_before_rq_complete: 0,
    no_route: 0,
    no_cluster: 0,
    rq_direct_response: 0,
    rq_redirect: 0,
  };
}
