import type { Socket } from 'node:net';
import type { Bootstrap, Cluster, ClusterLoadAssignment, FilterChain, HttpConnectionManager, Listener, NetworkFilter } from '@orion/configuration';
import { assertNever, OrionError, withContext } from '@orion/error';
import { emptySnapshot, type StatsSnapshot, type StatsStore } from '@orion/metrics';
import { AccessLogSinks } from '../access-log/access-log-sinks.js';
import { createAccessLogger } from '../access-log/create-access-logger.js';
import { configEqual } from '../clusters/config-equal.js';
import { ClusterManager, type ClusterUpdateResult } from '../clusters/cluster-manager.js';
import type { DnsResolver } from '../clusters/dns-resolver.js';
import type { UpstreamCluster } from '../clusters/upstream-cluster.js';
import { LibErrorCode } from '../error-codes.js';
import { ConnectionManager } from '../http/connection-manager/connection-manager.js';
import type { ConnectionManagerStats } from '../http/connection-manager/connection-manager-stats.js';
import type { ClusterLookup } from '../http/connection-manager/ports.js';
import { compileRouteConfiguration, type CompiledRouteConfiguration } from '../http/router/route-table.js';
import type { DrainingListener } from '../listeners/active-listener.js';
import type { BoundAddress } from '../listeners/bound-address.js';
import type { ListenerConnectionInfo } from '../listeners/listener-connection.js';
import { ListenerManager, type ListenerApplyResult } from '../listeners/listener-manager.js';
import { clusterStatus, type ClusterStatus } from '../stats/cluster-status.js';
import { CLUSTER_STATS_LAYOUT, HTTP_STATS_LAYOUT, LISTENER_STATS_LAYOUT, TCP_PROXY_STATS_LAYOUT } from '../stats/plain-stats-layouts.js';
import { StatsSync } from '../stats/stats-sync.js';
import { TcpProxyFilter } from '../tcp-proxy/tcp-proxy-filter.js';
import { ClusterWithPools } from './cluster-pools.js';
import { noopDataPlaneLogger, type DataPlaneLogger } from './data-plane-logger.js';
import { drainDecision, type DrainStrategy } from './drain-decision.js';
import { inlineRouteChanges } from './listener-route-changes.js';

/** Settings of {@link DataPlane.start} besides what to serve. */
export interface DataPlaneSettings {
  /** Worker processes sharing the limits (circuit breakers are split as `ceil(limit / workers)`). Default 1. */
  readonly workers?: number;
  /** Shared access-log sinks. Default: a registry owned (and closed) by the data plane. */
  readonly accessLogSinks?: AccessLogSinks;
  /** DNS resolver for STRICT_DNS / LOGICAL_DNS clusters (tests). Default: the system resolver. */
  readonly resolver?: DnsResolver;
  /**
   * Bind TCP listeners with `SO_REUSEPORT`, this process's own socket on each port, instead of through
   * `node:cluster` handle sharing. Only where the running Node honours `reusePort` (≥ 22.12). Default false.
   */
  readonly reusePort?: boolean;
  /** Receives what the data plane does with configuration. Default: drops everything. */
  readonly logger?: DataPlaneLogger;
  /**
   * Where to record Envoy's stats (`listener.*`, `http.*`, `tcp.*`, `cluster.*`; see the README's "Stats"). Handles
   * are created when listeners, connection managers and clusters are built; histograms and per-response-code
   * counters are recorded as requests end, the plain counters are copied in by {@link DataPlane.statsSnapshot}.
   * Default: none (only the plain counters are kept).
   */
  readonly stats?: StatsStore;
}

/**
 * Options of {@link DataPlane.start}: what to serve — a validated configuration (from @orion/configuration), whose
 * static listeners and clusters are served, or the resources themselves (a worker's configuration snapshot) — and
 * the {@link DataPlaneSettings}.
 */
export type DataPlaneOptions = DataPlaneSettings & ({ readonly bootstrap: Bootstrap } | { readonly resources: DataPlaneResources });

