import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { UpstreamConnectionSlot } from './http1-pool-set.js';
import type { Http1Request, Http1RequestCarrier } from './http1-request.js';
import type { NativeHttpParser, NativeHttpParserBinding } from './native-http-parser.js';
import { consumableHandle, startReading, stopReading, type StreamHandle } from './socket-reading.js';
import { nextUpstreamConnectionId } from './upstream-connection-id.js';
import type { UpstreamTarget } from './upstream-target.js';

/** What one connection needs to know (the pool's settings). */
export interface Http1ConnectionSettings {
  readonly connectTimeoutMs: number;
  /** Idle time before the connection closes; 0: never (an upstream `Keep-Alive: timeout=` hint still applies). */
  readonly idleTimeoutMs: number;
  readonly maxResponseHeaderBytes: number;
  /** Requests one connection carries before it closes; 0: unlimited. */
  readonly maxRequestsPerConnection: number;
  /** Read through `parser.consume(handle)` when the socket allows it (default); false: `parser.execute(chunk)`. */
  readonly consume: boolean;
  /** `upstream_connection_options.tcp_keepalive.keepalive_time` (s): TCP keep-alive on each connection; undefined: off. */
  readonly tcpKeepaliveTimeS?: number;

}

/** What a connection tells its pool. */
export interface Http1ConnectionOwner {
  /** The connection was established (`onConnectionReady` follows). */
  onConnectionEstablished(connection: Http1UpstreamConnection): void;
  /** The connection is established and free: give it a request, or keep it idle. */
  onConnectionReady(connection: Http1UpstreamConnection): void;
  /** The connection could not be established (refused, timed out); `onConnectionClosed` follows. */
  onConnectionFailed(connection: Http1UpstreamConnection, err: Error & { code?: string }): void;
  /** The connection will never take another request (closing, closed by the upstream, out of requests). */
  onConnectionUnusable(connection: Http1UpstreamConnection): void;
  /** The socket closed; `connected` tells whether it had been established. */
  onConnectionClosed(connection: Http1UpstreamConnection, connected: boolean): void;
  /** A reused connection closed before any response byte: send `request` again on another connection. */
  redispatch(request: Http1Request): void;
}

/** undici's error for a connect timeout (`UND_ERR_CONNECT_TIMEOUT`: `UF`, a `connectionTimeout`). */
export class ConnectTimeoutError extends Error {
  readonly code = 'UND_ERR_CONNECT_TIMEOUT';
  override readonly name = 'ConnectTimeoutError';
}

/** undici's error for a connection that closed or failed under a request (`UND_ERR_SOCKET`: `UC`). */
export class UpstreamSocketError extends Error {
  readonly code = 'UND_ERR_SOCKET';
  override readonly name = 'SocketError';
}

/** A response that is not valid HTTP/1.1 (`UPE`): llhttp's `HPE_*` code, or `UND_ERR_HEADERS_OVERFLOW`. */
export class UpstreamProtocolError extends Error {
  readonly code: string;
  override readonly name: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
    this.name = code === 'UND_ERR_HEADERS_OVERFLOW' ? 'HeadersOverflowError' : 'HTTPParserError';
  }
}

/** undici's error for a request body that does not match its `content-length`. */
export class RequestContentLengthMismatchError extends Error {
  readonly code = 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH';
  override readonly name = 'RequestContentLengthMismatchError';
  constructor() {
    super('Request body length does not match content-length header');
  }
}

/** Connections with a taken request whose head waits for the check phase. */
let pendingHeads: Http1UpstreamConnection[] = [];

function writePendingHeads(): void {
  const list = pendingHeads;
  pendingHeads = [];
  for (let i = 0; i < list.length; i++) (list[i] as Http1UpstreamConnection).writeHead();
}

/** `Keep-Alive: timeout=N` (seconds). */
const KEEP_ALIVE_TIMEOUT = /timeout=(\d+)/i;

type ConnectionState = 'connecting' | 'idle' | 'busy' | 'closed';

/**
 * One HTTP/1.1 connection to an upstream host: a `node:net` socket read by Node's native llhttp binding (straight
 * from the socket handle with `parser.consume()` for TCP and pipes). It carries one request at a time: writes the
 * head (one `socket.write`) and the body (content-length or chunked, waiting for `drain`), hands the response to
 * the request's handler (pausing reads while the handler applies backpressure), and tells its pool when it is free
 * again, unusable or closed. The parser, its callbacks and the resume function are created once per connection.
 */
