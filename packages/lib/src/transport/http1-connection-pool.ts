import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { PendingOverflowError, unrecordedPoolStats, type ConnectionPoolStats } from './connection-pool-stats.js';
import { buildRequestHead, type Http1HeaderValue } from './http1-request-head.js';
import { Http1Request, type Http1ResponseHandler } from './http1-request.js';
import type { Http1PoolEvents } from './http1-pool-set.js';
import { Http1UpstreamConnection, type Http1ConnectionOwner, type Http1ConnectionSettings } from './http1-upstream-connection.js';
import type { NativeHttpParserBinding } from './native-http-parser.js';
import type { UpstreamTarget } from './upstream-target.js';

/** undici's error for a request sent to a closed pool (`UND_ERR_CLOSED`, a local reset). */
export class PoolClosedError extends Error {
  readonly code = 'UND_ERR_CLOSED';
  override readonly name = 'ClientClosedError';
  constructor() {
    super('The client is closed');
  }
}

/** undici's error for requests failed by `destroy()` (`UND_ERR_DESTROYED`, a local reset). */
export class PoolDestroyedError extends Error {
  readonly code = 'UND_ERR_DESTROYED';
  override readonly name = 'ClientDestroyedError';
  constructor() {
    super('The client is destroyed');
  }
}

/** What {@link Http1ConnectionPool.dispatch} accepts: undici's dispatch options, the fields this pool reads. */
export type Http1DispatchOptions = Pick<Dispatcher.DispatchOptions, 'method' | 'path' | 'upgrade'> & {
  readonly headers?: Readonly<Record<string, Http1HeaderValue>> | null | undefined;
  readonly body?: AsyncIterable<Buffer> | null | undefined;
};

/**
 * The HTTP/1.1 connections to one upstream host, on Node's native HTTP parser: keep-alive connections reused
 * most-recently-freed first, at most `maxConnectionsPerHost` of them, and a FIFO queue of requests waiting for one
 * (counted in `stats.pending` while they wait; each connection's connect time and length go to `stats`).
 * It speaks undici's `dispatch(options, handler)` protocol; requests it does not serve itself (upgrades) go to the
 * `fallback` dispatcher, created on first use.
 */
export class Http1ConnectionPool implements Http1ConnectionOwner {
  readonly #target: UpstreamTarget;
  readonly #label: string;
  readonly #settings: Http1ConnectionSettings;
  readonly #maxConnections: number;
  readonly #maxPending: number;
  readonly #binding: NativeHttpParserBinding;
  readonly #events: Http1PoolEvents;
  readonly #stats: ConnectionPoolStats;
  /** `events.onBytes` for this host, bound once. */
  readonly #onBytes: ((received: number, sent: number) => void) | undefined;
  readonly #createFallback: () => Dispatcher;
  #fallback: Dispatcher | undefined = undefined;
  readonly #connections = new Set<Http1UpstreamConnection>();
  /** Free connections; the most recently freed last. */
  readonly #idle: Http1UpstreamConnection[] = [];
  /** Requests waiting for a connection, oldest at `#queueHead`. */
  #queue: Http1Request[] = [];
  #queueHead = 0;
  /** Connections still connecting. */
  #connecting = 0;
  #closing = false;
  #whenClosed: Promise<void> | undefined = undefined;
  #onAllClosed: (() => void) | undefined = undefined;

  constructor(
    target: UpstreamTarget,
    label: string,
    settings: Http1ConnectionSettings & { readonly maxConnectionsPerHost: number; readonly maxPendingRequests?: number },
    binding: NativeHttpParserBinding,
    events: Http1PoolEvents,
    createFallback: () => Dispatcher,
    stats: ConnectionPoolStats = unrecordedPoolStats(),
  ) {
    this.#target = target;
    this.#label = label;
    this.#settings = settings;
    this.#maxConnections = Math.max(1, settings.maxConnectionsPerHost);
    this.#maxPending = Math.max(0, settings.maxPendingRequests ?? 1024);
    this.#binding = binding;
    this.#events = events;
    this.#stats = stats;
    const onBytes = events.onBytes;
    this.#onBytes = onBytes === undefined ? undefined : (received, sent) => onBytes(label, received, sent);
    this.#createFallback = createFallback;
  }

