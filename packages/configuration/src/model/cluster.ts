import type { ClusterLoadAssignment } from './cluster-load-assignment.js';
import type { ConfigSource } from './config-source.js';
import type { CommonHttpProtocolOptions, Http2ProtocolOptions } from './http-protocol-options.js';

/**
 * An upstream cluster. Envoy: `envoy.config.cluster.v3.Cluster`; the fields below are supported, `metadata` and
 * `track_cluster_stats` are ignored, and every other set field (health checks, outlier detection, TLS transport
 * sockets, …) is rejected.
 */
export interface Cluster {
  /** `name` (unique). */
  readonly name: string;
  /** `alt_stat_name`: the name in stats. Default: `name`. */
  readonly statName: string;
  /** `type` with its data. */
  readonly discovery: ClusterDiscovery;
  /** `connect_timeout`. Default 5000. */
  readonly connectTimeoutMs: number;
  /** `per_connection_buffer_limit_bytes`. Default 1048576 (1 MiB). */
  readonly perConnectionBufferLimitBytes: number;
  /** `lb_policy` with its `*_lb_config`. */
  readonly lbPolicy: LbPolicy;
  /**
   * `common_lb_config.healthy_panic_threshold`, in percent: below this share of healthy (and degraded) hosts a
   * priority is in panic and load goes to all its hosts; 0 disables panic mode. Default 50.
   */
  readonly healthyPanicThresholdPercent: number;
  /** The upstream HTTP protocol (from `typed_extension_protocol_options` HttpProtocolOptions or the deprecated cluster fields). */
  readonly httpProtocol: UpstreamHttpProtocol;
  /** `common_http_protocol_options` of the upstream connections. */
  readonly commonHttpProtocolOptions: CommonHttpProtocolOptions;
  /** `circuit_breakers.thresholds`, one per routing priority. */
  readonly circuitBreakers: readonly CircuitBreakerThresholds[];
  /** `upstream_connection_options.tcp_keepalive.keepalive_time`, in seconds. Undefined: no TCP keep-alive. */
  readonly tcpKeepaliveTimeS?: number;
}

/**
 * How a cluster finds its endpoints. Envoy: `Cluster.type` STATIC, STRICT_DNS, LOGICAL_DNS, EDS or ORIGINAL_DST
 * (with `original_dst_lb_config.use_http_header`); `cluster_type` (custom clusters) is rejected.
 */
export type ClusterDiscovery =
  | { readonly type: 'static'; /** `load_assignment`. */ readonly loadAssignment: ClusterLoadAssignment }
  | ({ readonly type: 'strictDns' | 'logicalDns'; /** `load_assignment` (host names to resolve). */ readonly loadAssignment: ClusterLoadAssignment } & DnsSettings)
  | {
      readonly type: 'eds';
      /** `eds_cluster_config.service_name`. Default: the cluster name. */
      readonly serviceName: string;
      /** `eds_cluster_config.eds_config`. Undefined: the source the cluster itself came from (ADS). */
      readonly edsConfig?: ConfigSource;
      /** `load_assignment`: endpoints to use until EDS answers. */
      readonly loadAssignment?: ClusterLoadAssignment;
    }
  | {
      readonly type: 'originalDst';
      /** `original_dst_lb_config.http_header_name`. Default `x-envoy-original-dst-host`. */
      readonly httpHeaderName: string;
      /** `original_dst_lb_config.upstream_port_override`. */
      readonly upstreamPortOverride?: number;
      /** `cleanup_interval` of unused hosts. Default 5000. */
      readonly cleanupIntervalMs: number;
    };

/** DNS settings of STRICT_DNS and LOGICAL_DNS clusters. */
export interface DnsSettings {
  /** `dns_refresh_rate`. Default 5000. */
  readonly dnsRefreshRateMs: number;
  /** `respect_dns_ttl`. Default false. */
  readonly respectDnsTtl: boolean;
  /** `dns_lookup_family`. Default `auto` (Envoy's AUTO: IPv6, else IPv4). */
  readonly dnsLookupFamily: 'auto' | 'v4Only' | 'v6Only' | 'v4Preferred' | 'all';
}

/** The load balancer of a cluster. Envoy: `lb_policy` and its `*_lb_config`. */
export type LbPolicy =
  | { readonly type: 'roundRobin' | 'random' }
  | { readonly type: 'leastRequest'; /** `least_request_lb_config.choice_count`. Default 2. */ readonly choiceCount: number }
  | {
      readonly type: 'ringHash';
      /** `ring_hash_lb_config.minimum_ring_size`. Default 1024. */
      readonly minimumRingSize: number;
      /** `ring_hash_lb_config.maximum_ring_size`. Default 8388608. */
      readonly maximumRingSize: number;
    }
  | { readonly type: 'maglev'; /** `maglev_lb_config.table_size` (prime). Default 65537. */ readonly tableSize: number };

/**
 * The upstream HTTP protocol. Envoy: `envoy.extensions.upstreams.http.v3.HttpProtocolOptions`
 * (`explicit_http_config`, `use_downstream_protocol_config`, `auto_config`); without it, HTTP/1.1.
 */
export type UpstreamHttpProtocol =
  | { readonly type: 'http1' }
  | { readonly type: 'http2'; readonly http2: Http2ProtocolOptions }
  | { readonly type: 'useDownstream'; /** HTTP/2 settings used when the downstream is HTTP/2. */ readonly http2: Http2ProtocolOptions }
  | { readonly type: 'auto'; /** ALPN picks h2 or HTTP/1.1; without TLS, HTTP/1.1. */ readonly http2: Http2ProtocolOptions };

/**
 * Circuit-breaker limits for one routing priority. Envoy: `envoy.config.cluster.v3.CircuitBreakers.Thresholds`
 * (`retry_budget` and `max_connection_pools` are rejected; `track_remaining` is ignored).
 */
export interface CircuitBreakerThresholds {
  /** `priority`. Default `default`. */
  readonly priority: 'default' | 'high';
  /** `max_connections`. Default 1024. */
  readonly maxConnections: number;
  /** `max_pending_requests`. Default 1024. */
  readonly maxPendingRequests: number;
  /** `max_requests`. Default 1024. */
  readonly maxRequests: number;
  /** `max_retries`. Default 3. */
  readonly maxRetries: number;
}