export class Http1UpstreamConnection implements Http1RequestCarrier {
  readonly socket: Socket;
  /** `%UPSTREAM_CONNECTION_ID%` and the socket for `%UPSTREAM_LOCAL_ADDRESS%`. */
  readonly slot: UpstreamConnectionSlot;
  /** When the connection attempt started (`performance.now()`), for `upstream_cx_connect_ms` / `_length_ms`. */
  readonly openedAt: number;
  readonly #owner: Http1ConnectionOwner;
  readonly #settings: Http1ConnectionSettings;
  readonly #parser: NativeHttpParser;
  /** The authority line added to requests without `host`. */
  readonly #hostLine: string;
  #state: ConnectionState = 'connecting';
  /** Bytes of the socket already reported by {@link takeBytes}. */
  #bytesReadReported = 0;
  #bytesWrittenReported = 0;
  #consumed = false;
  #handle: StreamHandle | undefined = undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined = undefined;
  #idleSince = 0;
  /** The upstream's `Keep-Alive: timeout=` in ms, or 0. */
  #keepAliveHintMs = 0;
  #request: Http1Request | undefined = undefined;
  /** Requests written on this connection. */
  #sent = 0;
  /** The connection takes no further request (last allowed request, `Connection: close`, EOF, pool closing). */
  #retiring = false;
  /** Response bytes were parsed since the current request was written. */
  #responseBytes = false;
  #writtenHead = false;
  #informational = false;
  #keepAlive = true;
  #paused = false;
  #error: (Error & { code?: string }) | undefined = undefined;
  /** Closed by its pool (destroy): the current request fails, it is not sent again. */
  #destroyedLocally = false;
  #unref = false;
  /** The upstream sent its FIN. */
  #peerEnded = false;
  /** The current request is the last this connection takes (`Connection: close`). */
  #last = false;
  #headers: string[] = [];
  readonly resume: () => void;