  /** Connections open or opening. */
  get connections(): number {
    return this.#connections.size;
  }

  /** Requests waiting for a connection. */
  get queued(): number {
    return this.#queue.length - this.#queueHead;
  }

  /**
   * Sends a request: on a free connection at once, on a new one while under the limit, else after the requests
   * queued before it. An invalid request (CR/LF/NUL in a header, a bad method) fails through `handler.onError`.
   */
  dispatch(options: Http1DispatchOptions, handler: Http1ResponseHandler): boolean {
    if (options.upgrade !== undefined && options.upgrade !== null) {
      this.#fallback ??= this.#createFallback();
      return this.#fallback.dispatch(options as Dispatcher.DispatchOptions, handler as unknown as Dispatcher.DispatchHandler);
    }
    if (this.#closing) {
      handler.onError?.(new PoolClosedError());
      return false;
    }
    const body = options.body ?? null;
    let request: Http1Request;
    try {
      const method = options.method;
      request = new Http1Request(buildRequestHead(method, options.path, options.headers ?? {}, body !== null), method, body, handler);
    } catch (err) {
      handler.onError?.(err as Error);
      return false;
    }
    const idle = this.#idle.pop();
    if (idle !== undefined) {
      // take() is false only when the handler aborted in onConnect: nothing was written, the connection is free.
      if (!idle.take(request)) this.#idle.push(idle);
      return true;
    }
    const pending = this.#stats.pending;
    if (pending.upstream_rq_pending_active >= this.#maxPending) {
      // Circuit breaker `max_pending_requests` (cluster-wide): refused before it waits.
      pending.upstream_rq_pending_overflow++;
      request.fail(new PendingOverflowError());
      return true;
    }
    this.#enqueue(request);
    this.#connectIfNeeded();
    return true;
  }

