import type { Socket } from 'node:net';
import type { Bootstrap, FilterChain, HttpConnectionManager, Listener, NetworkFilter } from '@orion/configuration';
import { assertNever, OrionError, withContext } from '@orion/error';
import { AccessLogSinks } from '../access-log/access-log-sinks.js';
import { createAccessLogger } from '../access-log/create-access-logger.js';
import { ClusterManager } from '../clusters/cluster-manager.js';
import type { DnsResolver } from '../clusters/dns-resolver.js';
import type { UpstreamCluster } from '../clusters/upstream-cluster.js';
import { LibErrorCode } from '../error-codes.js';
import { ConnectionManager } from '../http/connection-manager/connection-manager.js';
import type { ConnectionManagerStats } from '../http/connection-manager/connection-manager-stats.js';
import type { ClusterLookup } from '../http/connection-manager/ports.js';
import { compileRouteConfiguration } from '../http/router/route-table.js';
import type { BoundAddress } from '../listeners/bound-address.js';
import type { ListenerConnectionInfo } from '../listeners/listener-connection.js';
import { ListenerManager } from '../listeners/listener-manager.js';
import { TcpProxyFilter } from '../tcp-proxy/tcp-proxy-filter.js';
import { ClusterWithPools } from './cluster-pools.js';

/** Options of {@link DataPlane.start}. */
export interface DataPlaneOptions {
  /** The validated configuration (from @orion/configuration). */
  readonly bootstrap: Bootstrap;
  /** Worker processes sharing the limits (circuit breakers are split as `ceil(limit / workers)`). Default 1. */
  readonly workers?: number;
  /** Shared access-log sinks. Default: a registry owned (and closed) by the data plane. */
  readonly accessLogSinks?: AccessLogSinks;
  /** DNS resolver for STRICT_DNS / LOGICAL_DNS clusters (tests). Default: the system resolver. */
  readonly resolver?: DnsResolver;
}

type ChainHandler = (socket: Socket, info: ListenerConnectionInfo) => void;

/** A connection manager or tcp_proxy built for one filter chain. */
type Terminal = { readonly type: 'http'; readonly manager: ConnectionManager } | { readonly type: 'tcp'; readonly filter: TcpProxyFilter };

/**
 * One process's data plane built from a configuration snapshot: the clusters (with their connection pools), a
 * connection manager or tcp_proxy per filter chain, and the listeners that feed them.
 */
export class DataPlane {
  readonly clusters: ClusterManager;
  readonly listeners: ListenerManager;
  readonly accessLogSinks: AccessLogSinks;
  readonly #ownsSinks: boolean;
  readonly #handlers = new WeakMap<FilterChain, ChainHandler>();
  readonly #terminals: Terminal[] = [];

  private constructor(clusters: ClusterManager, sinks: AccessLogSinks, ownsSinks: boolean) {
    this.clusters = clusters;
    this.accessLogSinks = sinks;
    this.#ownsSinks = ownsSinks;
    this.listeners = new ListenerManager({
      onConnection: (socket, info) => {
        const handler = this.#handlers.get(info.filterChain);
        if (handler === undefined) socket.destroy();
        else handler(socket, info);
      },
    });
  }

  /** Builds everything and binds the listeners; rejects (releasing what it built) if any part fails. */
  static async start(options: DataPlaneOptions): Promise<DataPlane> {
    const workers = options.workers ?? 1;
    const sinks = options.accessLogSinks ?? new AccessLogSinks();
    const clusters = ClusterManager.create(options.bootstrap.staticResources.clusters, {
      workers,
      ...(options.resolver === undefined ? {} : { resolver: options.resolver }),
    });
    const plane = new DataPlane(clusters, sinks, options.accessLogSinks === undefined);
    try {
      await clusters.ready();
      const lookup = plane.#clusterLookup(workers);
      for (const listener of options.bootstrap.staticResources.listeners) await plane.#buildListener(listener, lookup);
      await plane.listeners.apply(options.bootstrap.staticResources.listeners);
    } catch (err) {
      await plane.destroy();
      throw err;
    }
    return plane;
  }

  /** Where each listener is bound (port 0 resolved), by listener name. */
  addresses(): ReadonlyMap<string, BoundAddress> {
    return this.listeners.addresses();
  }

