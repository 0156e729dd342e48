import { OrionError } from '@orion/error';
import type { ConfigurationChange } from '../../src/config/configuration-change.js';
import type { ConfigurationSnapshot } from '../../src/config/configuration-snapshot.js';
import { applyConfigurationChanges } from '../../src/config/apply-configuration-changes.js';
import { ProxyErrorCode } from '../../src/error-codes.js';
import type { WorkerExit, WorkerFactory, WorkerHandle, WorkerReady } from '../../src/primary/worker-handle.js';
import type { DrainListenersRequest, LogLevelChange, WorkerInit, WorkerStats } from '../../src/worker/worker-messages.js';

/** A worker the test drives: it keeps the snapshot it was given and applies changes to it, unless told to refuse. */
export class FakeWorker implements WorkerHandle {
  static nextPid = 1000;
  readonly id: number;
  readonly pid = FakeWorker.nextPid++;
  readonly ready: Promise<WorkerReady>;
  readonly exited: Promise<WorkerExit>;
  snapshot: ConfigurationSnapshot;
  refuse = false;
  /** How long a drain takes; undefined: it never finishes on its own. */
  drainMs: number | undefined = 0;
  readonly calls: string[] = [];
  #exit: (exit: WorkerExit) => void = () => undefined;
  #gone = false;

  constructor(init: WorkerInit, startFailure?: string) {
    this.id = init.workerId;
    this.snapshot = init.snapshot;
    this.exited = new Promise((resolve) => (this.#exit = resolve));
    this.ready =
      startFailure === undefined
        ? Promise.resolve({ addresses: [['main', { type: 'socket', host: '127.0.0.1', port: 8000 + init.workerId, family: 'IPv4' }] as const] })
        : Promise.reject(new OrionError(ProxyErrorCode.WORKER_START, startFailure));
    this.ready.catch(() => this.end({ code: 1, signal: null }));
  }

  apply(version: number, changes: readonly ConfigurationChange[]): Promise<void> {
    this.calls.push(`apply ${version}`);
    if (this.#gone) return Promise.reject(new OrionError(ProxyErrorCode.WORKER_EXIT, 'gone'));
    if (this.refuse) return Promise.reject(new OrionError(ProxyErrorCode.CONFIG_APPLY, `worker ${this.id} refuses version ${version}`));
    this.snapshot = applyConfigurationChanges(this.snapshot, changes, version);
    return Promise.resolve();
  }

  resync(snapshot: ConfigurationSnapshot): Promise<void> {
    this.calls.push(`resync ${snapshot.version}`);
    this.snapshot = snapshot;
    return Promise.resolve();
  }

  drain(): void {
    this.calls.push('drain');
    if (this.drainMs !== undefined) setTimeout(() => this.end({ code: 0, signal: null }), this.drainMs);
  }

  destroy(): void {
    this.calls.push('destroy');
    this.end({ code: 0, signal: null });
  }

  reopenLogs(): void {
    this.calls.push('reopen');
  }

  /** What {@link stats} answers; `silent`: nothing (as a hung worker), so the caller's timeout decides. */
  statsAnswer: WorkerStats | 'silent' | undefined = undefined;

  stats(timeoutMs: number): Promise<WorkerStats | undefined> {
    this.calls.push('stats');
    const answer = this.statsAnswer;
    if (answer !== 'silent') return Promise.resolve(this.#gone ? undefined : answer);
    return new Promise((resolve) => setTimeout(() => resolve(undefined), timeoutMs));
  }

  resetCounters(): void {
    this.calls.push('reset-counters');
  }

  drainListeners(request: DrainListenersRequest): void {
    this.calls.push(`drain-listeners${request.graceful ? ' graceful' : ''}${request.inboundOnly ? ' inbound' : ''} ${request.drainMs} ${request.strategy}`);
  }

  setLogLevels(change: LogLevelChange): void {
    this.calls.push(`log-levels ${JSON.stringify(change)}`);
  }

  /** Ends the worker (a crash when given a signal). */
  end(exit: WorkerExit): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#exit(exit);
  }
}

/** A factory recording every worker it starts; `failStarts` makes the next starts fail. */
export function fakeWorkers(): { spawn: WorkerFactory; started: FakeWorker[]; failStarts: number; configure?: (w: FakeWorker) => void } {
  const state: { spawn: WorkerFactory; started: FakeWorker[]; failStarts: number; configure?: (w: FakeWorker) => void } = {
    started: [],
    failStarts: 0,
    spawn: (init) => {
      const failing = state.failStarts > 0;
      if (failing) state.failStarts--;
      const worker = new FakeWorker(init, failing ? `worker ${init.workerId} cannot bind` : undefined);
      state.configure?.(worker);
      state.started.push(worker);
      return worker;
    },
  };
  return state;
}
