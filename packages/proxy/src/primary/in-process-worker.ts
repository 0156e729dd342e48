import type { Logger } from '../logging/logger.js';
import { WORKER_ID_ENV, WORKER_PID_ENV } from '../worker/worker-process.js';
import { WorkerRuntime } from '../worker/worker-runtime.js';
import type { WorkerInit } from '../worker/worker-messages.js';
import type { WorkerExit, WorkerFactory, WorkerHandle, WorkerReady } from './worker-handle.js';

/** The runtime once started, or undefined if it failed to start. */
function settled(started: Promise<WorkerRuntime>): Promise<WorkerRuntime | undefined> {
  return started.catch(() => undefined);
}

/**
 * A worker in the primary's own process (`--concurrency 1`): no fork, no IPC, the same {@link WorkerRuntime} as in a
 * worker process. It cannot crash alone, so it is never replaced.
 */
export function inProcessWorkers(logger: Logger): WorkerFactory {
  return (init: WorkerInit): WorkerHandle => {
    // As in a worker process, so `%ENVIRONMENT(ORION_WORKER_ID)%` means the same with one process.
    process.env[WORKER_ID_ENV] = String(init.workerId);
    process.env[WORKER_PID_ENV] = String(process.pid);
    const started = WorkerRuntime.start(init, { logger: logger.child('worker', { worker: init.workerId }) });
    let resolveExit: (exit: WorkerExit) => void = () => undefined;
    const exited = new Promise<WorkerExit>((resolve) => (resolveExit = resolve));
    const end = (how: (runtime: WorkerRuntime) => Promise<void>): void => {
      void started
        .then(how)
        .catch(() => undefined)
        .finally(() => resolveExit({ code: 0, signal: null }));
    };
    const ready: Promise<WorkerReady> = started.then((runtime) => ({ addresses: runtime.addresses() }));
    started.catch(() => resolveExit({ code: 1, signal: null }));
    return {
      id: init.workerId,
      pid: process.pid,
      ready,
      exited,
      apply: async (version, changes) => (await started).apply(version, changes),
      resync: async (snapshot) => (await started).resync(snapshot),
      drain: () => end((runtime) => runtime.close()),
      destroy: () => end((runtime) => runtime.destroy()),
      reopenLogs: () => void started.then((runtime) => runtime.reopenLogs()).catch(() => undefined),
      // The same answers as a worker process gives, without IPC (the logger is the primary's own: `/logging` sets it there).
      stats: async () => (await settled(started))?.stats(),
      resetCounters: () => void started.then((runtime) => runtime.resetCounters()).catch(() => undefined),
      drainListeners: (request) => void started.then((runtime) => runtime.drainListeners(request)).catch(() => undefined),
      setLogLevels: () => undefined,
    };
  };
}
