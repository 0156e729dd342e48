import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { DownstreamResponse } from './downstream.js';
import type { Http1ServerRequest } from './http1-server-request.js';

/** What a response needs from its connection. */
export interface Http1ResponseSink {
  readonly socket: Socket;
  /** Whether this response may leave the connection open (the server is not closing, no drain decided otherwise). */
  keepAliveAllowed(): boolean;
  /** The response was handed to the socket whole. */
  responseEnded(res: Http1ServerResponse): void;
}

/** A body chunk up to this size is copied into the pending latin1 output instead of being written on its own. */
const SMALL_CHUNK = 4096;
/** Pending output past this size is written at once. */
const MAX_PENDING = 16 * 1024;
/** Header names (RFC 9110 tokens) and values (no control characters but tab) Node's `ServerResponse` accepts too. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

const statusLines: string[] = [];
function statusLine(status: number): string {
  let line = statusLines[status];
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    if (status >= 100 && status <= 999) statusLines[status] = line;
  }
  return line;
}

let dateSecond = -1;
let dateLine = '';
/** `date: <IMF-fixdate>\r\n`, rebuilt once a second. */
function currentDateLine(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateLine = `date: ${new Date(now).toUTCString()}\r\n`;
  }
  return dateLine;
}

/** Responses with output waiting for the end of this tick. */
let pendingFlush: Http1ServerResponse[] = [];
function flushPending(): void {
  const list = pendingFlush;
  pendingFlush = [];
  for (let i = 0; i < list.length; i++) (list[i] as Http1ServerResponse).flush();
}

function noop(): void {
  // Writes after the connection failed are dropped; its `close` reports the failure.
}

type Listener = (this: Http1ServerResponse) => void;

/**
 * The response half of a downstream HTTP/1.1 exchange, written straight to the socket as latin1 strings: the head is
 * built in one string, small body chunks join it (so a short response leaves in one write at the end of the tick or
 * at `end()`), larger ones are written corked with their chunk framing. Framing follows the headers: `content-length`
 * when given, else chunked for HTTP/1.1 (with trailers) or the connection's end for HTTP/1.0; none for HEAD, 1xx, 204
 * and 304. `date` is added when missing, `connection: close` when the connection ends after this response (and
 * `connection: keep-alive` for an HTTP/1.0 client that keeps it). `close` is emitted once: after `end()` (then
 * `writableFinished` is true) or when the connection goes first.
 */
export class Http1ServerResponse implements DownstreamResponse {
  readonly req: Http1ServerRequest;
  readonly #sink: Http1ResponseSink;
  /** False: the connection ends after this response (`Connection: close`). Settable until the head is written. */
  shouldKeepAlive: boolean;
  /** The body is chunked (set by `writeHead`). */
  chunkedEncoding = false;
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  writableFinished = false;
  /** `end()` was called. */
  finished = false;
  /** For an upgrade request: the connection belongs to the exchange and ends with it. */
  readonly upgrade: boolean;
  #bodyless = false;
  /** Head and small body chunks not written yet (latin1). */
  #out = '';
  #flushQueued = false;
  #trailers: OutgoingHttpHeaders | undefined = undefined;
  #closed = false;
  #closeListeners: Listener[] | Listener | undefined = undefined;
  #drainListener: Listener | undefined = undefined;

  constructor(sink: Http1ResponseSink, req: Http1ServerRequest, upgrade: boolean) {
    this.#sink = sink;
    this.req = req;
    this.upgrade = upgrade;
    this.shouldKeepAlive = req.keepAlive && !upgrade;
  }

  on(event: 'drain' | 'close', listener: Listener): this {
    return this.once(event, listener);
  }

  once(event: 'drain' | 'close', listener: Listener): this {
    if (event === 'drain') {
      this.#drainListener = listener;
      return this;
    }
    const current = this.#closeListeners;
    if (current === undefined) this.#closeListeners = listener;
    else if (typeof current === 'function') this.#closeListeners = [current, listener];
    else current.push(listener);
    return this;
  }

