import { OrionError, printError } from '@orion/error';
import { DataPlane, type BoundAddress, type DataPlaneResources, type DnsResolver } from '@orion/lib';
import { createStatsStore, DEFAULT_STATS_FLUSH_INTERVAL_MS, type Gauge, type StatsStore } from '@orion/metrics';
import { applyConfigurationChanges } from '../config/apply-configuration-changes.js';
import type { ConfigurationChange } from '../config/configuration-change.js';
import { freezeDeep, type ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import { ProxyErrorCode } from '../error-codes.js';
import { statsStoreOptions } from '../stats/stats-config.js';
import type { Logger } from '../logging/logger.js';
import type { DrainListenersRequest, WorkerInit, WorkerStats } from './worker-messages.js';

/** Options of {@link WorkerRuntime.start}. */
export interface WorkerRuntimeOptions {
  /** The worker's logger; the data plane gets its `dataplane` child. */
  readonly logger: Logger;
  /** DNS resolver for STRICT_DNS / LOGICAL_DNS clusters (tests). Default: the system resolver. */
  readonly resolver?: DnsResolver;
  /**
   * Report this process's memory as `server.memory_allocated`, `memory_heap_size` and `memory_physical_size`
   * (accumulated over the processes by the primary). True in a worker process; false in the primary's own process,
   * whose memory the primary reports itself. Default false.
   */
  readonly reportProcessMemory?: boolean;
}

/** The gauges a worker process reports its memory in (summed with the primary's). */
interface MemoryGauges {
  readonly allocated: Gauge;
  readonly heapSize: Gauge;
  readonly physicalSize: Gauge;
}

function resourcesOf(snapshot: ConfigurationSnapshot): DataPlaneResources {
  return { listeners: snapshot.listeners, clusters: snapshot.clusters, loadAssignments: snapshot.endpoints };
}

/**
 * What runs in a worker: the data plane and the configuration snapshot it serves. Change sets from the primary are
 * applied to the snapshot, giving the next one, which the data plane is moved to; only once that succeeded is the
 * next snapshot swapped in. The same class serves in the primary's own process with `--concurrency 1`.
 */
export class WorkerRuntime {
  readonly workerId: number;
  readonly #plane: DataPlane;
  readonly #logger: Logger;
  readonly #store: StatsStore;
  readonly #mergeTimer: NodeJS.Timeout;
  readonly #memory: MemoryGauges | undefined;
  #snapshot: ConfigurationSnapshot;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(workerId: number, plane: DataPlane, snapshot: ConfigurationSnapshot, logger: Logger, store: StatsStore, flushIntervalMs: number, reportMemory: boolean) {
    this.workerId = workerId;
    this.#memory = reportMemory
      ? {
          allocated: store.gauge('server.memory_allocated', 'accumulate'),
          heapSize: store.gauge('server.memory_heap_size', 'accumulate'),
          physicalSize: store.gauge('server.memory_physical_size', 'accumulate'),
        }
      : undefined;
    this.#plane = plane;
    this.#snapshot = snapshot;
    this.#logger = logger;
    this.#store = store;
    // Envoy merges histograms on every stats flush; between two merges `/stats` shows the previous interval.
    this.#mergeTimer = setInterval(() => store.mergeHistograms(), flushIntervalMs);
    this.#mergeTimer.unref();
  }

  /** Builds the data plane for `init.snapshot` and binds its listeners; rejects with `ORION_ERR_PROXY_WORKER_START`. */
  static async start(init: WorkerInit, options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
    const snapshot = freezeDeep(init.snapshot);
    const store = createStatsStore(statsStoreOptions(init.statsConfig));
    try {
      const plane = await DataPlane.start({
        resources: resourcesOf(snapshot),
        workers: init.workers,
        reusePort: init.reusePort,
        logger: options.logger.child('dataplane'),
        // `stats_matcher: { reject_all: true }`: no store at all, so the data plane records nothing (Envoy's way to
        // switch stats off; bench/http measures the cost of stats against it).
        ...(store.rejectsAll ? {} : { stats: store }),
        ...(options.resolver === undefined ? {} : { resolver: options.resolver }),
      });
      return new WorkerRuntime(init.workerId, plane, snapshot, options.logger, store, init.statsFlushIntervalMs ?? DEFAULT_STATS_FLUSH_INTERVAL_MS, options.reportProcessMemory === true);
    } catch (err) {
      throw new OrionError(ProxyErrorCode.WORKER_START, `worker ${init.workerId} could not start: ${printError(err, { codes: false })}`, { cause: err });
    }
  }

  /** The snapshot being served. */
  get snapshot(): ConfigurationSnapshot {
    return this.#snapshot;
  }

  /** Where each listener is bound, by name. */
  addresses(): [string, BoundAddress][] {
    return [...this.#plane.addresses()];
  }

  /**
   * Applies a change set, which makes snapshot `version`. On failure the data plane and snapshot stay as they were
   * and the promise rejects with `ORION_ERR_PROXY_CONFIG_APPLY`.
   */
  apply(version: number, changes: readonly ConfigurationChange[]): Promise<void> {
    return this.#serialised(async () => {
      const next = applyConfigurationChanges(this.#snapshot, changes, version);
      await this.#moveTo(next);
    });
  }

  /** Moves to a whole snapshot (a restored configuration after a failed change set). */
  resync(snapshot: ConfigurationSnapshot): Promise<void> {
    return this.#serialised(() => this.#moveTo(freezeDeep(snapshot)));
  }

  /** This worker's stats (lib's counters synced into its store) and its clusters, for the primary's admin API. */
  stats(): WorkerStats {
    const memory = this.#memory;
    if (memory !== undefined) {
      const m = process.memoryUsage();
      memory.allocated.set(m.heapUsed + m.external);
      memory.heapSize.set(m.heapTotal);
      memory.physicalSize.set(m.rss);
    }
    return { snapshot: this.#plane.statsSnapshot(), clusters: this.#plane.clusterStatuses() };
  }

  /** `/reset_counters`: every counter of this worker back to 0. */
  resetCounters(): void {
    // Sync first: lib's plain counters are copied in as deltas, so what they counted before the reset stays out.
    this.#plane.statsSnapshot();
    this.#store.resetCounters();
  }

  /**
   * `/drain_listeners`: without `graceful`, the listeners (all, or the `INBOUND` ones) stop listening at once and
   * drain their connections as removed listeners do (`DataPlane.stopListeners`); with `graceful` they keep accepting
   * for the drain period while their HTTP connections are drained by `strategy`, then stop
   * (`DataPlane.drainListeners`). Stopped listeners stay stopped across configuration changes.
   */
  drainListeners(request: DrainListenersRequest): void {
    const selection = { inboundOnly: request.inboundOnly };
    const run = request.graceful
      ? this.#plane.drainListeners({ ...selection, drainTimeMs: request.drainMs, strategy: request.strategy })
      : this.#plane.stopListeners(selection);
    void run.then(
      (names) => this.#logger.info(`drain_listeners: ${names.length === 0 ? 'no listener to stop' : `stopped ${names.join(', ')}`}`),
      (err: unknown) => this.#logger.error(`drain_listeners: ${printError(err, { codes: false })}`),
    );
  }

  /** Drains: stops accepting, lets in-flight requests finish, flushes the access logs. */
  async close(): Promise<void> {
    this.#stopTimers();
    await this.#queue;
    await this.#plane.close();
  }

  /** Closes every connection at once. */
  destroy(): Promise<void> {
    this.#stopTimers();
    return this.#plane.destroy();
  }

  #stopTimers(): void {
    clearInterval(this.#mergeTimer);
  }

  /** Reopens the access-log files (SIGUSR1). */
  reopenLogs(): Promise<void> {
    return this.#plane.accessLogSinks.reopenAll();
  }

  async #moveTo(next: ConfigurationSnapshot): Promise<void> {
    try {
      await this.#plane.update(resourcesOf(next));
    } catch (err) {
      throw new OrionError(ProxyErrorCode.CONFIG_APPLY, `worker ${this.workerId} could not apply configuration version ${next.version}: ${printError(err, { codes: false })}`, {
        cause: err,
      });
    }
    this.#snapshot = next;
    this.#logger.debug(`serving configuration version ${next.version}`);
  }

  #serialised(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
