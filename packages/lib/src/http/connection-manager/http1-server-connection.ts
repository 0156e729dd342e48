import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { NativeHttpParser } from '../../transport/native-http-parser.js';
import { consumableHandle, startReading, stopReading, type StreamHandle } from '../../transport/socket-reading.js';
import type { Http1Server } from './http1-server.js';
import { Http1ServerRequest, type Http1RequestSource } from './http1-server-request.js';
import { Http1ServerResponse, type Http1ResponseSink } from './http1-server-response.js';

/** A parse error from the native parser (`HPE_*`), or Orion's own (`ERR_HTTP_REQUEST_TIMEOUT`). */
export type Http1ClientError = Error & { code?: string };

/** Why reading is stopped: the request body waits unread, or a pipelined request waits for its turn. */
const PAUSED_BODY = 1;
const PAUSED_PIPELINE = 2;
/** After a parse error or a headers timeout: nothing more is read. */
const PAUSED_ERROR = 4;

/** llhttp's `on_headers_complete` answer for an upgrade (or CONNECT): no body, the parser pauses after the head. */
const UPGRADE = 2;

/** Envoy's `delayed_close_timeout` default: after its last response, how long a closing connection waits for the
 * client's FIN (reading and dropping what still arrives) before it closes, so the client reads the response rather
 * than a reset. */
const DELAYED_CLOSE_MS = 1000;

/**
 * One downstream HTTP/1.1 connection: a socket read by Node's native llhttp binding (straight from the socket handle
 * with `parser.consume()`), with one exchange at a time as Envoy serves HTTP/1.1 — a pipelined request is parsed and
 * waits (reading stops) until the response before it has ended. It closes after a response without keep-alive (the
 * client's `Connection: close`, HTTP/1.0, a response started before its request was complete, a drain), on a parse
 * error (after the server's error reply), when idle for the idle timeout, and when the client's FIN arrives (a
 * request under way is then reset, as Envoy does not half-close HTTP connections). Closing sends a FIN after the
 * last response and drops what still arrives until the client's FIN or Envoy's delayed close timeout.
 */
