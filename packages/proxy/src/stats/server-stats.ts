import type { StatsConfig } from '@orion/configuration';
import { createStatsStore, type Counter, type Gauge, type Histogram, type StatsStore } from '@orion/metrics';
import type { ConfigurationChange } from '../config/configuration-change.js';
import type { ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import { statsStoreOptions } from './stats-config.js';

/** Envoy's `envoy.admin.v3.ServerInfo.State`, as `server.state` holds it. */
export const ServerState = { LIVE: 0, DRAINING: 1, PRE_INITIALIZING: 2, INITIALIZING: 3 } as const;

/** A {@link ServerState} name. */
export type ServerStateName = keyof typeof ServerState;

/** What {@link ServerStats.refresh} reads: the process's condition right now. */
export interface ServerCondition {
  readonly state: ServerStateName;
  /** Started and not shutting down (`/healthcheck/fail` leaves it 1, as in Envoy). */
  readonly live: boolean;
  readonly workersStarted: boolean;
  /** Seconds since the primary started. */
  readonly uptimeS: number;
  /** Downstream connections open in every worker (`listener.*.downstream_cx_active` summed). */
  readonly totalConnections: number;
  /** Listeners serving now (not drained). */
  readonly activeListeners: number;
}


/**
 * The primary's own store: `server.*`, `listener_manager.*` and `cluster_manager.*` with Envoy's names and gauge
 * import modes (`NeverImport` gauges come from the primary alone when the workers' snapshots are aggregated).
 */
export class ServerStats {
  readonly store: StatsStore;
  readonly #live: Gauge;
  readonly #state: Gauge;
  readonly #uptime: Gauge;
  readonly #memoryAllocated: Gauge;
  readonly #memoryHeapSize: Gauge;
  readonly #memoryPhysicalSize: Gauge;
  readonly #totalConnections: Gauge;
  readonly #workersStarted: Gauge;
  readonly #listenersActive: Gauge;
  readonly #activeClusters: Gauge;
  readonly #listenerAdded: Counter;
  readonly #listenerModified: Counter;
  readonly #listenerRemoved: Counter;
  readonly #listenerStopped: Counter;
  readonly #listenerInPlaceUpdated: Counter;
  readonly #listenerCreateSuccess: Counter;
  readonly #clusterAdded: Counter;
  readonly #clusterModified: Counter;
  readonly #clusterRemoved: Counter;
  readonly #clusterUpdated: Counter;
  readonly #initializationTime: Histogram;

  /** `statsConfig` (`stats_matcher`, `histogram_bucket_settings`) applies here as in the workers: Envoy matches every stat. */
  constructor(options: { readonly concurrency: number; readonly version?: number; readonly statsConfig?: StatsConfig }) {
    const store = createStatsStore({ origin: 'primary', ...statsStoreOptions(options.statsConfig) });
    this.store = store;
    const server = store.scope('server');
    server.gauge('concurrency', 'neverImport').set(options.concurrency);
    // Envoy: `daysUntilFirstCertExpires().value_or(0)`; no certificate is loaded (the data plane has no TLS yet).
    server.gauge('days_until_first_cert_expiring', 'neverImport').set(0);
    server.gauge('seconds_until_first_ocsp_response_expiring', 'neverImport');
    server.gauge('stats_recent_lookups', 'neverImport').set(0);
    server.gauge('hot_restart_epoch', 'neverImport').set(0);
    server.gauge('version', 'neverImport').set(options.version ?? 0);
    server.gauge('parent_connections', 'accumulate');
    for (const name of ['debug_assertion_failures', 'envoy_bug_failures', 'dynamic_unknown_fields', 'static_unknown_fields', 'wip_protos', 'dropped_stat_flushes']) server.counter(name);
    this.#live = server.gauge('live', 'neverImport');
    this.#state = server.gauge('state', 'neverImport');
    this.#uptime = server.gauge('uptime', 'accumulate');
    this.#memoryAllocated = server.gauge('memory_allocated', 'accumulate');
    this.#memoryHeapSize = server.gauge('memory_heap_size', 'accumulate');
    this.#memoryPhysicalSize = server.gauge('memory_physical_size', 'accumulate');
    this.#totalConnections = server.gauge('total_connections', 'accumulate');
    this.#initializationTime = server.histogram('initialization_time_ms');

    const lm = store.scope('listener_manager');
    this.#workersStarted = lm.gauge('workers_started', 'neverImport');
    this.#listenersActive = lm.gauge('total_listeners_active', 'neverImport');
    lm.gauge('total_listeners_draining', 'neverImport');
    lm.gauge('total_listeners_warming', 'neverImport');
    lm.gauge('total_filter_chains_draining', 'neverImport');
    this.#listenerAdded = lm.counter('listener_added');
    this.#listenerModified = lm.counter('listener_modified');
    this.#listenerRemoved = lm.counter('listener_removed');
    this.#listenerStopped = lm.counter('listener_stopped');
    this.#listenerInPlaceUpdated = lm.counter('listener_in_place_updated');
    this.#listenerCreateSuccess = lm.counter('listener_create_success');
    lm.counter('listener_create_failure');

    const cm = store.scope('cluster_manager');
    this.#activeClusters = cm.gauge('active_clusters', 'neverImport');
    cm.gauge('warming_clusters', 'neverImport');
    this.#clusterAdded = cm.counter('cluster_added');
    this.#clusterModified = cm.counter('cluster_modified');
    this.#clusterRemoved = cm.counter('cluster_removed');
    this.#clusterUpdated = cm.counter('cluster_updated');
    cm.counter('cluster_updated_via_merge');
    cm.counter('update_merge_cancelled');
    cm.counter('update_out_of_merge_window');
    this.refresh({ state: 'INITIALIZING', live: false, workersStarted: false, uptimeS: 0, totalConnections: 0, activeListeners: 0 });
  }

  /**
   * The static resources served at startup: each listener and cluster counts as added, as in Envoy, and
   * `server.initialization_time_ms` records how long the process took to serve (`initializationMs`).
   */
  started(snapshot: ConfigurationSnapshot, workers: number, initializationMs: number): void {
    this.#initializationTime.record(initializationMs);
    this.store.mergeHistograms();
    this.#listenerAdded.add(snapshot.listeners.length);
    this.#listenerCreateSuccess.add(snapshot.listeners.length * workers);
    this.#clusterAdded.add(snapshot.clusters.length);
    this.#activeClusters.set(snapshot.clusters.length);
  }

  /** A change set every worker applied (a reload). */
  applied(changes: readonly ConfigurationChange[], next: ConfigurationSnapshot, workers: number): void {
    for (const change of changes) {
      if (change.type === 'listener') {
        if (change.kind === 'added') this.#listenerAdded.inc();
        else if (change.kind === 'updated') this.#listenerModified.inc();
        else this.#listenerRemoved.inc();
        if (change.kind !== 'removed') this.#listenerCreateSuccess.add(workers);
      } else if (change.type === 'route') this.#listenerInPlaceUpdated.inc();
      else if (change.type === 'cluster') {
        if (change.kind === 'added') this.#clusterAdded.inc();
        else if (change.kind === 'updated') this.#clusterModified.inc();
        else this.#clusterRemoved.inc();
      } else if (change.type === 'endpoint') this.#clusterUpdated.inc();
    }
    this.#activeClusters.set(next.clusters.length);
  }

  /** Listeners stopped by `/drain_listeners`. */
  stopped(listeners: number): void {
    this.#listenerStopped.add(listeners);
  }

  /** Sets the gauges that follow the process's condition (called before every read and flush). */
  refresh(condition: ServerCondition): void {
    this.#state.set(ServerState[condition.state]);
    this.#live.set(condition.live ? 1 : 0);
    this.#uptime.set(Math.floor(condition.uptimeS));
    const memory = process.memoryUsage();
    this.#memoryAllocated.set(memory.heapUsed + memory.external);
    this.#memoryHeapSize.set(memory.heapTotal);
    this.#memoryPhysicalSize.set(memory.rss);
    this.#totalConnections.set(condition.totalConnections);
    this.#workersStarted.set(condition.workersStarted ? 1 : 0);
    this.#listenersActive.set(condition.activeListeners);
  }
}