/** The resources a data plane serves (the state of the world: whatever is missing is removed). */
export interface DataPlaneResources {
  /** Listeners, in order. */
  readonly listeners: readonly Listener[];
  /** Clusters. */
  readonly clusters: readonly Cluster[];
  /** Endpoints of EDS clusters, one assignment per cluster (`cluster_name`). Default none. */
  readonly loadAssignments?: readonly ClusterLoadAssignment[];
}

/** What {@link DataPlane.update} did. */
export interface DataPlaneUpdateResult {
  /** Listeners added, rebuilt (their old connections draining), removed (draining) and unchanged. */
  readonly listeners: ListenerApplyResult;
  /** Listeners whose inline route tables were swapped in place (their connections kept). */
  readonly routesUpdated: readonly string[];
  /** Clusters added, rebuilt, removed and unchanged. */
  readonly clusters: ClusterUpdateResult;
  /** EDS clusters whose endpoints were replaced. */
  readonly loadAssignmentsUpdated: readonly string[];
}

/** Which listeners {@link DataPlane.stopListeners} and {@link DataPlane.drainListeners} act on. */
export interface ListenerSelection {
  /** Only listeners whose `trafficDirection` is `INBOUND` (admin `?inboundonly`). Default false: every listener. */
  readonly inboundOnly?: boolean;
}

/** Options of {@link DataPlane.drainListeners}. */
export interface ListenerDrainOptions extends ListenerSelection {
  /** The drain period (`--drain-time-s`) in ms: how long the listeners keep accepting while their connections drain. */
  readonly drainTimeMs: number;
  /** `--drain-strategy`. Default `gradual`, as Envoy's. */
  readonly strategy?: DrainStrategy;
  /** A uniform random number in [0, 1) for the `gradual` decision (tests). Default `Math.random`. */
  readonly random?: () => number;
}

type ChainHandler = (socket: Socket, info: ListenerConnectionInfo) => void;

/** A graceful drain of one listener: its decision, and the terminals it was applied to. */
interface ListenerDrain {
  readonly decide: () => boolean;
  readonly applied: WeakSet<Terminal>;
}

/** A connection manager or tcp_proxy built for one filter chain. */
type Terminal =
  | { readonly type: 'http'; readonly manager: ConnectionManager }
  | { readonly type: 'tcp'; readonly filter: TcpProxyFilter };

/** A listener as served: the configuration its generation was built from, and the latest one applied to it. */
interface ListenerState {
  /** The object given to the listener manager (identifies the generation). */
  readonly built: Listener;
  /** Equal to `built` except, possibly, for inline route tables swapped in place. */
  latest: Listener;
}

/**
 * One process's data plane built from a configuration snapshot: the clusters (with their connection pools), a
 * connection manager or tcp_proxy per filter chain, and the listeners that feed them. {@link update} moves it to
 * a new snapshot without dropping a request: route tables are swapped in place, changed listeners are rebuilt
 * while their old connections drain, and clusters are replaced only after the routes that stop using them.
 */
export class DataPlane {
  readonly clusters: ClusterManager;
  readonly listeners: ListenerManager;
  readonly accessLogSinks: AccessLogSinks;
  readonly #ownsSinks: boolean;
  readonly #logger: DataPlaneLogger;
  readonly #lookup: ClusterLookup;
  readonly #handlers = new WeakMap<FilterChain, ChainHandler>();
  readonly #terminalByChain = new WeakMap<FilterChain, Terminal>();
  readonly #terminalsByListener = new Map<Listener, Terminal[]>();
  readonly #terminals = new Set<Terminal>();
  readonly #state = new Map<string, ListenerState>();
  readonly #assignments = new Map<string, ClusterLoadAssignment>();
  readonly #stats: StatsStore | undefined;
  readonly #statsSync: StatsSync | undefined;
  /** Listeners stopped by {@link stopListeners} or at the end of {@link drainListeners}: never bound again. */
  readonly #stopped = new Set<string>();
  /** Listeners in their graceful drain period, by name. */
  readonly #draining = new Map<string, ListenerDrain>();
  /** Drain periods under way: each timer with what ends its wait early (close, destroy). */
  readonly #drainWaits = new Map<NodeJS.Timeout, () => void>();
  /** The resources of the last successful update (what {@link stopListeners} moves the listeners from). */
  #resources: DataPlaneResources | undefined;
  #closed = false;
  #updating: Promise<unknown> = Promise.resolve();

