import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { UpstreamConnectionAware, UpstreamConnectionSlot } from '../transport/http1-pool-set.js';
import type { MutableHeaders } from './connection-manager/ports.js';
import { classifyUpstreamError, type UpstreamFailureReason } from './upstream-failure.js';

/** What an upstream attempt reports to the stream that owns it (over HTTP/1.1 or HTTP/2). */
export interface UpstreamRequestCallbacks {
  /**
   * Final response headers arrived, hop-by-hop headers removed (lower-case names). `endStream`: the headers also
   * ended the response (an HTTP/2 headers-only response, e.g. gRPC's trailers-only form). Return false to pause
   * the body until `resume()` is called.
   */
  onUpstreamHeaders(status: number, headers: MutableHeaders, endStream: boolean, resume: () => void): boolean;
  /** A body chunk; return false to apply backpressure (then call the `resume` given with the headers). */
  onUpstreamData(chunk: Buffer): boolean;
  /** The response ended, with its trailers if it had any. */
  onUpstreamComplete(trailers: MutableHeaders | undefined): void;
  /** The attempt failed. `afterHeaders` tells whether response headers were already delivered. */
  onUpstreamError(reason: UpstreamFailureReason, err: Error, afterHeaders: boolean): void;
  /** The request was handed to a connection (timings; `reset-before-request` retries). */
  onUpstreamStart?(): void;
  /** The upstream switched protocols (`101`) on an upgrade request: `socket` now carries the tunnel. */
  onUpstreamUpgrade?(status: number, headers: MutableHeaders, socket: Duplex): void;
}

/** Response headers never forwarded downstream (hop-by-hop; the downstream codec sets its own framing). */
export const RESPONSE_HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** A raw header name or value: a Buffer from undici, a string from the native-parser pool. */
type RawHeader = Buffer | string;

function rawText(raw: RawHeader): string {
  return typeof raw === 'string' ? raw : raw.toString('latin1');
}

/**
 * Lower-case forms of the response header names seen so far, as upstreams spell them (`Content-Type` → `content-type`).
 * Most upstreams send the same few names in the same spelling on every response: a hit skips `toLowerCase()` and
 * returns a string already used as a property key (cheaper to add to the record than a fresh one). Bounded: names
 * beyond {@link LOWER_CASE_CACHE_SIZE} are lower-cased each time.
 */
const lowerCaseNames = new Map<string, string>();
const LOWER_CASE_CACHE_SIZE = 256;

function lowerCaseName(name: string): string {
  let lower = lowerCaseNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowerCaseNames.size < LOWER_CASE_CACHE_SIZE && name.length <= 64) lowerCaseNames.set(name, lower);
  }
  return lower;
}

/** A flat raw name/value list → a header record (hop-by-hop names dropped unless `keepHopByHop`). */
function headerRecord(raw: readonly RawHeader[], keepHopByHop: boolean): MutableHeaders {
  const headers: MutableHeaders = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = lowerCaseName(rawText(raw[i] as RawHeader));
    if (!keepHopByHop && RESPONSE_HOP_BY_HOP.has(name)) continue;
    const value = rawText(raw[i + 1] as RawHeader);
    const prev = headers[name];
    if (prev === undefined) headers[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else headers[name] = [prev, value];
  }
  return headers;
}

/**
 * One attempt to forward a request upstream over HTTP/1.1 through a dispatcher (the native-parser pool or undici),
 * written against undici's
 * handler-object interface (cheaper than its stream/request helpers: no per-request promise or EventEmitter). It
 * can be aborted at any time, including while still queued for a pooled connection — the abort then takes effect
 * the moment a connection picks the request up, before anything is written, so a late response never targets a
 * stream that is gone.
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
  start(dispatcher: Pick<Dispatcher, 'dispatch'>, options: Dispatcher.DispatchOptions): void {
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

  onHeaders(statusCode: number, headers: RawHeader[], resume: () => void): boolean {
    if (this.#done) return false;
    // 1xx informational responses (100 Continue, 102, 103) are not forwarded: Envoy answers
    // `Expect: 100-continue` itself and drops upstream 1xx other than 101.
    if (statusCode < 200) return true;
    this.#headersDelivered = true;
    return this.#callbacks.onUpstreamHeaders(statusCode, headerRecord(headers, false), false, resume);
  }

  onData(chunk: Buffer): boolean {
    if (this.#done) return false;
    return this.#callbacks.onUpstreamData(chunk);
  }

  onComplete(trailers: RawHeader[] | null): void {
    if (this.#done) return;
    this.#done = true;
    // undici hands raw trailers over as Buffers (its typings say strings), the native pool as strings.
    const record = trailers !== null && trailers.length > 0 ? headerRecord(trailers, false) : undefined;
    this.#callbacks.onUpstreamComplete(record);
  }

  onUpgrade(statusCode: number, headers: Buffer[] | string[] | null, socket: Duplex): void {
    if (this.#done) {
      socket.destroy();
      return;
    }
    this.#done = true;
    this.#headersDelivered = true;
    const raw = headers ?? [];
    if (this.#callbacks.onUpstreamUpgrade === undefined) {
      socket.destroy();
      return;
    }
    this.#callbacks.onUpstreamUpgrade(statusCode, headerRecord(raw, true), socket);
  }

  onError(err: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#callbacks.onUpstreamError(classifyUpstreamError(err as Error & { code?: string }), err, this.#headersDelivered);
  }
}