export class Http1ServerConnection implements Http1RequestSource, Http1ResponseSink {
  readonly socket: Socket;
  readonly #server: Http1Server;
  readonly #parser: NativeHttpParser;
  #handle: StreamHandle | undefined = undefined;
  #paused = 0;
  /** Header lines and URL the parser flushed before `headers complete`, and a message's trailers. */
  #partial: string[] = [];
  #partialUrl = '';
  /** A message started and its headers are not complete: `performance.now()` when it started, else 0. */
  headersStart = 0;
  /** A message is being parsed (from its first byte to its end). */
  #inMessage = false;
  /** The request whose body is being parsed. */
  #reading: Http1ServerRequest | undefined = undefined;
  /** The exchange being answered. */
  #active: Http1ServerResponse | undefined = undefined;
  /** Pipelined exchanges waiting for their turn. */
  readonly #queue: Http1ServerResponse[] = [];
  /** The connection sent its FIN: everything still arriving is dropped. */
  #discarding = false;
  /** An upgrade request was parsed in the current `execute`. */
  #upgrade: Http1ServerResponse | undefined = undefined;
  /** The connection takes no further request. */
  #closing = false;
  /** The client sent its FIN. */
  #peerEnded = false;
  #closed = false;
  /** A parse error or a headers timeout ended the connection's HTTP life. */
  #errored = false;
  #idleTimer: NodeJS.Timeout | undefined = undefined;
  #idleSince = 0;
  /** Requests dispatched on this connection. */
  #requests = 0;
  /** `max_connection_duration` (or `max_requests_per_connection`) was reached: the next response closes it. */
  #spent = false;
  #durationTimer: NodeJS.Timeout | undefined = undefined;
  readonly #onData = (chunk: Buffer): void => {
    // Only when the handle could not be consumed.
    this.#afterExecute(this.#parser.execute(chunk), chunk);
  };

  constructor(server: Http1Server, socket: Socket, parser: NativeHttpParser, head: Buffer | undefined) {
    this.#server = server;
    this.socket = socket;
    this.#parser = parser;
    const binding = server.binding;
    parser[binding.kOnMessageBegin] = this.#onMessageBegin.bind(this);
    parser[binding.kOnHeaders] = this.#onHeaders.bind(this);
    parser[binding.kOnHeadersComplete] = this.#onHeadersComplete.bind(this);
    parser[binding.kOnBody] = this.#onBody.bind(this);
    parser[binding.kOnMessageComplete] = this.#onMessageComplete.bind(this);
    parser[binding.kOnExecute] = this.#onExecute.bind(this);
    socket.on('error', noop);
    socket.on('end', this.#onEnd.bind(this));
    socket.once('close', this.#onClose.bind(this));
    socket.on('drain', this.#onDrain.bind(this));
    this.#idleSince = performance.now();
    this.#armIdle();
    const maxDuration = server.maxConnectionDurationMs;
    if (maxDuration > 0) {
      this.#durationTimer = setTimeout(this.#onMaxDuration.bind(this), maxDuration);
      this.#durationTimer.unref();
    }
    // Bytes already read (by the codec sniffer, or into the socket's buffer before it was handed over) go first.
    if (head !== undefined && head.length > 0 && !this.#feed(head)) return;
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) if (!this.#feed(chunk)) return;
    if (this.#closed || socket.destroyed) return;
    const handle = consumableHandle(socket);
    if (handle !== undefined) {
      parser.consume(handle);
      this.#handle = handle;
    }
    // The socket flows (the codec sniffer left it paused, and a paused socket stays paused when a data listener is
    // added): with a consumed handle no data reaches JS, but the EOF does, as 'end'.
    socket.on('data', this.#onData);
    socket.resume();
    // Pipelined requests in the bytes handed over: stop reading once the resume above has run (on the next tick).
    if (this.#paused !== 0) process.nextTick(stopIfPaused, this);
  }

  /** Stops reading if still paused (after the socket's own resume). */
  stopIfPaused(): void {
    if (this.#paused !== 0 && !this.#closed && !this.#detached) this.#stopReading();
  }

  /** No exchange is under way and no request has begun. */
  get idle(): boolean {
    return this.#active === undefined && this.#queue.length === 0 && !this.#inMessage;
  }

  /** Parses bytes handed over before the socket is read; false when that ended the connection's HTTP life. */
  #feed(chunk: Buffer): boolean {
    this.#afterExecute(this.#parser.execute(chunk), chunk);
    return !this.#closing;
  }

  /** The socket was handed over (upgrade). */
  #detached = false;

  // --- Http1ResponseSink ----------------------------------------------------------------------------------------

  keepAliveAllowed(): boolean {
    if (this.#closing || this.#spent) return false;
    const max = this.#server.maxRequestsPerConnection;
    if (max > 0 && this.#requests >= max) {
      // Envoy's max_requests_per_connection: the connection drains with this response.
      this.#spent = true;
      this.#server.counters.downstream_cx_max_requests_reached++;
      return false;
    }
    return this.#server.keepAliveAllowed();
  }

  responseEnded(res: Http1ServerResponse): void {
    if (res !== this.#active) return;
    this.#active = undefined;
    // A response written before its request was complete said `connection: close` (Envoy does not wait for the rest).
    if (res.upgrade || !res.shouldKeepAlive || this.#peerEnded || !res.req.complete) {
      this.#endSocket();
      return;
    }
    this.#next();
  }

  // --- Http1RequestSource ---------------------------------------------------------------------------------------

  pauseBody(): void {
    this.#pause(PAUSED_BODY);
  }

  resumeBody(): void {
    this.#resume(PAUSED_BODY);
  }

  // --- server controls ------------------------------------------------------------------------------------------

  /** Closes the connection now when idle (FIN after anything written); returns whether it did. */
  closeIfIdle(): boolean {
    if (!this.idle || this.#closed) return false;
    this.#closing = true;
    this.#endSocket();
    return true;
  }

  /** The request headers timeout elapsed: the server answers 408 (or resets an exchange under way). */
  headersTimedOut(): void {
    this.headersStart = 0;
    const err: Http1ClientError = new Error('request headers timeout');
    err.code = 'ERR_HTTP_REQUEST_TIMEOUT';
    this.#clientError(err);
  }

  // --- parser callbacks -----------------------------------------------------------------------------------------

  #onMessageBegin(): void {
    if (this.#discarding) return;
    this.#inMessage = true;
    if (this.#server.headersTimeoutMs > 0) this.headersStart = performance.now();
  }

  #onHeaders(headers: string[], url: string): void {
    if (this.#discarding) return;
    const partial = this.#partial;
    for (let i = 0; i < headers.length; i++) partial.push(headers[i] as string);
    if (this.#reading === undefined) this.#partialUrl += url;
  }

  #onHeadersComplete(major: number, minor: number, headers: string[] | undefined, method: number, url: string | undefined, _status: unknown, _text: unknown, upgrade: boolean, keepAlive: boolean): number {
    this.headersStart = 0;
    if (this.#discarding) return 0;
    let raw = headers ?? [];
    if (this.#partial.length > 0) {
      raw = headers === undefined ? this.#partial : [...this.#partial, ...headers];
      this.#partial = [];
    }
    let target = url ?? '';
    if (this.#partialUrl !== '') {
      target = this.#partialUrl + target;
      this.#partialUrl = '';
    }
    const server = this.#server;
    const req = new Http1ServerRequest(this, this.socket, server.methods[method] ?? 'UNKNOWN', target, major, minor, raw, keepAlive && !this.#closing);
    const res = new Http1ServerResponse(this, req, upgrade);
    if (upgrade) {
      this.#upgrade = res;
      return UPGRADE;
    }
    this.#reading = req;
    if (this.#active === undefined && this.#queue.length === 0) this.#dispatch(res);
    else {
      this.#queue.push(res);
      this.#pause(PAUSED_PIPELINE);
    }
    return 0;
  }

  #onBody(chunk: Buffer): void {
    this.#reading?.push(chunk);
  }

  #onMessageComplete(): void {
    if (this.#discarding) return;
    this.#inMessage = false;
    // Trailers of a request are not forwarded.
    if (this.#partial.length > 0) this.#partial = [];
    this.#partialUrl = '';
    const req = this.#reading;
    this.#reading = undefined;
    req?.end();
  }

  #onExecute(ret: number | Error): void {
    this.#afterExecute(ret, undefined);
  }

  #afterExecute(ret: number | Error, data: Buffer | undefined): void {
    if (typeof ret !== 'number') {
      if (this.#discarding) this.socket.destroy();
      else this.#clientError(ret as Http1ClientError);
      return;
    }
    const upgrade = this.#upgrade;
    if (upgrade === undefined) return;
    this.#upgrade = undefined;
    if (this.#active !== undefined || this.#queue.length > 0 || this.#discarding) {
      // An upgrade pipelined behind a request still being answered: nothing sane can follow.
      this.#closing = true;
      this.socket.destroy();
      return;
    }
    const buffer = data ?? this.#parser.getCurrentBuffer();
    const head = buffer.subarray(ret);
    this.#detach();
    this.#active = upgrade;
    this.#server.handler.onUpgrade(upgrade.req, upgrade, this.socket, head);
  }

  /** Hands the socket over (an upgrade): no more parsing; its bytes go to whoever reads it next. */
  #detach(): void {
    this.#detached = true;
    this.#closing = true;
    this.#inMessage = false;
    this.#clearIdle();
    const socket = this.socket;
    socket.off('data', this.#onData);
    if (this.#handle !== undefined) {
      this.#parser.unconsume();
      this.#handle = undefined;
    }
    // Whoever reads the socket next resumes it (a stopped handle starts reading again then).
    socket.pause();
    this.#paused = 0;
    this.#server.forget(this);
  }

  #clientError(err: Http1ClientError): void {
    if (this.#closed || this.#errored) return;
    this.#errored = true;
    this.#closing = true;
    this.headersStart = 0;
    this.#reading?.fail(err);
    const socket = this.socket;
    if (this.#active !== undefined || this.#detached) {
      // A request under way cannot be answered on top of its own response: reset it.
      socket.destroy();
      return;
    }
    // Nothing after the error is parsed.
    this.#pause(PAUSED_ERROR);
    this.#server.handler.onClientError(err, socket);
    this.#endSocket();
  }

  // --- exchanges ------------------------------------------------------------------------------------------------

  #dispatch(res: Http1ServerResponse): void {
    this.#active = res;
    this.#requests++;
    const req = res.req;
    // Envoy answers `Expect: 100-continue` itself and does not forward it.
    const expect = req.headers['expect'];
    if (typeof expect === 'string' && req.httpVersion === '1.1' && expect.toLowerCase() === '100-continue' && !req.complete) {
      this.socket.write('HTTP/1.1 100 Continue\r\n\r\n', 'latin1', noop);
    }
    this.#server.handler.onRequest(req, res);
  }

  #next(): void {
    const next = this.#queue.shift();
    if (next !== undefined) {
      if (this.#queue.length === 0) this.#resume(PAUSED_PIPELINE);
      // Not from inside the previous response's end (an upstream callback): on the next tick.
      process.nextTick(dispatchLater, this, next);
      return;
    }
    this.#resume(PAUSED_PIPELINE);
    if (this.#server.closing) {
      this.closeIfIdle();
      return;
    }
    this.#idleSince = performance.now();
    this.#armIdle();
  }

  /** A queued exchange's turn. */
  dispatchQueued(res: Http1ServerResponse): void {
    if (this.#closed || this.#discarding) return;
    this.#dispatch(res);
  }

  // --- flow control ---------------------------------------------------------------------------------------------

  #pause(reason: number): void {
    const was = this.#paused;
    this.#paused |= reason;
    if (was === 0) this.#stopReading();
  }

  #resume(reason: number): void {
    if ((this.#paused & reason) === 0) return;
    this.#paused &= ~reason;
    if (this.#paused === 0 && !this.#closed && !this.#detached) this.#startReading();
  }

  #stopReading(): void {
    stopReading(this.socket, this.#handle);
  }

  #startReading(): void {
    startReading(this.socket, this.#handle);
  }

  // --- socket events --------------------------------------------------------------------------------------------

  #onDrain(): void {
    this.#active?.emitDrain();
  }

  /**
   * The client's FIN. Envoy does not half-close HTTP connections: a request under way is reset (`DC`) and the
   * connection closes, as node:http's server does too.
   */
  #onEnd(): void {
    if (this.#detached) return;
    this.#peerEnded = true;
    if (this.#discarding || !this.idle) this.socket.destroy();
    else this.#endSocket();
  }

  #onClose(): void {
    this.#closed = true;
    this.#closing = true;
    this.#clearIdle();
    if (this.#durationTimer !== undefined) clearTimeout(this.#durationTimer);
    const parser = this.#parser;
    if (this.#handle !== undefined) {
      this.#handle = undefined;
      parser.unconsume();
    }
    parser.free();
    this.#server.forget(this);
    const closedErr: Http1ClientError = new Error('downstream connection closed');
    closedErr.code = 'ECONNRESET';
    this.#reading?.fail(closedErr);
    this.#reading = undefined;
    const active = this.#active;
    this.#active = undefined;
    this.#queue.length = 0;
    active?.emitClose();
  }

  /** Sends the FIN after what was written; the socket closes on the client's FIN or after the delayed close timeout. */
  #endSocket(): void {
    this.#closing = true;
    this.#clearIdle();
    const socket = this.socket;
    if (socket.destroyed || this.#discarding) return;
    this.#discarding = true;
    this.#inMessage = false;
    this.headersStart = 0;
    this.#queue.length = 0;
    // Whatever still arrives is read (and dropped) so the client is not reset before it reads the response.
    this.#paused = 0;
    this.#startReading();
    if (this.#peerEnded) {
      socket.end(() => socket.destroy());
      return;
    }
    if (!socket.writableEnded) socket.end();
    const linger = (): void => {
      const timer = setTimeout(() => {
        this.#server.counters.downstream_cx_delayed_close_timeout++;
        socket.destroy();
      }, DELAYED_CLOSE_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };
    if (socket.writableFinished) linger();
    else socket.once('finish', linger);
  }

  // --- idle timeout (Envoy's `idle_timeout`: no exchange for that long) --------------------------------------------

  #armIdle(): void {
    const ms = this.#server.idleTimeoutMs;
    if (ms <= 0 || this.#idleTimer !== undefined) return;
    this.#idleTimer = setTimeout(this.#onIdleTimer.bind(this), ms);
    this.#idleTimer.unref();
  }

  /** `max_connection_duration` elapsed: close now when idle, else after the response under way (`Connection: close`). */
  #onMaxDuration(): void {
    this.#durationTimer = undefined;
    if (this.#closed || this.#closing) return;
    this.#spent = true;
    this.#server.counters.downstream_cx_max_duration_reached++;
    this.closeIfIdle();
  }

  #clearIdle(): void {
    if (this.#idleTimer === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }

  #onIdleTimer(): void {
    this.#idleTimer = undefined;
    if (!this.idle || this.#closed) return;
    const remaining = this.#server.idleTimeoutMs - (performance.now() - this.#idleSince);
    if (remaining > 1) {
      this.#idleTimer = setTimeout(this.#onIdleTimer.bind(this), remaining);
      this.#idleTimer.unref();
      return;
    }
    this.#server.counters.downstream_cx_idle_timeout++;
    this.closeIfIdle();
  }
}

function noop(): void {
  // Socket errors end in its `close`, which the connection handles.
}

function stopIfPaused(connection: Http1ServerConnection): void {
  connection.stopIfPaused();
}

function dispatchLater(connection: Http1ServerConnection, res: Http1ServerResponse): void {
  connection.dispatchQueued(res);
}