  private constructor(clusters: ClusterManager, sinks: AccessLogSinks, ownsSinks: boolean, options: DataPlaneSettings) {
    this.clusters = clusters;
    this.accessLogSinks = sinks;
    this.#ownsSinks = ownsSinks;
    this.#logger = options.logger ?? noopDataPlaneLogger;
    this.#stats = options.stats;
    this.#statsSync = options.stats === undefined ? undefined : new StatsSync(options.stats);
    this.#lookup = this.#clusterLookup();
    this.listeners = new ListenerManager({
      onConnection: (socket, info) => {
        const handler = this.#handlers.get(info.filterChain);
        if (handler === undefined) socket.destroy();
        else handler(socket, info);
      },
      onDrain: (generation) => this.#onDrain(generation),
      reusePort: options.reusePort === true,
      ...(options.stats === undefined ? {} : { stats: options.stats }),
    });
  }

  /** Builds everything and binds the listeners; rejects (releasing what it built) if any part fails. */
  static async start(options: DataPlaneOptions): Promise<DataPlane> {
    const sinks = options.accessLogSinks ?? new AccessLogSinks();
    const resources: DataPlaneResources = 'resources' in options ? options.resources : options.bootstrap.staticResources;
    const clusters = ClusterManager.create(resources.clusters, {
      workers: options.workers ?? 1,
      ...(options.resolver === undefined ? {} : { resolver: options.resolver }),
      ...(options.stats === undefined ? {} : { stats: options.stats }),
    });
    const plane = new DataPlane(clusters, sinks, options.accessLogSinks === undefined, options);
    try {
      await clusters.ready();
      await plane.update(resources);
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
   * Copies the current value of every plain counter and gauge of the listeners, connection managers, tcp_proxy
   * filters and clusters into the {@link DataPlaneSettings.stats} store and returns `store.snapshot()`. Counters are
   * monotonic totals in the store (each call adds what was counted since the previous one), so counts of removed or
   * replaced listeners, connection managers and clusters stay in the store; gauges are set to what the live objects
   * (and replaced ones still draining) hold now, 0 once nothing holds them. Histograms are as of the store's last
   * `mergeHistograms()` (the caller's flush interval). Without a store, returns an empty snapshot.
   */
  statsSnapshot(): StatsSnapshot {
    const store = this.#stats;
    if (store === undefined) return emptySnapshot('worker');
    this.#syncStats();
    return store.snapshot();
  }

  /**
   * Every cluster with its configured circuit breakers and its hosts (address, locality, weight, health flags and
   * per-host stats), as plain data for Envoy's `/clusters` admin page.
   */
  clusterStatuses(): readonly ClusterStatus[] {
    return this.clusters.clusters.map(clusterStatus);
  }

  /**
   * Moves to a new set of resources (state of the world) without failing a request: new and changed clusters are
   * warmed and swapped in first (removed ones are kept until the routes stop using them), a listener whose only
   * change is an inline route table gets the new table in place (requests in flight keep the table they started
   * with), other changed listeners are rebuilt on the same listening socket and their old connections drain
   * (`Connection: close` after the request in flight, idle ones closed now), and removed listeners stop listening
   * and drain. Updates run one at a time. On failure (a filter chain or route table that cannot be built, a cluster
   * that cannot be created, a port that cannot be bound) nothing changes and the error is thrown.
   */
  update(resources: DataPlaneResources): Promise<DataPlaneUpdateResult> {
    const run = this.#updating.then(() => this.#update(resources));
    this.#updating = run.catch(() => undefined);
    return run;
  }

  /**
   * Envoy's `ListenerManager::stopListeners` (admin `/drain_listeners` without `graceful`): the selected listeners
   * stop listening at once and drain their connections as a removed listener does (idle ones closed, `Connection:
   * close` on the responses in flight, HTTP/2 GOAWAY, tcp_proxy sessions left to finish). A stopped listener stays
   * stopped: later {@link update}s that name it do not bind it again. Runs in turn with updates; resolves with the
   * names of the listeners it stopped (not those stopped before).
   */
  stopListeners(selection: ListenerSelection = {}): Promise<readonly string[]> {
    return this.#stop(this.#select(selection, true));
  }

  /**
   * A graceful drain (admin `/drain_listeners?graceful`, Envoy's drain manager): for `drainTimeMs` the selected
   * listeners keep accepting while every HTTP connection they serve, existing and new, is drained according to
   * `strategy` — with `immediate`, every HTTP/1.1 response not yet started carries `Connection: close` and its
   * connection closes after it, HTTP/2 connections get GOAWAY (streams under way finish); with `gradual` each
   * response is drained this way with probability elapsed / drain time (Envoy's `drainClose()`). As in Envoy, an
   * idle keep-alive connection is not cut while the listener accepts (its next response closes it), and tcp_proxy
   * connections are left alone. Then the listeners stop as with {@link stopListeners}: idle connections close, and
   * requests in flight still complete. Listeners already draining or stopped are skipped. Resolves with the names of the
   * listeners it drained once they have stopped, or at {@link close} / {@link destroy} if that comes first.
   */
  async drainListeners(options: ListenerDrainOptions): Promise<readonly string[]> {
    const names = this.#select(options, false);
    if (names.length === 0) return names;
    const strategy = options.strategy ?? 'gradual';
    const decide = drainDecision({ strategy, drainTimeMs: options.drainTimeMs, startedMs: Date.now(), ...(options.random === undefined ? {} : { random: options.random }) });
    for (const name of names) {
      const drain: ListenerDrain = { decide, applied: new WeakSet() };
      this.#draining.set(name, drain);
      this.#applyDrain(name, drain);
    }
    this.#logger.info(`listeners ${names.join(', ')}: draining for ${options.drainTimeMs} ms (${strategy}), then stopping`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#drainWaits.delete(timer);
        resolve();
      }, options.drainTimeMs);
      this.#drainWaits.set(timer, resolve);
    });
    if (this.#closed) return names;
    // Not those removed by an update or stopped by stopListeners meanwhile.
    await this.#stop(names.filter((n) => this.#draining.has(n)));
    return names;
  }