  /** The counters of every HTTP connection manager, by stat prefix. */
  httpStats(): ReadonlyMap<string, ConnectionManagerStats> {
    const out = new Map<string, ConnectionManagerStats>();
    for (const t of this.#terminals) if (t.type === 'http') out.set(t.manager.config.statPrefix, t.manager.stats);
    return out;
  }

  /**
   * Stops accepting, closes idle connections, lets in-flight requests and tcp_proxy sessions finish, then releases
   * the clusters and flushes the access logs.
   */
  async close(): Promise<void> {
    const listenersClosed = this.listeners.close();
    for (const t of this.#terminals) {
      if (t.type === 'http') t.manager.close();
    }
    await listenersClosed;
    await Promise.all(this.#terminals.map((t) => (t.type === 'tcp' ? t.filter.close() : undefined)));
    await this.clusters.close();
    if (this.#ownsSinks) await this.accessLogSinks.closeAll();
    else await this.accessLogSinks.flushAll();
  }

  /** Tears everything down at once. */
  async destroy(): Promise<void> {
    for (const t of this.#terminals) {
      if (t.type === 'http') t.manager.destroy();
      else t.filter.destroy();
    }
    await this.listeners.destroy();
    await this.clusters.close();
    if (this.#ownsSinks) await this.accessLogSinks.closeAll();
  }

  #clusterLookup(workers: number): ClusterLookup {
    const wrapped = new WeakMap<UpstreamCluster, ClusterWithPools>();
    return {
      get: (name) => {
        const cluster = this.clusters.get(name);
        if (cluster === undefined) return undefined;
        let ref = wrapped.get(cluster);
        if (ref === undefined) {
          ref = new ClusterWithPools(cluster, workers);
          wrapped.set(cluster, ref);
        }
        return ref;
      },
    };
  }

  async #buildListener(listener: Listener, lookup: ClusterLookup): Promise<void> {
    const chains = listener.defaultFilterChain === undefined ? listener.filterChains : [...listener.filterChains, listener.defaultFilterChain];
    for (const chain of chains) {
      try {
        this.#handlers.set(chain, await this.#buildChain(listener, chain, lookup));
      } catch (err) {
        throw withContext(err, `building listener "${listener.name}" filter chain "${chain.name}"`);
      }
    }
  }

  async #buildChain(listener: Listener, chain: FilterChain, lookup: ClusterLookup): Promise<ChainHandler> {
    const terminal: NetworkFilter | undefined = chain.filters[chain.filters.length - 1];
    if (terminal === undefined) throw new OrionError(LibErrorCode.FILTER_CHAIN_INVALID, 'the filter chain has no terminal filter');
    switch (terminal.type) {
      case 'httpConnectionManager': {
        const manager = await this.#connectionManager(terminal, lookup);
        this.#terminals.push({ type: 'http', manager });
        return (socket, info) => manager.handleConnection(socket, { connectionId: info.connectionId, listenerName: listener.name, filterChainName: chain.name });
      }
      case 'tcpProxy': {
        const filter = await TcpProxyFilter.create(terminal, { clusters: this.clusters, accessLogSinks: this.accessLogSinks });
        this.#terminals.push({ type: 'tcp', filter });
        return (socket, info) => filter.handle(socket, info);
      }
      default:
        return assertNever(terminal, 'network filter');
    }
  }

  async #connectionManager(config: HttpConnectionManager, lookup: ClusterLookup): Promise<ConnectionManager> {
    if (config.codecType === 'http2') {
      throw new OrionError(LibErrorCode.HTTP_CODEC_UNSUPPORTED, `codec_type HTTP2 is not implemented by this data plane (stat_prefix ${config.statPrefix})`);
    }
    const specifier = config.routeSpecifier;
    if (specifier.type !== 'inline') {
      throw new OrionError(LibErrorCode.ROUTE_SOURCE_UNSUPPORTED, `route configuration "${specifier.routeConfigName}" comes from RDS, which needs xDS (not wired into the data plane yet)`);
    }
    const routes = await compileRouteConfiguration(specifier.routeConfiguration, { stripPortMode: config.stripPortMode });
    const accessLoggers = await Promise.all(config.accessLogs.map((log) => createAccessLogger(log, this.accessLogSinks)));
    return new ConnectionManager({ config, routes, clusters: lookup, accessLoggers });
  }
}
