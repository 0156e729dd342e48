import type { Socket } from 'node:net';
import type { TcpProxy } from '@orion/configuration';
import { ResponseFlag } from '@orion/format';
import type { AccessLogSinks } from '../access-log/access-log-sinks.js';
import type { RandomSource, UpstreamCluster } from '../clusters/index.js';
import { buildAccessLogs, type TcpProxyAccessLog } from './tcp-proxy-access-log.js';
import { createTcpProxyCounters, type TcpProxyCounters } from './tcp-proxy-counters.js';
import { TcpProxySession } from './tcp-proxy-session.js';
import { TcpProxySessionInfo } from './tcp-proxy-session-info.js';

/** Finds clusters by name; a `ClusterManager` is one. */
export interface TcpProxyClusterLookup {
  get(name: string): UpstreamCluster | undefined;
}

/** What tcp_proxy needs to know about an accepted connection; a listener's `ListenerConnectionInfo` is one. */
export interface TcpProxyConnectionInfo {
  /** `%CONNECTION_ID%`. */
  readonly connectionId: number;
  /** The listener, for `%LISTENER_NAME%`. */
  readonly listener?: { readonly name: string } | undefined;
  /** The filter chain, for `%FILTER_CHAIN_NAME%`. */
  readonly filterChain?: { readonly name: string } | undefined;
  /** Accept time, epoch ms. Default: now. */
  readonly startTime?: number | undefined;
  /** Accept time, `process.hrtime.bigint()`. Default: now. */
  readonly startHrTime?: bigint | undefined;
}

/** Options of {@link TcpProxyFilter.create}. */
export interface TcpProxyFilterOptions {
  /** The clusters to proxy to (looked up per connection, so cluster updates apply to new connections). */
  readonly clusters: TcpProxyClusterLookup;
  /**
   * The access logs to write when a session ends. Default: built from the filter's `access_log` list with
   * `createAccessLogger`, on {@link accessLogSinks}.
   */
  readonly accessLogs?: readonly TcpProxyAccessLog[];
  /**
   * The process's access-log sinks, shared with the other loggers (one handle per file). Default: a private
   * registry, closed by {@link TcpProxyFilter.close}.
   */
  readonly accessLogSinks?: AccessLogSinks;
  /** Ids for upstream connections (`%UPSTREAM_CONNECTION_ID%`); pass the listeners' `nextConnectionId`. Default: none. */
  readonly nextConnectionId?: () => number;
  /** Random numbers for `weighted_clusters`. Default `Math.random`. */
  readonly random?: RandomSource;
  /** Called with every finished session (after its access logs), e.g. for tests or tracing. */
  readonly onSessionEnd?: (info: TcpProxySessionInfo) => void;
}

/**
 * The tcp_proxy network filter of one filter chain. Envoy: `envoy.filters.network.tcp_proxy`
 * (`stat_prefix`, `cluster` / `weighted_clusters`, `idle_timeout` default 1 h, `access_log`).
 *
 * For each connection it picks a cluster and a host (`NC` when the cluster does not exist, `UH` when it has no
 * healthy host, `UO` when the cluster's `max_connections` circuit breaker is open), connects within the cluster's
 * `connect_timeout` (`UF` on failure or timeout), then proxies bytes
 * both ways until both sides have closed; see {@link TcpProxySession}. Failures never throw: they close the
 * connection and show in the response flags and counters. Not implemented: `max_connect_attempts` (one attempt),
 * on-demand clusters, `access_log_options.access_log_flush_interval`.
 */
export class TcpProxyFilter {
  readonly config: TcpProxy;
  /** `tcp.<stat_prefix>.*` counters. */
  readonly counters: TcpProxyCounters = createTcpProxyCounters();
  readonly #options: TcpProxyFilterOptions;
  readonly #logs: readonly TcpProxyAccessLog[];
  readonly #closeLogs: () => Promise<void>;
  readonly #random: RandomSource;
  readonly #sessions = new Set<TcpProxySession>();
  readonly #idleWaiters: (() => void)[] = [];

  private constructor(config: TcpProxy, options: TcpProxyFilterOptions, logs: readonly TcpProxyAccessLog[], closeLogs: () => Promise<void>) {
    this.config = config;
    this.#options = options;
    this.#logs = logs;
    this.#closeLogs = closeLogs;
    this.#random = options.random ?? Math.random;
  }