  /** The served listeners `selection` names, without stopped ones (nor draining ones unless `draining`). */
  #select(selection: ListenerSelection, draining: boolean): string[] {
    const names: string[] = [];
    for (const [name, state] of this.#state) {
      if (this.#stopped.has(name) || (!draining && this.#draining.has(name))) continue;
      if (selection.inboundOnly === true && state.latest.trafficDirection !== 'INBOUND') continue;
      names.push(name);
    }
    return names;
  }

  #stop(names: readonly string[]): Promise<readonly string[]> {
    const fresh = names.filter((n) => !this.#stopped.has(n));
    for (const name of fresh) {
      this.#stopped.add(name);
      this.#draining.delete(name);
    }
    if (fresh.length === 0) return Promise.resolve(fresh);
    const run = this.#updating.then(async () => {
      const resources = this.#resources;
      if (resources === undefined || this.#closed) return fresh;
      try {
        await this.#update(resources);
      } catch (err) {
        // Nothing changed: the listeners still listen, so they do not count as stopped.
        for (const name of fresh) this.#stopped.delete(name);
        throw err;
      }
      return fresh;
    });
    this.#updating = run.catch(() => undefined);
    return run;
  }

  /** Drains the HTTP terminals of the listener `name` serves now that `drain` was not applied to yet. */
  #applyDrain(name: string, drain: ListenerDrain): void {
    const state = this.#state.get(name);
    const terminals = state === undefined ? undefined : this.#terminalsByListener.get(state.built);
    for (const t of terminals ?? []) {
      if (t.type !== 'http' || drain.applied.has(t)) continue;
      drain.applied.add(t);
      t.manager.drainClose(drain.decide);
    }
  }

  #endDrainWaits(): void {
    this.#closed = true;
    for (const [timer, resolve] of this.#drainWaits) {
      clearTimeout(timer);
      resolve();
    }
    this.#drainWaits.clear();
  }

  /**
   * Stops accepting, closes idle connections, sends `Connection: close` on the responses in flight and lets them
   * and tcp_proxy sessions finish, then releases the clusters and flushes the access logs.
   */
  async close(): Promise<void> {
    this.#endDrainWaits();
    await this.#updating;
    await this.listeners.close();
    await Promise.all([...this.#terminals].map((t) => (t.type === 'tcp' ? t.filter.close() : undefined)));
    this.#releaseAll();
    await this.clusters.close();
    if (this.#ownsSinks) await this.accessLogSinks.closeAll();
    else await this.accessLogSinks.flushAll();
  }

  /** Tears everything down at once. */
  async destroy(): Promise<void> {
    this.#endDrainWaits();
    for (const t of this.#terminals) {
      if (t.type === 'http') t.manager.destroy();
      else t.filter.destroy();
    }
    await this.listeners.destroy();
    this.#releaseAll();
    await this.clusters.close();
    if (this.#ownsSinks) await this.accessLogSinks.closeAll();
  }

  async #update(resources: DataPlaneResources): Promise<DataPlaneUpdateResult> {
    // 1. Build what is new, changing nothing live: a failure here leaves the data plane as it was.
    const given: Listener[] = [];
    const built: Terminal[] = [];
    const routeSwaps: { readonly terminal: Terminal & { type: 'http' }; readonly routes: CompiledRouteConfiguration }[] = [];
    const nextState = new Map<string, ListenerState>();
    const routesUpdated: string[] = [];
    const listeners = this.#stopped.size === 0 ? resources.listeners : resources.listeners.filter((l) => !this.#stopped.has(l.name));
    try {
      for (const listener of listeners) {
        const state = this.#state.get(listener.name);
        if (state !== undefined && configEqual(state.latest, listener)) {
          given.push(state.built);
          nextState.set(listener.name, state);
          continue;
        }
        const routeChanges = state === undefined ? undefined : inlineRouteChanges(state.latest, listener);
        if (state !== undefined && routeChanges !== undefined) {
          for (const change of routeChanges) {
            const chain = change.filterChain === 'default' ? state.built.defaultFilterChain : state.built.filterChains[change.filterChain];
            const terminal = chain === undefined ? undefined : this.#terminalByChain.get(chain);
            if (terminal?.type !== 'http') continue;
            const routes = await compileRouteConfiguration(change.routeConfiguration, { stripPortMode: terminal.manager.config.stripPortMode }).catch((err: unknown) => {
              throw withContext(err, `compiling the routes of listener "${listener.name}"`);
            });
            routeSwaps.push({ terminal, routes });
          }
          routesUpdated.push(listener.name);
          given.push(state.built);
          nextState.set(listener.name, { built: state.built, latest: listener });
          continue;
        }
        built.push(...(await this.#buildListener(listener)));
        given.push(listener);
        nextState.set(listener.name, { built: listener, latest: listener });
      }
    } catch (err) {
      this.#abandon(built);
      throw err;
    }

    // 2. Clusters: add and replace now, keep the removed ones until the routes no longer name them.
    const previousClusters = this.clusters.clusters.map((c) => c.config);
    const wanted = new Set(resources.clusters.map((c) => c.name));
    const leaving = previousClusters.filter((c) => !wanted.has(c.name));
    let clusterResult: ClusterUpdateResult;
    try {
      clusterResult = await this.clusters.update([...resources.clusters, ...leaving]);
    } catch (err) {
      this.#abandon(built);
      throw err;
    }

    // 3. Listeners: bind new addresses, hand sockets to the new generations, drain the replaced ones.
    let listenerResult: ListenerApplyResult;
    try {
      listenerResult = await this.listeners.apply(given);
    } catch (err) {
      this.#abandon(built);
      await this.clusters.update(previousClusters).catch((restoreErr: unknown) => {
        this.#logger.warn(`could not restore the clusters after a failed listener update: ${(restoreErr as Error).message}`);
      });
      throw err;
    }
    for (const terminal of built) this.#terminals.add(terminal);

    // 4. Route tables swapped in place; requests in flight keep the table they started with.
    for (const swap of routeSwaps) swap.terminal.manager.setRoutes(swap.routes);
    this.#state.clear();
    for (const [name, state] of nextState) this.#state.set(name, state);
    this.#resources = resources;
    // A listener rebuilt during its drain period drains too.
    for (const [name, drain] of this.#draining) {
      if (this.#state.has(name)) this.#applyDrain(name, drain);
      else this.#draining.delete(name);
    }

    // 5. Now no route names the removed clusters: release them (their pools let requests in flight finish).
    const removed = leaving.map((c) => c.name);
    if (removed.length > 0) await this.clusters.update(resources.clusters);
    const loadAssignmentsUpdated = this.#applyLoadAssignments(resources.loadAssignments ?? [], clusterResult);

    const result: DataPlaneUpdateResult = {
      listeners: listenerResult,
      routesUpdated,
      clusters: { ...clusterResult, removed: [...clusterResult.removed, ...removed] },
      loadAssignmentsUpdated,
    };
    this.#syncStats();
    this.#logUpdate(result);
    return result;
  }

  /** Tracks the live stats objects and copies their values into the store. */
  #syncStats(): void {
    const sync = this.#statsSync;
    if (sync === undefined) return;
    sync.beginRound();
    for (const cluster of this.clusters.clusters) sync.track(cluster.counters, `cluster.${cluster.statName}`, CLUSTER_STATS_LAYOUT);
    for (const listener of this.listeners.listeners) sync.track(listener.counters, `listener.${listener.statPrefix}`, LISTENER_STATS_LAYOUT);
    for (const t of this.#terminals) {
      if (t.type === 'http') sync.track(t.manager.stats, `http.${t.manager.config.statPrefix}`, HTTP_STATS_LAYOUT);
      else sync.track(t.filter.counters, `tcp.${t.filter.config.statPrefix}`, TCP_PROXY_STATS_LAYOUT);
    }
    sync.sync();
  }

  #applyLoadAssignments(assignments: readonly ClusterLoadAssignment[], clusters: ClusterUpdateResult): string[] {
    const rebuilt = new Set([...clusters.added, ...clusters.updated]);
    const updated: string[] = [];
    const seen = new Set<string>();
    for (const assignment of assignments) {
      const name = assignment.clusterName;
      seen.add(name);
      const previous = this.#assignments.get(name);
      if (previous !== undefined && !rebuilt.has(name) && configEqual(previous, assignment)) continue;
      if (this.clusters.updateLoadAssignment(name, assignment)) {
        this.#assignments.set(name, assignment);
        updated.push(name);
      }
    }
    for (const name of [...this.#assignments.keys()]) if (!seen.has(name)) this.#assignments.delete(name);
    return updated;
  }

  #logUpdate(result: DataPlaneUpdateResult): void {
    const parts: string[] = [];
    const list = (what: string, names: readonly string[]): void => {
      if (names.length > 0) parts.push(`${what} ${names.join(', ')}`);
    };
    list('listeners added:', result.listeners.added);
    list('listeners rebuilt (old connections draining):', result.listeners.updated);
    list('listeners removed (draining):', result.listeners.removed);
    list('routes swapped in place:', result.routesUpdated);
    list('clusters added:', result.clusters.added);
    list('clusters rebuilt:', result.clusters.updated);
    list('clusters removed:', result.clusters.removed);
    list('endpoints replaced:', result.loadAssignmentsUpdated);
    this.#logger.info(parts.length === 0 ? 'configuration unchanged' : parts.join('; '));
  }

  #onDrain(generation: DrainingListener): void {
    const terminals = this.#terminalsByListener.get(generation.config) ?? [];
    for (const t of terminals) {
      if (t.type === 'http') t.manager.close();
    }
    if (generation.connections.size > 0) this.#logger.debug(`listener "${generation.name}": draining ${generation.connections.size} connection(s)`);
    void generation.drained.then(() => {
      // A listener updated back to an earlier configuration object is live again: keep its terminals.
      if (this.#state.get(generation.name)?.built === generation.config) return;
      this.#terminalsByListener.delete(generation.config);
      this.#release(terminals);
      this.#logger.debug(`listener "${generation.name}": previous generation drained`);
    });
  }

  /** Releases terminals built for an update that failed, and forgets the listeners they were built for. */
  #abandon(terminals: readonly Terminal[]): void {
    const abandoned = new Set(terminals);
    for (const [listener, own] of [...this.#terminalsByListener]) if (own.some((t) => abandoned.has(t))) this.#terminalsByListener.delete(listener);
    this.#release(terminals);
  }

  #release(terminals: readonly Terminal[]): void {
    for (const t of terminals) {
      this.#terminals.delete(t);
      if (t.type === 'http') t.manager.destroy();
      else t.filter.destroy();
    }
  }

  #releaseAll(): void {
    this.#release([...this.#terminals]);
    this.#terminalsByListener.clear();
    this.#state.clear();
  }

  #clusterLookup(): ClusterLookup {
    const wrapped = new WeakMap<UpstreamCluster, ClusterWithPools>();
    return {
      get: (name) => {
        const cluster = this.clusters.get(name);
        if (cluster === undefined) return undefined;
        let ref = wrapped.get(cluster);
        if (ref === undefined) {
          ref = new ClusterWithPools(cluster);
          wrapped.set(cluster, ref);
        }
        return ref;
      },
    };
  }

  /** Builds the terminals of every filter chain of `listener`; on failure releases what it built and throws. */
  async #buildListener(listener: Listener): Promise<Terminal[]> {
    const chains = listener.defaultFilterChain === undefined ? listener.filterChains : [...listener.filterChains, listener.defaultFilterChain];
    const terminals: Terminal[] = [];
    for (const chain of chains) {
      try {
        const terminal = await this.#buildTerminal(chain);
        terminals.push(terminal);
        this.#terminalByChain.set(chain, terminal);
        this.#handlers.set(chain, handlerOf(listener, chain, terminal));
      } catch (err) {
        this.#release(terminals);
        throw withContext(err, `building listener "${listener.name}" filter chain "${chain.name}"`);
      }
    }
    this.#terminalsByListener.set(listener, terminals);
    return terminals;
  }

  async #buildTerminal(chain: FilterChain): Promise<Terminal> {
    const terminal: NetworkFilter | undefined = chain.filters[chain.filters.length - 1];
    if (terminal === undefined) throw new OrionError(LibErrorCode.FILTER_CHAIN_INVALID, 'the filter chain has no terminal filter');
    switch (terminal.type) {
      case 'httpConnectionManager': {
        const manager = await this.#connectionManager(terminal);
        return { type: 'http', manager };
      }
      case 'tcpProxy':
        return { type: 'tcp', filter: await TcpProxyFilter.create(terminal, { clusters: this.clusters, accessLogSinks: this.accessLogSinks }) };
      default:
        return assertNever(terminal, 'network filter');
    }
  }

  async #connectionManager(config: HttpConnectionManager): Promise<ConnectionManager> {
    const specifier = config.routeSpecifier;
    if (specifier.type !== 'inline') {
      throw new OrionError(LibErrorCode.ROUTE_SOURCE_UNSUPPORTED, `route configuration "${specifier.routeConfigName}" comes from RDS, which needs xDS (not wired into the data plane yet)`);
    }
    const routes = await compileRouteConfiguration(specifier.routeConfiguration, { stripPortMode: config.stripPortMode });
    const accessLoggers = await Promise.all(config.accessLogs.map((log) => createAccessLogger(log, this.accessLogSinks)));
    return new ConnectionManager({ config, routes, clusters: this.#lookup, accessLoggers, ...(this.#stats === undefined ? {} : { stats: this.#stats }) });
  }
}

function handlerOf(listener: Listener, chain: FilterChain, terminal: Terminal): ChainHandler {
  switch (terminal.type) {
    case 'http': {
      const manager = terminal.manager;
      return (socket, info) => manager.handleConnection(socket, { connectionId: info.connectionId, listenerName: listener.name, filterChainName: chain.name });
    }
    case 'tcp': {
      const filter = terminal.filter;
      return (socket, info) => filter.handle(socket, info);
    }
    default:
      return assertNever(terminal, 'terminal');
  }
}
