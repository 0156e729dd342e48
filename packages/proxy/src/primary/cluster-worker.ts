import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import { OrionError, printError } from '@orion/error';
import { parseStatsSnapshot } from '@orion/metrics';
import type { ConfigurationChange } from '../config/configuration-change.js';
import type { ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import { ProxyErrorCode } from '../error-codes.js';
import type { Logger } from '../logging/logger.js';
import {
  isWorkerMessage,
  type DrainListenersRequest,
  type LogLevelChange,
  type PrimaryMessage,
  type WorkerInit,
  type WorkerMessage,
  type WorkerStats,
} from '../worker/worker-messages.js';
import { WORKER_ID_ENV } from '../worker/worker-process.js';
import { pinProcess } from './taskset.js';
import type { WorkerExit, WorkerFactory, WorkerHandle, WorkerReady } from './worker-handle.js';

/** How long a worker told to stop at once may take before it is killed. */
const DESTROY_GRACE_MS = 1_000;

/** Options of {@link clusterWorkers}. */
export interface ClusterWorkersOptions {
  /** The worker entry (`dist/worker.js`). */
  readonly entry: string;
  /** The primary's logger. */
  readonly logger: Logger;
  /** Cores per worker slot (index 0 is slot 1); undefined entries are not pinned. */
  readonly cores?: readonly (readonly number[] | undefined)[];
  /** The `taskset` executable, when pinning. */
  readonly taskset?: string;
}

class ClusterWorkerHandle implements WorkerHandle {
  readonly id: number;
  readonly pid: number;
  readonly ready: Promise<WorkerReady>;
  readonly exited: Promise<WorkerExit>;
  readonly #worker: Worker;
  readonly #logger: Logger;
  readonly #pending = new Map<number, { resolve: () => void; reject: (err: OrionError) => void }>();
  readonly #init: WorkerInit;
  readonly #statsWaiters = new Map<number, (stats: WorkerStats | undefined) => void>();
  #seq = 0;
  #statsId = 0;
  #gone = false;
  /** True once the worker said hello (before, a message to it could be lost). */
  #listening = false;

  constructor(init: WorkerInit, options: ClusterWorkersOptions) {
    this.id = init.workerId;
    this.#init = init;
    this.#logger = options.logger;
    const worker = cluster.fork({ [WORKER_ID_ENV]: String(init.workerId) });
    this.#worker = worker;
    this.pid = worker.process.pid ?? 0;
    let readyResolve: (ready: WorkerReady) => void = () => undefined;
    let readyReject: (err: OrionError) => void = () => undefined;
    let readySettled = false;
    this.ready = new Promise<WorkerReady>((resolve, reject) => {
      readyResolve = (r) => {
        readySettled = true;
        resolve(r);
      };
      readyReject = (e) => {
        readySettled = true;
        reject(e);
      };
    });
    // A failed start is reported through `ready`; keep an unobserved rejection from being fatal.
    this.ready.catch(() => undefined);
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      this.#onMessage(message, readyResolve, readyReject);
    });
    // The IPC channel fails when the worker dies mid-send; the exit event reports it.
    worker.on('error', () => undefined);
    this.exited = new Promise<WorkerExit>((resolve) => {
      worker.once('exit', (code: number | null, signal: string | null) => {
        this.#gone = true;
        const how = signal === null ? `code ${String(code)}` : `signal ${signal}`;
        if (!readySettled) readyReject(new OrionError(ProxyErrorCode.WORKER_START, `worker ${this.id} (pid ${this.pid}) exited (${how}) before it was ready`));
        for (const [, p] of this.#pending) p.reject(new OrionError(ProxyErrorCode.WORKER_EXIT, `worker ${this.id} (pid ${this.pid}) exited (${how})`));
        this.#pending.clear();
        for (const [, w] of this.#statsWaiters) w(undefined);
        this.#statsWaiters.clear();
        resolve({ code, signal });
      });
    });
    const cores = options.cores?.[init.workerId - 1];
    if (cores !== undefined && options.taskset !== undefined && this.pid !== 0) {
      pinProcess(options.taskset, this.pid, cores).then(
        () => options.logger.debug(`worker ${this.id} (pid ${this.pid}) pinned to CPU ${cores.join(',')}`),
        (err: unknown) => options.logger.warn(`worker ${this.id} (pid ${this.pid}) could not be pinned to CPU ${cores.join(',')}: ${(err as Error).message}`),
      );
    }
  }

  apply(version: number, changes: readonly ConfigurationChange[]): Promise<void> {
    return this.#request((seq) => ({ type: 'orion:apply', seq, version, changes }));
  }

  resync(snapshot: ConfigurationSnapshot): Promise<void> {
    return this.#request((seq) => ({ type: 'orion:resync', seq, snapshot }));
  }

  drain(): void {
    // Not started yet: nothing to drain.
    if (!this.#listening) this.destroy();
    else this.#send({ type: 'orion:drain' });
  }

  destroy(): void {
    if (this.#gone) return;
    if (!this.#listening) {
      this.#worker.process.kill('SIGKILL');
      return;
    }
    this.#send({ type: 'orion:destroy' });
    const timer = setTimeout(() => {
      if (!this.#gone) this.#worker.process.kill('SIGKILL');
    }, DESTROY_GRACE_MS);
    timer.unref();
    void this.exited.then(() => clearTimeout(timer));
  }

  reopenLogs(): void {
    this.#send({ type: 'orion:reopen-logs' });
  }

  stats(timeoutMs: number): Promise<WorkerStats | undefined> {
    if (this.#gone || !this.#listening) return Promise.resolve(undefined);
    const id = ++this.#statsId;
    return new Promise<WorkerStats | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.#statsWaiters.delete(id);
        this.#logger.warn(`worker ${this.id} (pid ${this.pid}) did not answer a stats request within ${timeoutMs} ms; answering without it`);
        resolve(undefined);
      }, timeoutMs);
      timer.unref();
      this.#statsWaiters.set(id, (stats) => {
        clearTimeout(timer);
        resolve(stats);
      });
      this.#send({ type: 'orion:stats-request', id });
    });
  }

  resetCounters(): void {
    this.#send({ type: 'orion:reset-counters' });
  }

  drainListeners(request: DrainListenersRequest): void {
    this.#send({ type: 'orion:drain-listeners', request });
  }

  setLogLevels(change: LogLevelChange): void {
    this.#send({ type: 'orion:set-log-levels', change });
  }

  #request(make: (seq: number) => PrimaryMessage): Promise<void> {
    if (this.#gone) return Promise.reject(new OrionError(ProxyErrorCode.WORKER_EXIT, `worker ${this.id} (pid ${this.pid}) has exited`));
    const seq = ++this.#seq;
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#send(make(seq));
    });
  }

  #send(message: PrimaryMessage): void {
    if (this.#gone || !this.#listening || !this.#worker.isConnected()) return;
    this.#worker.send(message);
  }

  #onMessage(message: WorkerMessage, readyResolve: (r: WorkerReady) => void, readyReject: (e: OrionError) => void): void {
    switch (message.type) {
      case 'orion:hello':
        this.#listening = true;
        this.#send({ type: 'orion:init', init: this.#init });
        return;
      case 'orion:ready':
        readyResolve({ addresses: message.addresses });
        return;
      case 'orion:start-failed':
        readyReject(new OrionError(ProxyErrorCode.WORKER_START, message.error));
        return;
      case 'orion:applied':
      case 'orion:apply-failed': {
        const pending = this.#pending.get(message.seq);
        if (pending === undefined) return;
        this.#pending.delete(message.seq);
        if (message.type === 'orion:applied') pending.resolve();
        else pending.reject(new OrionError(ProxyErrorCode.CONFIG_APPLY, message.error));
        return;
      }
      case 'orion:stats': {
        const waiter = this.#statsWaiters.get(message.id);
        if (waiter === undefined) return;
        this.#statsWaiters.delete(message.id);
        try {
          waiter({ snapshot: parseStatsSnapshot(message.stats.snapshot), clusters: Array.isArray(message.stats.clusters) ? message.stats.clusters : [] });
        } catch (err) {
          this.#logger.warn(`worker ${this.id} (pid ${this.pid}) sent stats that are not a snapshot: ${printError(err, { codes: true })}`);
          waiter(undefined);
        }
        return;
      }
      default: {
        const unknown: never = message;
        this.#logger.warn(`ignoring an unknown message from worker ${this.id}: ${JSON.stringify(unknown)}`);
      }
    }
  }
}

/**
 * Workers as processes forked through `node:cluster` from `options.entry`, each with `ORION_WORKER_ID` in its
 * environment and, when planned, pinned to its cores with taskset. Throws `ORION_ERR_PROXY_WORKER_START` when the
 * entry does not exist (the package is not built).
 */
export function clusterWorkers(options: ClusterWorkersOptions): WorkerFactory {
  if (!existsSync(options.entry)) {
    throw new OrionError(ProxyErrorCode.WORKER_START, `the worker entry ${options.entry} does not exist (build @orion/proxy, or run with --concurrency 1)`);
  }
  cluster.setupPrimary({ exec: options.entry, args: [], silent: false });
  return (init) => new ClusterWorkerHandle(init, options);
}