  writeHead(statusCode: number, headers: OutgoingHttpHeaders): this {
    if (this.headersSent) return this;
    this.statusCode = statusCode;
    this.headersSent = true;
    let head = statusLine(statusCode);
    let hasLength = false;
    let hasDate = false;
    let hasConnection = false;
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || !TOKEN.test(name)) continue;
      switch (name.length) {
        case 4:
          if (name === 'date') hasDate = true;
          break;
        case 10:
          if (name === 'connection') hasConnection = true;
          break;
        case 14:
          if (name === 'content-length') hasLength = true;
          break;
        case 17:
          // The framing is this codec's to choose.
          if (name === 'transfer-encoding') continue;
          break;
        default:
          break;
      }
      if (typeof value === 'string') {
        if (!INVALID_VALUE.test(value)) head += `${name}: ${value}\r\n`;
      } else if (typeof value === 'number') {
        head += `${name}: ${value}\r\n`;
      } else {
        for (let i = 0; i < value.length; i++) {
          const v = value[i] as string;
          if (!INVALID_VALUE.test(v)) head += `${name}: ${v}\r\n`;
        }
      }
    }
    if (!hasDate) head += currentDateLine();
    const informational = statusCode < 200;
    this.#bodyless = informational || statusCode === 204 || statusCode === 304 || this.req.method === 'HEAD';
    if (informational) {
      // 101 Switching Protocols carries the upstream's own `connection: upgrade`.
      this.#out += `${head}\r\n`;
      return this;
    }
    // Envoy: a response that starts before its request is complete closes an HTTP/1.1 connection.
    let keepAlive = this.shouldKeepAlive && this.req.complete && this.#sink.keepAliveAllowed();
    if (!this.#bodyless && !hasLength) {
      if (this.req.httpVersion === '1.1') {
        this.chunkedEncoding = true;
        head += 'transfer-encoding: chunked\r\n';
      } else {
        // An HTTP/1.0 client reads the body until the connection closes.
        keepAlive = false;
      }
    }
    this.shouldKeepAlive = keepAlive;
    if (!hasConnection) {
      if (!keepAlive) head += 'connection: close\r\n';
      else if (this.req.httpVersion !== '1.1') head += 'connection: keep-alive\r\n';
    }
    this.#out += `${head}\r\n`;
    return this;
  }

  write(chunk: Buffer): boolean {
    if (this.destroyed || this.finished) return true;
    if (!this.headersSent) this.writeHead(this.statusCode, {});
    const length = chunk.length;
    if (this.#bodyless || length === 0) return true;
    if (length <= SMALL_CHUNK && this.#out.length < MAX_PENDING) {
      const text = chunk.toString('latin1');
      this.#out += this.chunkedEncoding ? `${length.toString(16)}\r\n${text}\r\n` : text;
      if (!this.#flushQueued) {
        this.#flushQueued = true;
        pendingFlush.push(this);
        if (pendingFlush.length === 1) process.nextTick(flushPending);
      }
      return true;
    }
    const socket = this.#sink.socket;
    socket.cork();
    const out = this.#out;
    this.#out = '';
    if (this.chunkedEncoding) socket.write(`${out}${length.toString(16)}\r\n`, 'latin1', noop);
    else if (out !== '') socket.write(out, 'latin1', noop);
    let ok = socket.write(chunk, noop);
    if (this.chunkedEncoding) ok = socket.write('\r\n', 'latin1', noop);
    socket.uncork();
    return ok;
  }

  addTrailers(headers: OutgoingHttpHeaders): void {
    this.#trailers = headers;
  }

  /** Writes what is pending (the head, small chunks) now. */
  flush(): void {
    this.#flushQueued = false;
    const out = this.#out;
    if (out === '' || this.destroyed) return;
    this.#out = '';
    this.#sink.socket.write(out, 'latin1', noop);
  }

  /** Writes the head now (an upgrade's 101 before the tunnel starts). */
  flushHeaders(): void {
    this.flush();
  }

  end(chunk?: string | Buffer): this {
    if (this.finished || this.destroyed) return this;
    if (!this.headersSent) this.writeHead(this.statusCode, {});
    if (chunk !== undefined && chunk.length > 0) this.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    this.finished = true;
    if (this.chunkedEncoding) this.#out += `0\r\n${this.#trailerLines()}\r\n`;
    this.flush();
    this.writableFinished = true;
    this.#sink.responseEnded(this);
    process.nextTick(emitCloseOf, this);
    return this;
  }

  #trailerLines(): string {
    const trailers = this.#trailers;
    if (trailers === undefined) return '';
    let lines = '';
    for (const name in trailers) {
      const value = trailers[name];
      if (value === undefined || !TOKEN.test(name)) continue;
      const values = Array.isArray(value) ? value : [String(value)];
      for (const v of values) if (!INVALID_VALUE.test(v)) lines += `${name}: ${v}\r\n`;
    }
    return lines;
  }

  /** Resets the exchange: HTTP/1.1 has no stream reset, so the connection closes. */
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.#out = '';
    this.#sink.socket.destroy();
    return this;
  }

  /** The connection became writable again. */
  emitDrain(): void {
    const listener = this.#drainListener;
    if (listener === undefined) return;
    this.#drainListener = undefined;
    listener.call(this);
  }

  /** Emits `close` once (after `end()`, or when the connection closed first). */
  emitClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.writableFinished) this.destroyed = true;
    const listeners = this.#closeListeners;
    this.#closeListeners = undefined;
    this.#drainListener = undefined;
    if (listeners === undefined) return;
    if (typeof listeners === 'function') listeners.call(this);
    else for (const listener of listeners) listener.call(this);
  }
}

function emitCloseOf(res: Http1ServerResponse): void {
  res.emitClose();
}
