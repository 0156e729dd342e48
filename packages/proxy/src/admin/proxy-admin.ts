import type { Bootstrap, CliOptions } from '@orion/configuration';
import type { BoundAddress } from '@orion/lib';
import { defaultTagProducer, type StatsSnapshot, type TagProducer } from '@orion/metrics';
import type { ConfigurationChange } from '../config/configuration-change.js';
import type { ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import type { Logger } from '../logging/logger.js';
import type { Primary } from '../primary/primary.js';
import type { WorkerHandle } from '../primary/worker-handle.js';
import { ServerStats, type ServerStateName } from '../stats/server-stats.js';
import { StatsAggregator, type AggregatedStats } from '../stats/stats-aggregator.js';
import type { DrainListenersRequest, LogLevelChange } from '../worker/worker-messages.js';
import type { AdminContext, ConfigurationTimes } from './admin-context.js';

/** Options of {@link ProxyAdmin}. */
export interface ProxyAdminOptions {
  readonly options: CliOptions;
  readonly bootstrap: Bootstrap;
  /** The primary's logger (`/logging` lists and sets its levels). */
  readonly logger: Logger;
  /** Worker count (`server.concurrency`). */
  readonly workers: number;
  /** `/quitquitquit`: shut down as on SIGTERM. */
  readonly quit: () => void;
  /** `/reopen_logs`: as on SIGUSR1. */
  readonly reopenLogs: () => void;
  /** How long to wait for a worker's stats. Default 1000 ms. */
  readonly statsTimeoutMs?: number;
  /** `stats_flush_interval`: the primary merges its own histograms this often, as the workers do. Default 5000. */
  readonly flushIntervalMs?: number;
  /** The tag producer of the bootstrap's `stats_config` (`statsTagProducer`). Default: Envoy's default tags. */
  readonly tagProducer?: TagProducer;
}

const NO_WORKERS: ReadonlyMap<number, WorkerHandle> = new Map();

function totalConnections(workers: readonly StatsSnapshot[]): number {
  let total = 0;
  for (const s of workers) for (const g of s.gauges) if (g.name.startsWith('listener.') && g.name.endsWith('.downstream_cx_active')) total += g.value;
  return total;
}

/**
 * The primary's side of the admin API: its state (`INITIALIZING` until the workers serve, then `LIVE`, `DRAINING`
 * after `/healthcheck/fail` or once shutting down), its own stats (`server.*`, `listener_manager.*`,
 * `cluster_manager.*`), the workers' stats aggregated on request, and the commands relayed to every worker.
 */
export class ProxyAdmin implements AdminContext {
  readonly options: CliOptions;
  readonly logger: Logger;
  readonly serverStats: ServerStats;
  readonly tagProducer: TagProducer;
  readonly #aggregator: StatsAggregator;
  readonly #startedMs = Date.now();
  readonly #quit: () => void;
  readonly #reopenLogs: () => void;
  readonly #drained = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #updatedMs = new Map<string, number>();
  readonly #workerCount: number;
  readonly #mergeTimer: NodeJS.Timeout;
  #bootstrap: Bootstrap;
  #bootstrapLoadedMs = Date.now();
  #primary: Primary | undefined;
  #healthcheckFailed = false;
  /** A graceful `/drain_listeners` has started (Envoy: the drain manager is draining, which it stays). */
  #gracefulDrain = false;
  readonly #syncs: (() => void)[] = [];
  #shuttingDown = false;

  constructor(options: ProxyAdminOptions) {
    this.options = options.options;
    this.logger = options.logger;
    this.#bootstrap = options.bootstrap;
    this.#quit = options.quit;
    this.#reopenLogs = options.reopenLogs;
    this.#workerCount = options.workers;
    this.serverStats = new ServerStats({ concurrency: options.workers, statsConfig: options.bootstrap.statsConfig });
    this.tagProducer = options.tagProducer ?? defaultTagProducer();
    this.#aggregator = new StatsAggregator({
      workers: () => this.#primary?.workers ?? NO_WORKERS,
      primary: () => this.serverStats.store.snapshot(),
      logger: options.logger,
      ...(options.statsTimeoutMs === undefined ? {} : { timeoutMs: options.statsTimeoutMs }),
    });
    const store = this.serverStats.store;
    this.#mergeTimer = setInterval(() => store.mergeHistograms(), options.flushIntervalMs ?? 5_000);
    this.#mergeTimer.unref();
  }

  /** Stops the primary's histogram merges and pending drain timers (at exit). */
  close(): void {
    clearInterval(this.#mergeTimer);
    this.shuttingDown();
  }

  /** Adds a source of the primary's own stats, synced before every read (the admin listener's `http.admin.*`). */
  addStatsSync(sync: () => void): void {
    this.#syncs.push(sync);
  }

  /** The workers serve: the state becomes LIVE. */
  attach(primary: Primary): void {
    this.#primary = primary;
    this.serverStats.started(primary.snapshot, this.#workerCount, Date.now() - this.#startedMs);
  }

  /** A reload every worker applied (`next` is the running configuration now). */
  applied(changes: readonly ConfigurationChange[], next: ConfigurationSnapshot, bootstrap: Bootstrap): void {
    const now = Date.now();
    this.#bootstrap = bootstrap;
    this.#bootstrapLoadedMs = now;
    for (const c of changes) {
      if (c.type === 'listener') this.#updatedMs.set(`listener/${c.kind === 'removed' ? c.name : c.listener.name}`, now);
      else if (c.type === 'route') this.#updatedMs.set(`listener/${c.listener}`, now);
      else if (c.type === 'cluster') this.#updatedMs.set(`cluster/${c.kind === 'removed' ? c.name : c.cluster.name}`, now);
      else if (c.type === 'endpoint') this.#updatedMs.set(`endpoint/${c.kind === 'removed' ? c.clusterName : c.loadAssignment.clusterName}`, now);
      else this.#updatedMs.set(`secret/${c.kind === 'removed' ? c.name : c.secret.name}`, now);
    }
    this.serverStats.applied(changes, next, this.#workerCount);
  }

  /** SIGTERM, SIGINT or `/quitquitquit`: the state becomes DRAINING. */
  shuttingDown(): void {
    this.#shuttingDown = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  bootstrap(): Bootstrap {
    return this.#bootstrap;
  }

  snapshot(): ConfigurationSnapshot {
    return this.#primary?.snapshot ?? { version: 0, listeners: [], clusters: [], endpoints: [], secrets: [] };
  }

  times(): ConfigurationTimes {
    return { bootstrapLoadedMs: this.#bootstrapLoadedMs, startedMs: this.#startedMs, updatedMs: this.#updatedMs };
  }

  state(): ServerStateName {
    if (this.#primary === undefined) return 'INITIALIZING';
    return this.#healthcheckFailed || this.#shuttingDown ? 'DRAINING' : 'LIVE';
  }

  uptimeS(): number {
    return (Date.now() - this.#startedMs) / 1000;
  }

  listeners(): readonly (readonly [string, BoundAddress])[] {
    const primary = this.#primary;
    if (primary === undefined) return [];
    const current = new Set(primary.snapshot.listeners.map((l) => l.name));
    return [...primary.addresses()].filter(([name]) => current.has(name) && !this.#drained.has(name));
  }

  stats(): Promise<AggregatedStats> {
    return this.#aggregator.collect((workers) => {
      for (const sync of this.#syncs) sync();
      this.serverStats.refresh({
        state: this.state(),
        live: this.#primary !== undefined && !this.#shuttingDown,
        workersStarted: this.#primary !== undefined,
        uptimeS: this.uptimeS(),
        totalConnections: totalConnections(workers),
        activeListeners: this.listeners().length,
      });
    });
  }

  failHealthcheck(fail: boolean): void {
    this.#healthcheckFailed = fail;
    this.logger.info(fail ? 'admin: health checks now fail (DRAINING)' : 'admin: health checks pass again');
  }

  quit(): void {
    // After the answer has been written.
    setImmediate(this.#quit);
  }

  resetCounters(): void {
    this.serverStats.store.resetCounters();
    this.#aggregator.resetCounters();
    for (const h of this.#primary?.workers.values() ?? []) h.resetCounters();
  }

  reopenLogs(): void {
    this.#reopenLogs();
  }

  /**
   * `/drain_listeners`: relayed to every worker, with `--drain-time-s` and `--drain-strategy`. As Envoy's
   * `handlerDrainListeners`, a graceful request once a graceful drain has started is ignored, and neither form
   * changes `server.state` (Envoy's state follows only the health-check failure).
   */
  drainListeners(request: Omit<DrainListenersRequest, 'drainMs' | 'strategy'>): void {
    const primary = this.#primary;
    if (primary === undefined) return;
    if (request.graceful && this.#gracefulDrain) return;
    const drainMs = this.options.drainTimeS * 1000;
    for (const h of primary.workers.values()) h.drainListeners({ ...request, drainMs, strategy: this.options.drainStrategy });
    const names = primary.snapshot.listeners.filter((l) => !request.inboundOnly || l.trafficDirection === 'INBOUND').map((l) => l.name);
    const stop = (): void => {
      const fresh = names.filter((n) => !this.#drained.has(n));
      for (const n of fresh) this.#drained.add(n);
      this.serverStats.stopped(fresh.length);
    };
    if (!request.graceful) {
      stop();
      return;
    }
    this.#gracefulDrain = true;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      stop();
    }, drainMs);
    timer.unref();
    this.#timers.add(timer);
  }

  setLogLevels(change: LogLevelChange): void {
    this.logger.setLevels(change);
    for (const h of this.#primary?.workers.values() ?? []) h.setLogLevels(change);
  }
}
