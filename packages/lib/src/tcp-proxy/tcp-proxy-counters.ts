/** tcp_proxy counters with Envoy's names (`tcp.<stat_prefix>.<counter>`), a plain mutable object. */
export interface TcpProxyCounters {
  /** Connections handled. */
  downstream_cx_total: number;
  /** Connections closed because the cluster does not exist (`NC`). */
  downstream_cx_no_route: number;
  /** Bytes received from downstream. */
  downstream_cx_rx_bytes_total: number;
  /** Bytes sent to downstream. */
  downstream_cx_tx_bytes_total: number;
  /** Times reading from downstream paused because the upstream could not take more. */
  downstream_flow_control_paused_reading_total: number;
  /** Times reading from downstream resumed. */
  downstream_flow_control_resumed_reading_total: number;
  /** Connections closed by `idle_timeout`. */
  idle_timeout: number;
  /** Connections that went on flushing data upstream after the downstream connection closed. */
  upstream_flush_total: number;
  /** Connections flushing data upstream now (gauge). */
  upstream_flush_active: number;
}

/** Fresh {@link TcpProxyCounters}, all zero. */
export function createTcpProxyCounters(): TcpProxyCounters {
  return {
    downstream_cx_total: 0,
    downstream_cx_no_route: 0,
    downstream_cx_rx_bytes_total: 0,
    downstream_cx_tx_bytes_total: 0,
    downstream_flow_control_paused_reading_total: 0,
    downstream_flow_control_resumed_reading_total: 0,
    idle_timeout: 0,
    upstream_flush_total: 0,
    upstream_flush_active: 0,
  };
}