  /** Lets in-flight and queued requests finish, then closes every connection. */
  close(): Promise<void> {
    this.#closing = true;
    this.#whenClosed ??= new Promise<void>((resolve) => {
      this.#onAllClosed = resolve;
    });
    for (const connection of this.#idle.splice(0)) connection.close();
    this.#checkClosed();
    const fallback = this.#fallback;
    return fallback === undefined ? this.#whenClosed : Promise.all([this.#whenClosed, fallback.close()]).then(() => undefined);
  }

  /** Closes every connection now, failing in-flight and queued requests. */
  destroy(): Promise<void> {
    this.#closing = true;
    this.#whenClosed ??= new Promise<void>((resolve) => {
      this.#onAllClosed = resolve;
    });
    const queued = this.#queue.slice(this.#queueHead);
    this.#queue = [];
    this.#queueHead = 0;
    this.#stats.pending.upstream_rq_pending_active -= queued.length;
    for (const request of queued) request.fail(request.abortReason ?? new PoolDestroyedError());
    this.#idle.length = 0;
    for (const connection of this.#connections) connection.destroy(new PoolDestroyedError());
    this.#checkClosed();
    const fallback = this.#fallback;
    return fallback === undefined ? this.#whenClosed : Promise.all([this.#whenClosed, fallback.destroy()]).then(() => undefined);
  }

  // --- Http1ConnectionOwner -------------------------------------------------------------------------------------

  onConnectionEstablished(connection: Http1UpstreamConnection): void {
    this.#connecting--;
    this.#stats.connectMs.record(performance.now() - connection.openedAt);
    this.#events.onConnect?.(this.#label);
  }

  onConnectionReady(connection: Http1UpstreamConnection): void {
    this.#reportBytes(connection);
    if (!this.#serve(connection)) {
      if (this.#closing && this.queued === 0) connection.close();
      else this.#idle.push(connection);
    }
  }

  onConnectionFailed(connection: Http1UpstreamConnection, err: Error & { code?: string }): void {
    this.#events.onConnectError?.(this.#label, err);
    // One failed connection attempt fails the oldest waiting request (undici fails the requests it assigned).
    void connection;
    for (;;) {
      const request = this.#shift();
      if (request === undefined) return;
      if (request.abortReason !== undefined) {
        request.fail(request.abortReason);
        continue;
      }
      request.fail(err);
      return;
    }
  }

  onConnectionUnusable(connection: Http1UpstreamConnection): void {
    const i = this.#idle.indexOf(connection);
    if (i >= 0) this.#idle.splice(i, 1);
    // A connection on its last request frees a slot for queued requests only once it closes.
  }

  onConnectionClosed(connection: Http1UpstreamConnection, connected: boolean): void {
    this.#connections.delete(connection);
    this.#stats.lengthMs.record(performance.now() - connection.openedAt);
    if (connected) this.#reportBytes(connection);
    if (connected) this.#events.onDisconnect?.(this.#label);
    else this.#connecting--;
    const i = this.#idle.indexOf(connection);
    if (i >= 0) this.#idle.splice(i, 1);
    this.#connectIfNeeded();
    this.#checkClosed();
  }

  /** Reports the bytes a connection moved since its last report (after each response and when it closes). */
  #reportBytes(connection: Http1UpstreamConnection): void {
    if (this.#onBytes !== undefined) connection.takeBytes(this.#onBytes);
  }

  redispatch(request: Http1Request): void {
    // Ahead of everything queued: it was picked up first. It waits for a connection again, and counts so.
    if (this.#queueHead > 0) this.#queue[--this.#queueHead] = request;
    else this.#queue.unshift(request);
    const pending = this.#stats.pending;
    pending.upstream_rq_pending_total++;
    pending.upstream_rq_pending_active++;
    const idle = this.#idle.pop();
    if (idle !== undefined) this.onConnectionReady(idle);
    else this.#connectIfNeeded();
  }

  // --- internals ------------------------------------------------------------------------------------------------

  /** Gives `connection` the oldest live queued request; false when there is none (or none it could take). */
  #serve(connection: Http1UpstreamConnection): boolean {
    if (!connection.usable) return false;
    for (;;) {
      const request = this.#shift();
      if (request === undefined) return false;
      if (request.abortReason !== undefined) {
        request.fail(request.abortReason);
        continue;
      }
      if (connection.take(request)) return true;
    }
  }

  /** Queues a request that found no free connection (Envoy: a pending stream). */
  #enqueue(request: Http1Request): void {
    this.#queue.push(request);
    const pending = this.#stats.pending;
    pending.upstream_rq_pending_total++;
    pending.upstream_rq_pending_active++;
  }

  /** Takes the oldest queued request off the queue: it waits no more. */
  #shift(): Http1Request | undefined {
    if (this.#queueHead >= this.#queue.length) return undefined;
    const request = this.#queue[this.#queueHead];
    this.#queue[this.#queueHead++] = undefined as unknown as Http1Request;
    this.#stats.pending.upstream_rq_pending_active--;
    if (this.#queueHead === this.#queue.length) {
      this.#queue.length = 0;
      this.#queueHead = 0;
    } else if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
    return request;
  }

  /** Opens connections while requests wait for more than are connecting, up to the limit. */
  #connectIfNeeded(): void {
    while (this.queued > this.#connecting && this.#connections.size < this.#maxConnections) {
      this.#connecting++;
      const connection = new Http1UpstreamConnection(this.#target, this.#settings, this.#binding, this);
      this.#connections.add(connection);
    }
  }

  #checkClosed(): void {
    if (this.#closing && this.#connections.size === 0 && this.queued === 0 && this.#onAllClosed !== undefined) {
      const resolve = this.#onAllClosed;
      this.#onAllClosed = undefined;
      resolve();
    }
  }
}
