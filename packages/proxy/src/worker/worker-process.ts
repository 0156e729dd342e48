import { printError } from '@orion/error';
import { fileLogDestination, streamLogDestination, type LogDestination } from '../logging/log-destination.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { isPrimaryMessage, type PrimaryMessage, type WorkerInit, type WorkerMessage } from './worker-messages.js';
import { WorkerRuntime } from './worker-runtime.js';

/** Environment variable holding a worker's slot (1…N); `%ENVIRONMENT(ORION_WORKER_ID)%` shows it in access logs and headers. */
export const WORKER_ID_ENV = 'ORION_WORKER_ID';
/** Environment variable holding a worker's process id (set by the worker itself before it builds its data plane). */
export const WORKER_PID_ENV = 'ORION_WORKER_PID';

const ignore = (): void => undefined;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/**
 * The body of a worker process (`dist/worker.js`, forked by the primary through `node:cluster`): says hello, waits
 * for its {@link WorkerInit}, builds its data plane, reports `ready` with its bound addresses, then applies what the primary
 * sends until told to drain (graceful: in-flight requests finish, access logs are flushed, exit 0) or to stop now.
 * Termination signals are the primary's business: a worker ignores SIGTERM, SIGINT and SIGHUP (a terminal's Ctrl-C
 * or a service manager signals the whole process group), reopens its access logs on SIGUSR1, and stops at once if
 * the primary goes away.
 */
export function runWorkerProcess(): void {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, ignore);
  let runtime: WorkerRuntime | undefined;
  let logger: Logger | undefined;
  let destination: LogDestination | undefined;
  let stopping = false;
  /** Settles once the worker started (or failed to): messages that arrive meanwhile wait for it. */
  let started: Promise<void> | undefined;

  const exit = (code: number): void => {
    destination?.close();
    process.exit(code);
  };
  const stopNow = (why: string): void => {
    if (stopping) return;
    stopping = true;
    logger?.info(`stopping now: ${why}`);
    void (runtime?.destroy() ?? Promise.resolve()).finally(() => exit(0));
  };

  const start = async (init: WorkerInit): Promise<void> => {
    process.env[WORKER_ID_ENV] = String(init.workerId);
    process.env[WORKER_PID_ENV] = String(process.pid);
    try {
      destination = init.logging.file === undefined ? streamLogDestination(process.stderr) : fileLogDestination(init.logging.file);
      logger = createLogger({ logging: init.logging, destination, component: 'worker', fields: { worker: init.workerId } });
      runtime = await WorkerRuntime.start(init, { logger, reportProcessMemory: true });
    } catch (err) {
      send({ type: 'orion:start-failed', error: printError(err, { codes: false }) });
      exit(1);
      return;
    }
    process.on('SIGUSR1', () => {
      destination?.reopen();
      void runtime?.reopenLogs();
    });
    logger.debug(`serving configuration version ${init.snapshot.version}`);
    send({ type: 'orion:ready', addresses: runtime.addresses() });
  };

  const handle = (message: PrimaryMessage): void => {
    switch (message.type) {
      case 'orion:init':
        started ??= start(message.init);
        return;
      case 'orion:destroy':
        stopNow('told to by the primary');
        return;
      default:
        void started?.then(() => handleStarted(message));
    }
  };

  const handleStarted = (message: Exclude<PrimaryMessage, { type: 'orion:init' | 'orion:destroy' }>): void => {
    switch (message.type) {
      case 'orion:apply':
        runtime?.apply(message.version, message.changes).then(
          () => send({ type: 'orion:applied', seq: message.seq, version: message.version }),
          (err: unknown) => send({ type: 'orion:apply-failed', seq: message.seq, error: printError(err, { codes: false }) }),
        );
        return;
      case 'orion:resync':
        runtime?.resync(message.snapshot).then(
          () => send({ type: 'orion:applied', seq: message.seq, version: message.snapshot.version }),
          (err: unknown) => send({ type: 'orion:apply-failed', seq: message.seq, error: printError(err, { codes: false }) }),
        );
        return;
      case 'orion:drain':
        if (stopping) return;
        stopping = true;
        logger?.debug('draining');
        void (runtime?.close() ?? Promise.resolve()).then(
          () => {
            logger?.debug('drained');
            exit(0);
          },
          (err: unknown) => {
            logger?.error(`drain failed: ${printError(err, { codes: false })}`);
            exit(1);
          },
        );
        return;
      case 'orion:reopen-logs':
        destination?.reopen();
        void runtime?.reopenLogs();
        return;
      case 'orion:stats-request':
        if (runtime !== undefined) send({ type: 'orion:stats', id: message.id, stats: runtime.stats() });
        return;
      case 'orion:reset-counters':
        runtime?.resetCounters();
        return;
      case 'orion:drain-listeners':
        runtime?.drainListeners(message.request);
        return;
      case 'orion:set-log-levels':
        logger?.setLevels(message.change);
        return;
      default: {
        const unknown: never = message;
        logger?.warn(`ignoring an unknown message from the primary: ${JSON.stringify(unknown)}`);
      }
    }
  };

  process.on('message', (message: unknown) => {
    if (isPrimaryMessage(message)) handle(message);
  });
  process.on('disconnect', () => stopNow('the primary process is gone'));
  send({ type: 'orion:hello' });
}
