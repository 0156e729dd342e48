import type { Dispatcher } from 'undici';
import type { UpstreamConnectionAware, UpstreamConnectionSlot } from '../transport/http1-pool-set.js';
import { classifyUpstreamError, type UpstreamFailureReason } from './upstream-failure.js';

/** What an upstream attempt reports to the stream that owns it. */
export interface UpstreamRequestCallbacks {
  /** Response headers arrived; return false to pause the body until `resume()` is called. */
  onUpstreamHeaders(status: number, rawHeaders: readonly Buffer[], resume: () => void): boolean;
  /** A body chunk; return false to apply backpressure (then call the `resume` given with the headers). */
  onUpstreamData(chunk: Buffer): boolean;
  /** The response ended; `trailers` as a flat name/value list, or null. */
  onUpstreamComplete(trailers: readonly string[] | null): void;
  /** The attempt failed. `afterHeaders` tells whether response headers were already delivered. */
  onUpstreamError(reason: UpstreamFailureReason, err: Error, afterHeaders: boolean): void;
  /** The request was handed to a connection (for `%UPSTREAM_CONNECTION_ID%`-like bookkeeping and timings). */
  onUpstreamStart?(): void;
}

/**
 * One attempt to forward a request upstream over an undici dispatcher, written against undici's handler-object
 * interface (cheaper than its stream/request helpers: no per-request promise or EventEmitter). It can be aborted
 * at any time, including while still queued for a pooled connection — the abort then takes effect the moment a
 * connection picks the request up, before anything is written, so a late response never targets a stream that
 * is gone.
 */
export class UpstreamRequest implements Dispatcher.DispatchHandler, UpstreamConnectionAware {
  /** The pooled connection the request was dispatched to (set by the pool). */
  upstreamConnection: UpstreamConnectionSlot | undefined = undefined;
  readonly #callbacks: UpstreamRequestCallbacks;
  #abort: ((err?: Error) => void) | undefined;
  #abortReason: Error | undefined;
  #headersDelivered = false;
  #done = false;

  constructor(callbacks: UpstreamRequestCallbacks) {
    this.#callbacks = callbacks;
  }

  /** Sends the request through `dispatcher`. */
  start(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions): void {
    try {
      dispatcher.dispatch(options, this);
    } catch (err) {
      this.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Aborts the attempt; the callbacks hear nothing more (the caller already knows why). */
  abort(reason: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#abortReason = reason;
    this.#abort?.(reason);
  }

  /** True once the attempt finished, failed or was aborted. */
  get done(): boolean {
    return this.#done;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.#abortReason !== undefined) {
      abort(this.#abortReason);
      return;
    }
    this.#callbacks.onUpstreamStart?.();
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void): boolean {
    if (this.#done) return false;
    // 1xx informational responses (100 Continue, 102, 103) are not forwarded: Envoy answers
    // `Expect: 100-continue` itself and drops upstream 1xx other than 101.
    if (statusCode < 200 && statusCode !== 101) return true;
    this.#headersDelivered = true;
    return this.#callbacks.onUpstreamHeaders(statusCode, headers, resume);
  }

  onData(chunk: Buffer): boolean {
    if (this.#done) return false;
    return this.#callbacks.onUpstreamData(chunk);
  }

  onComplete(trailers: string[] | null): void {
    if (this.#done) return;
    this.#done = true;
    this.#callbacks.onUpstreamComplete(trailers);
  }

  onError(err: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#callbacks.onUpstreamError(classifyUpstreamError(err as Error & { code?: string }), err, this.#headersDelivered);
  }
}