  /**
   * Builds the filter, its formatters and (unless `options.accessLogs` is given) its access-log sinks. Rejects with
   * `ORION_ERR_LIB_TCP_PROXY_ACCESS_LOG` for an access log that cannot be built.
   */
  static async create(config: TcpProxy, options: TcpProxyFilterOptions): Promise<TcpProxyFilter> {
    if (options.accessLogs !== undefined) return new TcpProxyFilter(config, options, options.accessLogs, () => Promise.resolve());
    const owned = await buildAccessLogs(config.accessLogs, options.accessLogSinks);
    return new TcpProxyFilter(config, options, owned.logs, owned.close);
  }

  /** The `tcp.<stat_prefix>.` prefix of {@link counters}. */
  get statPrefix(): string {
    return `tcp.${this.config.statPrefix}.`;
  }

  /** Sessions in progress. */
  get activeSessions(): number {
    return this.#sessions.size;
  }

  /**
   * Bytes buffered by all sessions now (Envoy's `downstream_cx_rx_bytes_buffered` + `…_tx_bytes_buffered` and the
   * upstream equivalents); bounded by the sockets' high-water marks, since reading pauses while a side is full.
   */
  get bufferedBytes(): number {
    let total = 0;
    for (const s of this.#sessions) total += s.bufferedBytes;
    return total;
  }

  /** Proxies one accepted connection; takes ownership of the socket. Never throws. */
  handle(socket: Socket, connection: TcpProxyConnectionInfo): void {
    this.counters.downstream_cx_total++;
    const info = new TcpProxySessionInfo(
      connection.connectionId,
      connection.startTime ?? Date.now(),
      connection.startHrTime ?? process.hrtime.bigint(),
      connection.listener?.name,
      connection.filterChain?.name,
    );
    const session = new TcpProxySession(socket, info, {
      counters: this.counters,
      idleTimeoutMs: this.config.idleTimeoutMs,
      nextConnectionId: this.#options.nextConnectionId,
      finished: (s) => this.#finished(s),
    });
    this.#sessions.add(session);
    try {
      const clusterName = this.#pickClusterName();
      const cluster = clusterName === undefined ? undefined : this.#options.clusters.get(clusterName);
      if (cluster === undefined) {
        info.upstreamClusterName = clusterName;
        this.counters.downstream_cx_no_route++;
        session.fail(ResponseFlag.NoClusterFound, 'tcp_proxy_no_cluster');
        return;
      }
      const host = cluster.chooseHost();
      if (host === undefined) {
        info.upstreamClusterName = cluster.name;
        info.upstreamClusterObservabilityName = cluster.statName;
        session.fail(ResponseFlag.NoHealthyUpstream, 'tcp_proxy_no_healthy_upstream');
        return;
      }
      if (cluster.counters.upstream_cx_active >= cluster.limits.default.maxConnections) {
        // Envoy: the cluster's max_connections circuit breaker is open.
        cluster.counters.upstream_cx_overflow++;
        info.upstreamClusterName = cluster.name;
        info.upstreamClusterObservabilityName = cluster.statName;
        session.fail(ResponseFlag.UpstreamOverflow, 'tcp_proxy_upstream_overflow');
        return;
      }
      session.connect(cluster, host);
    } catch {
      session.destroy();
    }
  }

  /** Waits for every session to end, then flushes and closes the access-log sinks the filter owns (if any). */
  async close(): Promise<void> {
    if (this.#sessions.size > 0) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
    await this.#closeLogs();
  }

  /** Closes every session now, then the owned sinks. */
  async destroy(): Promise<void> {
    for (const s of [...this.#sessions]) s.destroy();
    await this.close();
  }

  #pickClusterName(): string | undefined {
    const spec = this.config.cluster;
    if (spec.type === 'cluster') return spec.name;
    let total = 0;
    for (const c of spec.clusters) total += c.weight;
    let r = this.#random() * total;
    for (const c of spec.clusters) {
      r -= c.weight;
      if (r < 0) return c.name;
    }
    return spec.clusters[spec.clusters.length - 1]?.name;
  }

  #finished(session: TcpProxySession): void {
    this.#sessions.delete(session);
    for (const log of this.#logs) {
      try {
        log.log(session.info);
      } catch {
        // An access log must never break the data path.
      }
    }
    try {
      this.#options.onSessionEnd?.(session.info);
    } catch {
      // Same for observers.
    }
    if (this.#sessions.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
