import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../../error-codes.js';
import { loadNativeHttpServerParser, type NativeHttpParserBinding } from '../../transport/native-http-parser.js';
import { Http1ServerConnection, type Http1ClientError } from './http1-server-connection.js';
import type { Http1ServerRequest } from './http1-server-request.js';
import type { Http1ServerResponse } from './http1-server-response.js';

/** Limits and timeouts of an {@link Http1Server} (Envoy's, from the HTTP connection manager). */
export interface Http1ServerOptions {
  /** Most bytes of a request head (`max_request_headers_kb`); more is `HPE_HEADER_OVERFLOW`. */
  readonly maxHeaderBytes: number;
  /** `request_headers_timeout`: from a request's first byte to its last header byte; 0: none. */
  readonly headersTimeoutMs: number;
  /** `idle_timeout`: a connection with no exchange for this long closes; 0: never. */
  readonly idleTimeoutMs: number;
  /** `max_requests_per_connection`: the response to this many-th request closes the connection; 0: no limit. */
  readonly maxRequestsPerConnection?: number;
  /** `max_connection_duration`: after this long a connection closes once idle (or after its response); 0: never. */
  readonly maxConnectionDurationMs?: number;
}

/** The connection manager counters an {@link Http1Server} increments (Envoy's `http.<stat_prefix>.*` names). */
export interface Http1ServerCounters {
  downstream_cx_idle_timeout: number;
  downstream_cx_drain_close: number;
  downstream_cx_delayed_close_timeout: number;
  downstream_cx_max_requests_reached: number;
  downstream_cx_max_duration_reached: number;
}

/** Where an {@link Http1Server} hands what it reads. */
export interface Http1ServerHandler {
  /** A request to answer on `res` (its body follows on `req`). */
  onRequest(req: Http1ServerRequest, res: Http1ServerResponse): void;
  /** An `Upgrade` (or CONNECT) request: the socket is the handler's now; `head` is what the client sent after it. */
  onUpgrade(req: Http1ServerRequest, res: Http1ServerResponse, socket: Socket, head: Buffer): void;
  /**
   * Bytes that are not an HTTP/1.1 request (`err.code`: llhttp's `HPE_*`), or `ERR_HTTP_REQUEST_TIMEOUT`, on a
   * connection with no exchange under way: write a reply to `socket` or destroy it (the connection ends either way).
   */
  onClientError(err: Http1ClientError, socket: Socket): void;
}

/**
 * The HTTP/1.1 server side of the connection manager: a lean codec on Node's native llhttp binding (what
 * `node:http` parses with), reading each connection straight from its socket handle and writing responses as
 * latin1 strings — without `node:http`'s `IncomingMessage`/`ServerResponse` streams. It keeps what the connection
 * manager relies on: llhttp's strict parsing (request smuggling, bad framing and oversized heads are errors),
 * keep-alive and sequential pipelining, `Expect: 100-continue`, upgrades, the request headers timeout, the
 * connection idle timeout, and draining (`Connection: close` on every response once closing or when the drain
 * decision says so).
 */
export class Http1Server {
  readonly binding: NativeHttpParserBinding;
  readonly methods: readonly string[];
  readonly handler: Http1ServerHandler;
  readonly headersTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxRequestsPerConnection: number;
  readonly maxConnectionDurationMs: number;
  readonly #maxHeaderBytes: number;
  readonly #connections = new Set<Http1ServerConnection>();
  /** No new keep-alive: responses carry `Connection: close`, idle connections close. */
  closing = false;
  readonly counters: Http1ServerCounters;
  #drainDecision: (() => boolean) | undefined = undefined;
  #sweep: NodeJS.Timeout | undefined = undefined;

  constructor(options: Http1ServerOptions, handler: Http1ServerHandler, counters: Http1ServerCounters) {
    const parser = loadNativeHttpServerParser();
    if (parser === null) {
      throw new OrionError(LibErrorCode.HTTP1_PARSER_UNAVAILABLE, `this Node.js (${process.version}) has no native HTTP parser binding of the shape Orion's HTTP/1.1 codec uses`);
    }
    this.binding = parser.binding;
    this.methods = parser.methods;
    this.handler = handler;
    this.counters = counters;
    this.#maxHeaderBytes = options.maxHeaderBytes;
    this.headersTimeoutMs = options.headersTimeoutMs;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.maxRequestsPerConnection = options.maxRequestsPerConnection ?? 0;
    this.maxConnectionDurationMs = options.maxConnectionDurationMs ?? 0;
  }

  /** Connections open now. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Serves `socket`; `head` holds bytes already read from it (by the codec sniffer). */
  handle(socket: Socket, head?: Buffer): void {
    const parser = new this.binding();
    parser.initialize(this.binding.REQUEST, {}, this.#maxHeaderBytes, 0);
    const connection = new Http1ServerConnection(this, socket, parser, head);
    if (socket.destroyed) return;
    this.#connections.add(connection);
    if (this.headersTimeoutMs > 0 && this.#sweep === undefined) this.#startSweep();
    if (this.closing) connection.closeIfIdle();
  }

  /** Whether a response written now may keep its connection open (a drain closes it: `downstream_cx_drain_close`). */
  keepAliveAllowed(): boolean {
    const decide = this.#drainDecision;
    if (!this.closing && (decide === undefined || !decide())) return true;
    this.counters.downstream_cx_drain_close++;
    return false;
  }

  /** The connection ended or was handed over (upgrade). */
  forget(connection: Http1ServerConnection): void {
    this.#connections.delete(connection);
    if (this.#connections.size === 0) this.#stopSweep();
  }

  /**
   * Drains while accepting (admin `/drain_listeners?graceful`): each response written from now on asks `decide()`
   * (Envoy's `drainClose()`) and carries `Connection: close` when it says so. Idle connections are left open.
   */
  drainClose(decide: () => boolean): void {
    this.#drainDecision = decide;
  }

  /** Stops keep-alive: idle connections close now, busy ones after their response (`Connection: close`). */
  close(): void {
    this.closing = true;
    for (const connection of this.#connections) connection.closeIfIdle();
  }

  /** Closes every connection now. */
  destroy(): void {
    this.closing = true;
    this.#stopSweep();
    for (const connection of this.#connections) connection.socket.destroy();
  }

  // Envoy's request_headers_timeout, checked on an interval (as node:http does) rather than a timer per request.
  #startSweep(): void {
    const period = Math.max(50, Math.min(1000, Math.floor(this.headersTimeoutMs / 4)));
    this.#sweep = setInterval(() => {
      const deadline = performance.now() - this.headersTimeoutMs;
      for (const connection of this.#connections) {
        const start = connection.headersStart;
        if (start !== 0 && start <= deadline) connection.headersTimedOut();
      }
    }, period);
    this.#sweep.unref();
  }

  #stopSweep(): void {
    if (this.#sweep === undefined) return;
    clearInterval(this.#sweep);
    this.#sweep = undefined;
  }
}
