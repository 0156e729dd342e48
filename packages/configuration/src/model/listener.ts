import type { Address, CidrRange } from './address.js';
import type { HttpConnectionManager } from './http-connection-manager.js';
import type { TcpProxy } from './tcp-proxy.js';

/** Envoy's `envoy.config.core.v3.TrafficDirection` of a listener. */
export type TrafficDirection = 'UNSPECIFIED' | 'INBOUND' | 'OUTBOUND';

/**
 * A listener. Envoy: `envoy.config.listener.v3.Listener`; the fields below are supported, `metadata`, `ignore_global_conn_limit`, `bypass_overload_manager`, `enable_reuse_port` and
 * `max_connections_to_accept_per_socket_event` are ignored, and every other set field is rejected.
 */
export interface Listener {
  /** `name` (unique). */
  readonly name: string;
  /** `address`. */
  readonly address: Address;
  /** `stat_prefix`. Default: derived from the address by the data plane. */
  readonly statPrefix: string;
  /** `filter_chains`; a connection takes the most specific matching chain. */
  readonly filterChains: readonly FilterChain[];
  /** `default_filter_chain`, used when no chain matches. */
  readonly defaultFilterChain?: FilterChain;
  /** `listener_filters`. */
  readonly listenerFilters: readonly ListenerFilter[];
  /** `listener_filters_timeout`; 0 disables. Default 15000. */
  readonly listenerFiltersTimeoutMs: number;
  /** `continue_on_listener_filters_timeout`. Default false. */
  readonly continueOnListenerFiltersTimeout: boolean;
  /** `per_connection_buffer_limit_bytes`. Default 1048576 (1 MiB). */
  readonly perConnectionBufferLimitBytes: number;
  /** `bind_to_port`. Default true. */
  readonly bindToPort: boolean;
  /** `tcp_backlog_size`. Default 128. */
  readonly tcpBacklogSize: number;
  /**
   * `traffic_direction`: whether the listener takes inbound or outbound traffic (admin
   * `/drain_listeners?inboundonly` drains only `INBOUND` ones). Default `UNSPECIFIED`.
   */
  readonly trafficDirection: TrafficDirection;
}

/**
 * A listener filter. Envoy: `ListenerFilter` chosen by `typed_config` type URL; only the TLS inspector is accepted
 * (harmless while no filter chain matches on SNI or ALPN, which is rejected).
 */
export type ListenerFilter = { readonly type: 'tlsInspector'; /** `name`. */ readonly name: string };

/** One filter chain. Envoy: `envoy.config.listener.v3.FilterChain` (`transport_socket` other than raw_buffer is rejected). */
export interface FilterChain {
  /** `name`. Default `""`. */
  readonly name: string;
  /** `filter_chain_match`. */
  readonly match: FilterChainMatch;
  /** `filters`, in order; the last is terminal. */
  readonly filters: readonly NetworkFilter[];
}

/**
 * Which connections a filter chain takes. Envoy: `envoy.config.listener.v3.FilterChainMatch` with
 * `destination_port`, `prefix_ranges`, `direct_source_prefix_ranges`, `source_type`, `source_prefix_ranges` and
 * `source_ports`; `server_names`, `transport_protocol` and `application_protocols` are rejected.
 */
export interface FilterChainMatch {
  /** `destination_port`. Undefined: any. */
  readonly destinationPort?: number;
  /** `prefix_ranges` of the destination address. Empty: any. */
  readonly prefixRanges: readonly CidrRange[];
  /** `direct_source_prefix_ranges` of the peer address. Empty: any. */
  readonly directSourcePrefixRanges: readonly CidrRange[];
  /** `source_type`. Default `any`. */
  readonly sourceType: 'any' | 'sameIpOrLoopback' | 'external';
  /** `source_prefix_ranges`. Empty: any. */
  readonly sourcePrefixRanges: readonly CidrRange[];
  /** `source_ports`. Empty: any. */
  readonly sourcePorts: readonly number[];
}

/** A network filter, chosen by `typed_config` type URL. */
export type NetworkFilter = HttpConnectionManager | TcpProxy;
