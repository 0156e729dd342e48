import type { Logging, StatsConfig } from '@orion/configuration';
import { OrionError } from '@orion/error';
import type { BoundAddress } from '@orion/lib';
import { applyConfigurationChanges } from '../config/apply-configuration-changes.js';
import type { ConfigurationChange } from '../config/configuration-change.js';
import { freezeDeep, type ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import { diffConfiguration, type SnapshotResources } from '../config/diff-configuration.js';
import { ProxyErrorCode } from '../error-codes.js';
import type { Logger } from '../logging/logger.js';
import type { WorkerInit } from '../worker/worker-messages.js';
import type { PortReservations } from './port-reservations.js';
import type { WorkerExit, WorkerFactory, WorkerHandle } from './worker-handle.js';

/** Options of {@link Primary.start}. */
export interface PrimaryOptions {
  /** The configuration to serve (version 1). */
  readonly snapshot: ConfigurationSnapshot;
  /** Worker count (`--concurrency`, `runtime.num_runtimes`). */
  readonly workers: number;
  /** Starts one worker (a forked process, or the primary's own process). */
  readonly spawn: WorkerFactory;
  /** Whether workers bind their own `SO_REUSEPORT` sockets. */
  readonly reusePort: boolean;
  /** Ports for port-0 listeners when workers bind their own sockets. */
  readonly reservations?: PortReservations;
  /** How workers log. */
  readonly logging: Logging;
  /** `stats_flush_interval`: how often workers merge their histograms. Default 5000. */
  readonly statsFlushIntervalMs?: number;
  /** `stats_config`, for the workers' stores. Default: every stat. */
  readonly statsConfig?: StatsConfig;
  /** The primary's logger. */
  readonly logger: Logger;
  /** Replace a worker that dies (never with one process). Default true. */
  readonly replaceWorkers?: boolean;
  /** Delay before the n-th quick successive replacement of a slot: `min(maxMs, baseMs · 2^(n−1))`, the first at once. Defaults 100 and 10000. */
  readonly replacementBackoff?: { readonly baseMs: number; readonly maxMs: number };
}

/** What {@link Primary.reload} did. */
export type ReloadOutcome =
  | { readonly type: 'unchanged'; readonly version: number }
  | { readonly type: 'applied'; readonly version: number; readonly changes: readonly ConfigurationChange[]; readonly workers: number };

/** Counters of the primary. */
export interface PrimaryStats {
  /** Workers that died and were replaced (replacements started). */
  readonly workersReplaced: number;
  /** Configuration change sets applied after startup. */
  readonly reloadsApplied: number;
  /** Change sets refused by a worker and rolled back. */
  readonly reloadsFailed: number;
}

/** A worker that lives at least this long before dying is not counted as crashing in a loop. */
const STABLE_AFTER_MS = 10_000;

type State = 'starting' | 'running' | 'draining' | 'stopped';

/**
 * The primary process's side of the runtime: starts one worker per slot with the current configuration snapshot,
 * sends every worker the change sets of a reload (restoring the previous snapshot everywhere when a worker refuses
 * one), replaces a worker that dies with one built from the current snapshot (the listener stays up on the others
 * meanwhile), and drains or stops them all at shutdown.
 */
export class Primary {
  readonly #options: PrimaryOptions;
  readonly #logger: Logger;
  readonly #slots = new Map<number, WorkerHandle>();
  readonly #startedAt = new Map<WorkerHandle, number>();
  readonly #quickDeaths = new Map<number, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #current: ConfigurationSnapshot;
  /** What a worker started now must serve: {@link #current}, or the snapshot being applied. */
  #target: ConfigurationSnapshot;
  #state: State = 'starting';
  /** Workers that ended while the others were still starting, replaced once startup has succeeded. */
  readonly #endedWhileStarting: { readonly handle: WorkerHandle; readonly exit: WorkerExit }[] = [];
  #reloads: Promise<unknown> = Promise.resolve();
  #addresses: readonly (readonly [string, BoundAddress])[] = [];
  #stats = { workersReplaced: 0, reloadsApplied: 0, reloadsFailed: 0 };

  private constructor(options: PrimaryOptions, snapshot: ConfigurationSnapshot) {
    this.#options = options;
    this.#logger = options.logger;
    this.#current = snapshot;
    this.#target = snapshot;
  }

  /**
   * Starts every worker and resolves once all serve. If one cannot start, the others are stopped and the promise
   * rejects with its `ORION_ERR_PROXY_WORKER_START`.
   */
  static async start(options: PrimaryOptions): Promise<Primary> {
    let snapshot = freezeDeep(options.snapshot);
    if (options.reservations !== undefined) snapshot = freezeDeep({ ...snapshot, listeners: await options.reservations.resolve(snapshot.listeners) });
    const primary = new Primary(options, snapshot);
    const handles: WorkerHandle[] = [];
    for (let id = 1; id <= options.workers; id++) handles.push(primary.#spawn(id));
    const started = await Promise.allSettled(handles.map((h) => h.ready));
    await options.reservations?.release();
    const failure = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure !== undefined) {
      await primary.destroy();
      throw OrionError.from(failure.reason, ProxyErrorCode.WORKER_START);
    }
    const first = started[0];
    primary.#addresses = first?.status === 'fulfilled' ? first.value.addresses : [];
    primary.#state = 'running';
    for (const { handle, exit } of primary.#endedWhileStarting.splice(0)) primary.#onExit(handle, exit);
    return primary;
  }

  /** Where each listener is bound, by name, as the workers reported at startup. */
  addresses(): ReadonlyMap<string, BoundAddress> {
    return new Map(this.#addresses);
  }

  /** The configuration every worker serves. */
  get snapshot(): ConfigurationSnapshot {
    return this.#current;
  }

  /** The workers, by slot. */
  get workers(): ReadonlyMap<number, WorkerHandle> {
    return this.#slots;
  }

  /** Counters since startup. */
  get stats(): PrimaryStats {
    return { ...this.#stats };
  }

  /**
   * Applies a new configuration to every worker: the difference from the running one is sent as change events,
   * and only once every worker has applied them is it the running configuration. If a worker refuses (a port it
   * cannot bind, a route table it cannot build), every worker is moved back to the running configuration and the
   * promise rejects with `ORION_ERR_PROXY_CONFIG_APPLY`. Reloads run one at a time.
   */
  reload(next: SnapshotResources): Promise<ReloadOutcome> {
    const run = this.#reloads.then(() => this.#reload(next));
    this.#reloads = run.catch(() => undefined);
    return run;
  }

  /**
   * Drains every worker (listeners closed, idle connections closed, in-flight requests finished, access logs
   * flushed) and resolves once all have ended; after `timeoutMs` the remaining ones are stopped at once.
   * Resolves `drained` or `timedOut`.
   */
  async drain(timeoutMs: number): Promise<'drained' | 'timedOut'> {
    this.#stopReplacing('draining');
    const handles = [...this.#slots.values()];
    for (const h of handles) h.drain();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timedOut'>((resolve) => {
      timer = setTimeout(() => resolve('timedOut'), timeoutMs);
      timer.unref();
    });
    const outcome = await Promise.race([Promise.all(handles.map((h) => h.exited)).then(() => 'drained' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timedOut') await this.destroy();
    this.#state = 'stopped';
    return outcome;
  }

  /** Stops every worker at once and resolves when they have ended. */
  async destroy(): Promise<void> {
    this.#stopReplacing('stopped');
    const handles = [...this.#slots.values()];
    for (const h of handles) h.destroy();
    await Promise.all(handles.map((h) => h.exited));
  }

  /** Asks every worker to reopen its log files (SIGUSR1). */
  reopenLogs(): void {
    for (const h of this.#slots.values()) h.reopenLogs();
  }

  #stopReplacing(state: State): void {
    if (this.#state === 'running' || this.#state === 'starting') this.#state = state;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  async #reload(given: SnapshotResources): Promise<ReloadOutcome> {
    if (this.#state !== 'running') throw new OrionError(ProxyErrorCode.RELOAD_REFUSED, 'the proxy is shutting down');
    const reservations = this.#options.reservations;
    const next = reservations === undefined ? given : { ...given, listeners: await reservations.resolve(given.listeners) };
    const previous = this.#current;
    const changes = diffConfiguration(previous, next);
    if (changes.length === 0) return { type: 'unchanged', version: previous.version };
    const version = previous.version + 1;
    const target = applyConfigurationChanges(previous, changes, version);
    this.#target = target;
    const handles = [...this.#slots.values()];
    const results = await Promise.all(
      handles.map(async (h) => {
        try {
          await h.ready;
          await h.apply(version, changes);
          return undefined;
        } catch (err) {
          // A worker that died or never started is replaced with the target snapshot: not a refusal.
          return OrionError.is(err, ProxyErrorCode.CONFIG_APPLY) ? err : undefined;
        }
      }),
    );
    await reservations?.release();
    const refusals = results.filter((r): r is OrionError => r !== undefined);
    if (refusals.length === 0) {
      this.#current = target;
      this.#stats.reloadsApplied++;
      return { type: 'applied', version, changes, workers: handles.length };
    }
    this.#stats.reloadsFailed++;
    this.#target = previous;
    await Promise.all(
      [...this.#slots.values()].map(async (h) => {
        try {
          await h.ready;
          await h.resync(previous);
        } catch (err) {
          if (OrionError.is(err, ProxyErrorCode.CONFIG_APPLY)) this.#logger.error(`worker ${h.id} could not return to configuration version ${previous.version}: ${err.message}`);
        }
      }),
    );
    const first = refusals[0] as OrionError;
    throw new OrionError(ProxyErrorCode.CONFIG_APPLY, first.message, { cause: first, details: { refusals: refusals.map((r) => r.message) } });
  }

  #init(id: number): WorkerInit {
    return {
      workerId: id,
      workers: this.#options.workers,
      reusePort: this.#options.reusePort,
      snapshot: this.#target,
      logging: this.#options.logging,
      ...(this.#options.statsFlushIntervalMs === undefined ? {} : { statsFlushIntervalMs: this.#options.statsFlushIntervalMs }),
      ...(this.#options.statsConfig === undefined ? {} : { statsConfig: this.#options.statsConfig }),
    };
  }

  #spawn(id: number): WorkerHandle {
    const handle = this.#options.spawn(this.#init(id));
    this.#slots.set(id, handle);
    this.#startedAt.set(handle, Date.now());
    void handle.exited.then((exit) => this.#onExit(handle, exit));
    return handle;
  }

  #onExit(handle: WorkerHandle, exit: WorkerExit): void {
    if (this.#state === 'starting') {
      this.#endedWhileStarting.push({ handle, exit });
      return;
    }
    const startedAt = this.#startedAt.get(handle) ?? Date.now();
    this.#startedAt.delete(handle);
    if (this.#state !== 'running' || this.#slots.get(handle.id) !== handle || this.#options.replaceWorkers === false) return;
    const how = exit.signal === null ? `exit code ${String(exit.code)}` : `signal ${exit.signal}`;
    const quick = Date.now() - startedAt < STABLE_AFTER_MS ? (this.#quickDeaths.get(handle.id) ?? 0) + 1 : 0;
    this.#quickDeaths.set(handle.id, quick);
    const backoff = this.#options.replacementBackoff ?? { baseMs: 100, maxMs: 10_000 };
    const delayMs = quick <= 1 ? 0 : Math.min(backoff.maxMs, backoff.baseMs * 2 ** (quick - 2));
    this.#stats.workersReplaced++;
    this.#logger.warn(
      `worker ${handle.id} (pid ${handle.pid}) exited (${how}); starting a replacement${delayMs > 0 ? ` in ${delayMs} ms` : ''} (${this.#stats.workersReplaced} replaced so far)`,
      { worker: handle.id },
    );
    const replace = (): void => {
      if (this.#state !== 'running') return;
      const replacement = this.#spawn(handle.id);
      replacement.ready.then(
        () => this.#logger.info(`worker ${handle.id} replaced: pid ${replacement.pid} serves configuration version ${this.#target.version}`, { worker: handle.id, pid: replacement.pid }),
        (err: unknown) => this.#logger.error(`the replacement of worker ${handle.id} could not start: ${(err as Error).message}`, { worker: handle.id }),
      );
    };
    if (delayMs === 0) {
      replace();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      replace();
    }, delayMs);
    this.#timers.add(timer);
  }
}