  constructor(target: UpstreamTarget, settings: Http1ConnectionSettings, binding: NativeHttpParserBinding, owner: Http1ConnectionOwner) {
    this.#owner = owner;
    this.#settings = settings;
    this.openedAt = performance.now();
    this.#hostLine = target.type === 'pipe' ? 'host: localhost\r\n' : `host: ${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}\r\n`;
    const socket = target.type === 'pipe' ? createConnection({ path: target.path }) : createConnection({ host: target.host, port: target.port, noDelay: true });
    this.socket = socket;
    this.slot = { socket, connectionId: 0, localAddress: undefined };
    this.resume = this.#resume.bind(this);
    const parser = new binding();
    parser.initialize(binding.RESPONSE, {}, settings.maxResponseHeaderBytes, 0);
    parser[binding.kOnHeaders] = this.#onHeaders.bind(this);
    parser[binding.kOnHeadersComplete] = this.#onHeadersComplete.bind(this);
    parser[binding.kOnBody] = this.#onBody.bind(this);
    parser[binding.kOnMessageComplete] = this.#onMessageComplete.bind(this);
    parser[binding.kOnExecute] = this.#onExecute.bind(this);
    this.#parser = parser;
    this.#connectTimer = setTimeout(this.#onConnectTimeout.bind(this), settings.connectTimeoutMs);
    socket.once('connect', this.#onConnect.bind(this));
    socket.on('error', this.#onError.bind(this));
    socket.on('end', this.#onEnd.bind(this));
    socket.on('close', this.#onClose.bind(this));
  }

  /** True while the connection can take a request (established, not retiring). */
  get usable(): boolean {
    return (this.#state === 'idle' || this.#state === 'busy') && !this.#retiring;
  }

  /** True while a request is on the connection. */
  get busy(): boolean {
    return this.#request !== undefined;
  }

  /**
   * Takes `request`: tells its handler (`onConnect`), then writes it. Returns false when the handler aborted it
   * right away — nothing was written and the connection is still free.
   */
  take(request: Http1Request): boolean {
    const handler = request.handler;
    request.state = 'active';
    request.carrier = this;
    this.#request = request;
    this.#writtenHead = false;
    handler.upstreamConnection = this.slot;
    if (!request.connectNotified) {
      request.connectNotified = true;
      handler.onConnect?.(request.abort);
      if (this.#request !== request) return false;
    }
    this.#state = 'busy';
    if (this.#unref) {
      this.#unref = false;
      this.socket.ref();
    }
    this.#sent++;
    const max = this.#settings.maxRequestsPerConnection;
    const last = this.#retiring || (max > 0 && this.#sent >= max);
    if (last && !this.#retiring) this.#retire();
    this.#last = last;
    this.#responseBytes = false;
    // Written in the check phase, after this loop iteration's reads: the heads of every request taken in one
    // iteration go out back to back (the upstream wakes once for them), and a FIN that was already pending on a
    // reused connection is seen before anything is written to it (as undici checks idle sockets).
    pendingHeads.push(this);
    if (pendingHeads.length === 1) setImmediate(writePendingHeads);
    return true;
  }

  /** Writes the taken request's head (and starts its body), unless the connection ended or was dropped meanwhile. */
  writeHead(): void {
    const request = this.#request;
    const socket = this.socket;
    if (request === undefined || this.#writtenHead || this.#peerEnded || socket.destroyed) return;
    const head = request.head;
    this.#writtenHead = true;
    socket.write(`${head.text}${head.needsHost ? this.#hostLine : ''}${this.#last ? 'connection: close\r\n\r\n' : 'connection: keep-alive\r\n\r\n'}`, 'latin1');
    if (request.body !== null) void this.#writeBody(request, request.body);
  }

  /** Aborts the current request: before anything was written the connection stays free, else it is destroyed. */
  abortRequest(request: Http1Request, err: Error): void {
    if (this.#request !== request) return;
    this.#request = undefined;
    const taken = this.#state === 'busy';
    if (this.#writtenHead) {
      this.#retire();
      this.socket.destroy();
    }
    request.fail(err);
    // Aborted after take() but before its head went out: nothing reached the upstream, the connection is free.
    if (taken && !this.#writtenHead && this.#state === 'busy' && !this.#retiring) this.#release();
  }

  /** Stops taking requests; closes now when idle, else after the current response. */
  close(): void {
    this.#retire();
    if (this.#request === undefined) this.socket.destroy();
  }

  /** Closes now, failing the current request. */
  destroy(err: Error): void {
    this.#destroyedLocally = true;
    this.#retire();
    this.#error ??= err;
    this.socket.destroy();
  }

  #retire(): void {
    if (this.#retiring) return;
    this.#retiring = true;
    if (this.#state !== 'closed' && this.#state !== 'connecting') this.#owner.onConnectionUnusable(this);
  }

  // --- socket events -------------------------------------------------------------------------------------------

  #onConnect(): void {
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    const socket = this.socket;
    this.slot.connectionId = nextUpstreamConnectionId();
    const keepalive = this.#settings.tcpKeepaliveTimeS;
    if (keepalive !== undefined) socket.setKeepAlive(true, keepalive * 1000);
    const handle = consumableHandle(socket);
    if (this.#settings.consume && handle !== undefined) {
      this.#parser.consume(handle);
      this.#handle = handle;
      this.#consumed = true;
    }
    // A data listener puts the socket in flowing mode: with a consumed handle no data reaches JS, but the EOF
    // does (as 'end').
    socket.on('data', this.#onData.bind(this));
    this.#state = 'idle';
    this.#owner.onConnectionEstablished(this);
    this.#release();
  }

  /**
   * Hands `report` the bytes received and sent on the socket since the last call (`upstream_cx_rx_bytes_total`,
   * `_tx_bytes_total`), if any. Read from the handle, so bytes the native parser consumed straight from it count too.
   */
  takeBytes(report: (received: number, sent: number) => void): void {
    const read = this.socket.bytesRead;
    const written = this.socket.bytesWritten;
    const received = read - this.#bytesReadReported;
    const sent = written - this.#bytesWrittenReported;
    if (received === 0 && sent === 0) return;
    this.#bytesReadReported = read;
    this.#bytesWrittenReported = written;
    report(received, sent);
  }

  /** Offers the free connection to the pool; when it takes no request, the connection idles (unref'd, timed). */
  #release(): void {
    this.#state = 'idle';
    this.#owner.onConnectionReady(this);
    if (this.#request !== undefined || this.#state !== 'idle') return;
    this.#idleSince = performance.now();
    if (!this.#unref) {
      this.#unref = true;
      this.socket.unref();
    }
    this.#armIdle();
  }

  #onConnectTimeout(): void {
    this.#connectTimer = undefined;
    this.socket.destroy(new ConnectTimeoutError(`Connect Timeout Error (timeout: ${this.#settings.connectTimeoutMs}ms)`));
  }

  #onError(err: Error & { code?: string }): void {
    if (this.#state === 'connecting') {
      clearTimeout(this.#connectTimer);
      this.#connectTimer = undefined;
      this.#retiring = true;
      this.#owner.onConnectionFailed(this, err);
      return;
    }
    this.#error ??= err;
  }

  #onData(chunk: Buffer): void {
    // Only without a consumed handle.
    if (this.#request !== undefined) this.#responseBytes = true;
    const ret = this.#parser.execute(chunk);
    if (ret instanceof Error) this.#onParseError(ret as Error & { code?: string });
  }

  #onEnd(): void {
    this.#peerEnded = true;
    this.#retire();
    // A body delimited by the connection's end completes now; an incomplete message stays failed below.
    if (this.#request !== undefined) this.#parser.finish();
  }

  #onClose(): void {
    const wasConnected = this.#state !== 'connecting';
    this.#state = 'closed';
    this.#retiring = true;
    clearTimeout(this.#connectTimer);
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const parser = this.#parser;
    if (this.#consumed) {
      this.#consumed = false;
      parser.unconsume();
    }
    parser.free();
    const request = this.#request;
    this.#request = undefined;
    this.#owner.onConnectionClosed(this, wasConnected);
    if (request === undefined || request.state === 'done') return;
    // A reused connection the upstream closed as the request went out, before any response byte: undici never
    // writes to such a connection; a request that may safely go again goes out on a fresh connection.
    const err = this.#error;
    // Not written yet (the connection ended before the check phase): any request may go to another connection.
    const unwritten = !this.#writtenHead && !request.redispatched;
    if (!this.#destroyedLocally && (unwritten || (this.#sent > 1 && !this.#responseBytes && !(err instanceof UpstreamProtocolError) && request.redispatchable))) {
      request.redispatched = true;
      request.state = 'queued';
      request.carrier = undefined;
      this.#owner.redispatch(request);
      return;
    }
    request.fail(err !== undefined && (err.code !== undefined || err instanceof UpstreamSocketError) ? err : new UpstreamSocketError(err?.message ?? 'other side closed'));
  }

  // --- parser callbacks (`this` bound once per connection) ------------------------------------------------------

  #onExecute(ret: number | Error): void {
    if (typeof ret !== 'number') {
      this.#onParseError(ret as Error & { code?: string });
      return;
    }
    if (ret > 0 && this.#request !== undefined) this.#responseBytes = true;
  }

  #onParseError(err: Error & { code?: string; reason?: string }): void {
    const code = err.code ?? 'HPE_INTERNAL';
    const protocolError =
      code === 'HPE_HEADER_OVERFLOW'
        ? new UpstreamProtocolError(`response headers exceed ${this.#settings.maxResponseHeaderBytes} bytes`, 'UND_ERR_HEADERS_OVERFLOW')
        : new UpstreamProtocolError(`Response does not match the HTTP/1.1 protocol (${err.reason ?? err.message})`, code);
    this.destroy(protocolError);
  }

  #onHeaders(headers: string[]): void {
    // More than 32 header lines (flushed before headers-complete), or trailers (flushed before message-complete).
    for (let i = 0; i < headers.length; i++) this.#headers.push(headers[i] as string);
  }

  #onHeadersComplete(_major: number, _minor: number, headers: string[] | undefined, _method: unknown, _url: unknown, status: number, statusText: string | undefined, upgrade: boolean, keepAlive: boolean): number {
    const request = this.#request;
    let all = headers;
    if (this.#headers.length > 0) {
      all = headers === undefined ? this.#headers : [...this.#headers, ...headers];
      this.#headers = [];
    }
    all ??= [];
    if (request === undefined || !this.#writtenHead || upgrade) {
      // A response nobody asked for, or a protocol switch nobody asked for.
      this.destroy(new UpstreamProtocolError(upgrade && this.#writtenHead ? 'unexpected protocol upgrade' : 'unsolicited response', 'UND_ERR_INFO'));
      return 1;
    }
    if (status < 200) {
      this.#informational = true;
      return 1;
    }
    this.#keepAlive = keepAlive;
    for (let i = 0; i < all.length; i += 2) {
      const name = all[i] as string;
      if (name.length === 10 && name.toLowerCase() === 'keep-alive') {
        const m = KEEP_ALIVE_TIMEOUT.exec(all[i + 1] as string);
        if (m !== null) this.#keepAliveHintMs = Number(m[1]) * 1000;
      }
    }
    const handler = request.handler;
    let more: boolean;
    try {
      more = handler.onHeaders?.(status, all, this.resume, statusText ?? '') ?? true;
    } catch (err) {
      this.#handlerFailed(err);
      return 1;
    }
    if (!more) this.#pause();
    return request.isHead ? 1 : 0;
  }

  #onBody(chunk: Buffer): void {
    const request = this.#request;
    if (request === undefined) return;
    let more: boolean;
    try {
      more = request.handler.onData?.(chunk) ?? true;
    } catch (err) {
      this.#handlerFailed(err);
      return;
    }
    if (!more) this.#pause();
  }

  #onMessageComplete(): void {
    if (this.#informational) {
      this.#informational = false;
      this.#headers = [];
      return;
    }
    const request = this.#request;
    if (request === undefined) return;
    const trailers = this.#headers.length > 0 ? this.#headers : null;
    if (trailers !== null) this.#headers = [];
    this.#request = undefined;
    request.state = 'done';
    request.carrier = undefined;
    if (!this.#keepAlive || !request.bodyDone) this.#retire();
    if (this.#paused) this.#resume();
    try {
      request.handler.onComplete?.(trailers);
    } catch (err) {
      this.destroy(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.#retiring) {
      this.socket.destroy();
      return;
    }
    this.#release();
  }

  #handlerFailed(err: unknown): void {
    const request = this.#request;
    this.#request = undefined;
    this.#retire();
    this.socket.destroy();
    request?.fail(err instanceof Error ? err : new Error(String(err)));
  }

  // --- flow control ---------------------------------------------------------------------------------------------

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    stopReading(this.socket, this.#handle);
  }

  #resume(): void {
    if (!this.#paused || this.#state === 'closed') return;
    this.#paused = false;
    startReading(this.socket, this.#handle);
  }

  // --- idle timeout ---------------------------------------------------------------------------------------------

  #idleTimeoutMs(): number {
    const configured = this.#settings.idleTimeoutMs;
    const hint = this.#keepAliveHintMs;
    if (hint > 0 && (configured === 0 || hint < configured)) return hint;
    return configured;
  }

  #armIdle(): void {
    if (this.#idleTimer !== undefined) return;
    const ms = this.#idleTimeoutMs();
    if (ms <= 0) return;
    this.#idleTimer = setTimeout(this.#onIdleTimer.bind(this), ms);
    this.#idleTimer.unref();
  }

  #onIdleTimer(): void {
    this.#idleTimer = undefined;
    if (this.#state !== 'idle') return;
    const remaining = this.#idleTimeoutMs() - (performance.now() - this.#idleSince);
    if (remaining <= 1) {
      this.close();
      return;
    }
    this.#idleTimer = setTimeout(this.#onIdleTimer.bind(this), remaining);
    this.#idleTimer.unref();
  }

  // --- request body ---------------------------------------------------------------------------------------------

  async #writeBody(request: Http1Request, body: AsyncIterable<Buffer>): Promise<void> {
    const socket = this.socket;
    const expected = request.head.contentLength;
    const chunked = expected < 0;
    let written = 0;
    try {
      for await (const chunk of body) {
        if (this.#request !== request || socket.destroyed) return;
        if (chunk.length === 0) continue;
        written += chunk.length;
        if (!chunked && written > expected) throw new RequestContentLengthMismatchError();
        let ok: boolean;
        if (chunked) {
          socket.cork();
          socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
          socket.write(chunk);
          ok = socket.write('\r\n', 'latin1');
          socket.uncork();
        } else {
          ok = socket.write(chunk);
        }
        if (!ok && !(await drained(socket))) return;
      }
      if (this.#request !== request || socket.destroyed) return;
      if (!chunked && written !== expected) throw new RequestContentLengthMismatchError();
      if (chunked) socket.write('0\r\n\r\n', 'latin1');
      request.bodyDone = true;
    } catch (err) {
      if (this.#request !== request) return;
      this.#request = undefined;
      this.#retire();
      socket.destroy();
      request.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/** Resolves true on `drain`, false when the socket closes first. */
function drained(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = (): void => {
      socket.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      socket.off('drain', onDrain);
      resolve(false);
    };
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}
