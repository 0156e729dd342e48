/** Per-listener counters with Envoy's names (`listener.<stat_prefix>.<counter>`), a plain mutable object. */
export interface ListenerCounters {
  /** Connections accepted and handed to a filter chain. */
  downstream_cx_total: number;
  /** Connections open now (gauge). */
  downstream_cx_active: number;
  /** Connections closed. */
  downstream_cx_destroy: number;
  /** Connections closed at once because no filter chain matched and there is no default filter chain. */
  no_filter_chain_match: number;
  /** Connections whose handler threw (closed at once; an Orion addition). */
  downstream_cx_handler_error: number;
}

/** Fresh {@link ListenerCounters}, all zero. */
export function createListenerCounters(): ListenerCounters {
  return { downstream_cx_total: 0, downstream_cx_active: 0, downstream_cx_destroy: 0, no_filter_chain_match: 0, downstream_cx_handler_error: 0 };
}
