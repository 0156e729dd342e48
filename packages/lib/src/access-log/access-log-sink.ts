import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../error-codes.js';

/** Where access-log lines go: Envoy's file, stdout and stderr access loggers. */
export type AccessLogTarget = { readonly type: 'file'; readonly path: string } | { readonly type: 'stdout' } | { readonly type: 'stderr' };

/** Options for {@link AccessLogSink}. */
export interface AccessLogSinkOptions {
  /** Flush at least this often. Envoy: `access_log_flush_interval`, default 1 s. */
  readonly flushIntervalMs?: number;
  /** Flush as soon as this much is buffered. Envoy's file logger flushes at 64 KiB. Default 64 KiB. */
  readonly flushThresholdBytes?: number;
  /** Lines are dropped (and counted) while more than this is waiting for a slow disk. Default 64 MiB. */
  readonly maxPendingBytes?: number;
  /** Where stdout/stderr targets write; tests pass their own streams. Default: `process.stdout` / `process.stderr`. */
  readonly stdout?: Writable;
  readonly stderr?: Writable;
}

/** Counters a sink keeps (exported as stats by the proxy). */
export interface AccessLogSinkStats {
  /** Lines accepted. */
  readonly lines: number;
  /** Bytes written to the target. */
  readonly bytesWritten: number;
  /** Lines dropped because `maxPendingBytes` was exceeded. */
  readonly dropped: number;
  /** Failed writes (the lines of a failed write are lost and counted here too). */
  readonly writeErrors: number;
}

/**
 * One access-log destination with batched, asynchronous writes: lines are collected in memory and written
 * with one system call per flush (every `flushIntervalMs`, at `flushThresholdBytes`, and on `close()`), so
 * logging never blocks the event loop. Files are opened in append mode and can be reopened for log rotation.
 */
export class AccessLogSink {
  readonly target: AccessLogTarget;
  readonly #flushThreshold: number;
  readonly #maxPending: number;
  readonly #stream: Writable | undefined;
  /** Queued lines, encoded to UTF-8 once per flush (one join and one encode for the whole batch, not one per line). */
  #chunks: (string | Buffer)[] = [];
  /** True when some queued line is a Buffer (the batch is then concatenated as Buffers). */
  #hasBuffers = false;
  #pendingBytes = 0;
  #inFlight: Promise<void> | undefined;
  #file: Promise<FileHandle> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #stats = { lines: 0, bytesWritten: 0, dropped: 0, writeErrors: 0 };

  constructor(target: AccessLogTarget, options: AccessLogSinkOptions = {}) {
    this.target = target;
    this.#flushThreshold = options.flushThresholdBytes ?? 64 * 1024;
    this.#maxPending = options.maxPendingBytes ?? 64 * 1024 * 1024;
    this.#stream = target.type === 'stdout' ? (options.stdout ?? process.stdout) : target.type === 'stderr' ? (options.stderr ?? process.stderr) : undefined;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    this.#timer.unref();
  }

  /** Opens the file now, so a bad path fails at startup rather than on the first flush. */
  async open(): Promise<void> {
    if (this.target.type === 'file') await this.#handle();
  }

  /** Queues one line (it should end in a newline). Never blocks; never throws. */
  write(line: string | Buffer): void {
    if (this.#closed) return;
    const bytes = typeof line === 'string' ? Buffer.byteLength(line) : line.length;
    if (this.#pendingBytes + bytes > this.#maxPending) {
      this.#stats.dropped++;
      return;
    }
    if (typeof line !== 'string') this.#hasBuffers = true;
    this.#chunks.push(line);
    this.#pendingBytes += bytes;
    this.#stats.lines++;
    if (this.#pendingBytes >= this.#flushThreshold && this.#inFlight === undefined) void this.flush();
  }

  /** Writes everything queued so far; resolves when it is written. */
  async flush(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    if (this.#chunks.length === 0) return;
    const chunks = this.#chunks;
    const data = this.#hasBuffers ? Buffer.concat(chunks.map(toBuffer), this.#pendingBytes) : Buffer.from(chunks.length === 1 ? (chunks[0] as string) : chunks.join(''));
    const lines = chunks.length;
    this.#chunks = [];
    this.#hasBuffers = false;
    this.#pendingBytes = 0;
    this.#inFlight = this.#writeOut(data).then(
      () => {
        this.#stats.bytesWritten += data.length;
      },
      () => {
        this.#stats.writeErrors++;
        this.#stats.dropped += lines;
      },
    );
    try {
      await this.#inFlight;
    } finally {
      this.#inFlight = undefined;
    }
  }

  /** Flushes, then closes and reopens the file (after an external rotation; Envoy's `/reopen_logs`). */
  async reopen(): Promise<void> {
    await this.flush();
    if (this.target.type !== 'file' || this.#file === undefined) return;
    const old = this.#file;
    this.#file = undefined;
    await (await old.catch(() => undefined))?.close();
    await this.#handle();
  }

  /** Flushes what is queued and releases the file and the timer. Later writes are ignored. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    this.#closed = true;
    const file = this.#file;
    this.#file = undefined;
    await (await file?.catch(() => undefined))?.close();
  }

  /** A snapshot of the counters. */
  get stats(): AccessLogSinkStats {
    return { ...this.#stats };
  }

  #handle(): Promise<FileHandle> {
    if (this.target.type !== 'file') throw new TypeError('not a file target');
    const path = this.target.path;
    this.#file ??= open(path, 'a').catch((err: unknown) => {
      this.#file = undefined;
      throw new OrionError(LibErrorCode.ACCESS_LOG_OPEN, `cannot open access log ${path}`, { cause: err });
    });
    return this.#file;
  }

  async #writeOut(data: Buffer): Promise<void> {
    if (this.#stream !== undefined) {
      const stream = this.#stream;
      await new Promise<void>((resolve, reject) => stream.write(data, (err) => (err ? reject(err) : resolve())));
      return;
    }
    const handle = await this.#handle();
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }
}

function toBuffer(chunk: string | Buffer): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}
