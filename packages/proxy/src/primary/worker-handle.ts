import type { BoundAddress } from '@orion/lib';
import type { ConfigurationChange } from '../config/configuration-change.js';
import type { ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import type { DrainListenersRequest, LogLevelChange, WorkerInit, WorkerStats } from '../worker/worker-messages.js';

/** A worker's report once it serves. */
export interface WorkerReady {
  /** Where each listener is bound, by name. */
  readonly addresses: readonly (readonly [string, BoundAddress])[];
}

/** How a worker ended. */
export interface WorkerExit {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, or null. */
  readonly signal: string | null;
}

/** The primary's view of one worker, wherever it runs (a forked process, or the primary's own process). */
export interface WorkerHandle {
  /** The worker's slot, 1…N. */
  readonly id: number;
  /** Its process id. */
  readonly pid: number;
  /** Resolves once it serves; rejects with `ORION_ERR_PROXY_WORKER_START`. */
  readonly ready: Promise<WorkerReady>;
  /** Resolves when it has ended. */
  readonly exited: Promise<WorkerExit>;
  /** Applies a change set (snapshot `version`); rejects with `ORION_ERR_PROXY_CONFIG_APPLY`, or `ORION_ERR_PROXY_WORKER_EXIT` if it exits first. */
  apply(version: number, changes: readonly ConfigurationChange[]): Promise<void>;
  /** Moves it to a whole snapshot; rejects like {@link apply}. */
  resync(snapshot: ConfigurationSnapshot): Promise<void>;
  /** Asks it to drain and end (see {@link exited}). */
  drain(): void;
  /** Asks it to end at once (a forked worker still alive a second later is killed). */
  destroy(): void;
  /** Asks it to reopen its log files. */
  reopenLogs(): void;
  /**
   * Asks for its stats snapshot and cluster statuses; resolves undefined when it has not answered within
   * `timeoutMs` (or is gone), so a dead or slow worker never holds up an admin request.
   */
  stats(timeoutMs: number): Promise<WorkerStats | undefined>;
  /** `/reset_counters`. */
  resetCounters(): void;
  /** `/drain_listeners`. */
  drainListeners(request: DrainListenersRequest): void;
  /** `/logging`. */
  setLogLevels(change: LogLevelChange): void;
}

/** Starts a worker for `init` (the primary uses one per slot, and again to replace a worker that died). */
export type WorkerFactory = (init: WorkerInit) => WorkerHandle;
