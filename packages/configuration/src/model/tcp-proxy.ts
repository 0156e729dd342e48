import type { AccessLog } from './access-log.js';

/**
 * The TCP proxy network filter. Envoy: `envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy` with `stat_prefix`,
 * `cluster` or `weighted_clusters`, `idle_timeout` and `access_log`; every other field is rejected.
 */
export interface TcpProxy {
  readonly type: 'tcpProxy';
  /** The filter's `name`, for messages only. */
  readonly name: string;
  /** `stat_prefix`: stats are `tcp.<statPrefix>.*`. */
  readonly statPrefix: string;
  /** `cluster` or `weighted_clusters`. */
  readonly cluster: TcpProxyCluster;
  /** `idle_timeout`: close both sides after this long without bytes either way; 0 disables. Default 3600000 (1 h). */
  readonly idleTimeoutMs: number;
  /** `access_log`: written when a connection closes. */
  readonly accessLogs: readonly AccessLog[];
}

/** The upstream cluster of a {@link TcpProxy}. */
export type TcpProxyCluster =
  | { readonly type: 'cluster'; /** `cluster`. */ readonly name: string }
  | {
      readonly type: 'weightedClusters';
      /** `weighted_clusters.clusters`: pick one per connection in proportion to `weight`. */
      readonly clusters: readonly { readonly name: string; readonly weight: number }[];
    };
