import { AccessLogSink, type AccessLogSinkOptions, type AccessLogTarget } from './access-log-sink.js';

function keyOf(target: AccessLogTarget): string {
  return target.type === 'file' ? `file:${target.path}` : target.type;
}

/**
 * The access-log sinks of a process, one per destination: every logger writing to the same file shares one
 * sink (one file handle, one batch), as Envoy shares its access-log files.
 */
export class AccessLogSinks {
  readonly #sinks = new Map<string, AccessLogSink>();
  readonly #options: AccessLogSinkOptions;

  constructor(options: AccessLogSinkOptions = {}) {
    this.#options = options;
  }

  /** The sink for `target`, opened on first use (a file that cannot be opened rejects). */
  async get(target: AccessLogTarget): Promise<AccessLogSink> {
    const key = keyOf(target);
    let sink = this.#sinks.get(key);
    if (sink === undefined) {
      sink = new AccessLogSink(target, this.#options);
      this.#sinks.set(key, sink);
      try {
        await sink.open();
      } catch (err) {
        this.#sinks.delete(key);
        await sink.close();
        throw err;
      }
    }
    return sink;
  }

  /** Writes every pending line. */
  async flushAll(): Promise<void> {
    await Promise.all([...this.#sinks.values()].map((s) => s.flush()));
  }

  /** Reopens every file (log rotation: SIGUSR1, `/reopen_logs`). */
  async reopenAll(): Promise<void> {
    await Promise.all([...this.#sinks.values()].map((s) => s.reopen()));
  }

  /** Flushes and closes every sink. */
  async closeAll(): Promise<void> {
    const sinks = [...this.#sinks.values()];
    this.#sinks.clear();
    await Promise.all(sinks.map((s) => s.close()));
  }
}
