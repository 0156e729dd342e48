import { connect, type ClientHttp2Session, type ClientHttp2Stream, type ClientSessionOptions, type OutgoingHttpHeaders } from 'node:http2';
import { connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Http2ProtocolOptions } from '@orion/configuration';
import { PendingOverflowError, unrecordedPoolStats, type ConnectionPoolStats } from './connection-pool-stats.js';
import { startHttp2Keepalive } from './http2-keepalive.js';
import type { UpstreamTarget } from './upstream-target.js';

/** Settings of a cluster's HTTP/2 connection pools. */
export interface Http2PoolSettings {
  /** Cluster `connect_timeout` (Envoy default 5 s). */
  readonly connectTimeoutMs: number;
  /** Time a connection without streams stays open: `common_http_protocol_options.idle_timeout` (default 1 h); 0: never closes. */
  readonly idleTimeoutMs: number;
  /** `http2_protocol_options`: stream limit, windows, HPACK table size, keep-alive PINGs. */
  readonly http2: Http2ProtocolOptions;
  /** Largest response header block accepted, bytes (Envoy `max_response_headers_kb`, default 60 KiB). */
  readonly maxResponseHeaderBytes?: number;
  /** Most response headers accepted (Envoy `max_headers_count`, default 100). */
  readonly maxResponseHeadersCount?: number;
  /** `max_requests_per_connection`: streams opened on one connection before it drains; 0: unlimited (default). */
  readonly maxRequestsPerConnection?: number;
  /** Most connections to one host (Envoy's circuit-breaker `max_connections`, default 1024). */
  readonly maxConnectionsPerHost?: number;
  /**
   * The cluster's circuit-breaker `max_pending_requests` (this worker's share): a request that finds no free
   * connection while this many wait cluster-wide is refused (`UO`, `upstream_rq_pending_overflow`). Default 1024.
   */
  readonly maxPendingRequests?: number;
  /** `upstream_connection_options.tcp_keepalive.keepalive_time` (s): TCP keep-alive on each connection; undefined: off. */
  readonly tcpKeepaliveTimeS?: number;
}

/** Connection events of the pools, for per-host connection counters. */
export interface Http2PoolEvents {
  onConnect?(label: string): void;
  onDisconnect?(label: string): void;
  onConnectError?(label: string, err: Error & { code?: string }): void;
  /**
   * Bytes received from and sent to a host on a session's socket (`upstream_cx_rx_bytes_total` / `_tx_bytes_total`),
   * reported as each stream closes and when the session closes.
   */
  onBytes?(label: string, received: number, sent: number): void;
}

/** Why no stream could be opened: Envoy's reset reasons before a request is sent. */
export type Http2StreamFailure = 'connectionFailure' | 'connectionTimeout' | 'connectionTermination' | 'overflow';

/** Who asked for a stream: told once, with the stream or with why there is none. */
export interface Http2StreamRequester {
  /** The stream was opened; the pool counts it until it closes. */
  onStream(stream: ClientHttp2Stream): void;
  /** No stream could be opened. */
  onStreamFailure(reason: Http2StreamFailure, err: Error): void;
}

/** The error a connection attempt fails with when `connect_timeout` elapses. */
export class Http2ConnectTimeoutError extends Error {
  readonly code = 'ORION_HTTP2_CONNECT_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`connect timeout after ${timeoutMs} ms`);
    this.name = 'Http2ConnectTimeoutError';
  }
}

interface PendingStream {
  readonly headers: OutgoingHttpHeaders;
  readonly endStream: boolean;
  readonly waitForTrailers: boolean;
  readonly requester: Http2StreamRequester;
}

type ConnectionState = 'connecting' | 'ready' | 'draining' | 'closed';

/** Node accepts SETTINGS values up to 2^31-1 for windows. */
const MAX_WINDOW = 2 ** 31 - 1;

/** One HTTP/2 connection of a pool and its stream accounting. */
class PooledConnection {
  readonly session: ClientHttp2Session;
  /** When the connection attempt started (`performance.now()`). */
  readonly openedAt = performance.now();
  /** The session's socket, once connected: its byte counts. */
  socket: Socket | undefined = undefined;
  /** Bytes of the socket already reported. */
  bytesReadReported = 0;
  bytesWrittenReported = 0;
  state: ConnectionState = 'connecting';
  active = 0;
  started = 0;
  error: (Error & { code?: string }) | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  connectTimer: NodeJS.Timeout | undefined;

  constructor(session: ClientHttp2Session) {
    this.session = session;
  }

  clearIdle(): void {
    if (this.idleTimer !== undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
  }
}

/**
 * The HTTP/2 connections to one upstream host (Envoy's HTTP/2 connection pool): streams are multiplexed on a
 * connection until it reaches its stream limit — the smaller of `max_concurrent_streams` and the peer's
 * SETTINGS — and only then is another connection opened (up to `maxConnectionsPerHost`; further streams wait).
 * A connection that receives GOAWAY, reaches `max_requests_per_connection` or closes takes no new streams;
 * the next stream opens a fresh one. Idle connections close after the idle timeout, and keep-alive PINGs close
 * connections whose peer stopped answering. Streams waiting for a connection count in `stats.pending`; each
 * connection's connect time and length go to `stats`, its socket's bytes to `events.onBytes`.
 */
export class Http2ConnectionPool {
  readonly #target: UpstreamTarget;
  readonly #label: string;
  readonly #settings: Http2PoolSettings;
  readonly #events: Http2PoolEvents;
  readonly #stats: ConnectionPoolStats;
  readonly #connections: PooledConnection[] = [];
  readonly #pending: PendingStream[] = [];
  readonly #maxStreams: number;
  readonly #maxConnections: number;
  #closing = false;
  #closed: Promise<void> | undefined;

  constructor(target: UpstreamTarget, label: string, settings: Http2PoolSettings, events: Http2PoolEvents = {}, stats: ConnectionPoolStats = unrecordedPoolStats()) {
    this.#target = target;
    this.#label = label;
    this.#settings = settings;
    this.#events = events;
    this.#stats = stats;
    this.#maxStreams = Math.max(1, settings.http2.maxConcurrentStreams);
    this.#maxConnections = Math.max(1, settings.maxConnectionsPerHost ?? 1024);
  }

  /** Connections open or opening. */
  get connectionCount(): number {
    return this.#connections.length;
  }

  /** Streams waiting for a connection. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /**
   * Opens a stream with `headers` (pseudo-headers included) on a connection with room, connecting first when
   * needed; `requester` hears the outcome exactly once (possibly synchronously) unless {@link cancel}led first.
   * `endStream`: the request has no body. `waitForTrailers`: the stream emits `wantTrailers` after its body, and
   * the requester must then call `sendTrailers` (with `{}` for none).
   */
  request(headers: OutgoingHttpHeaders, endStream: boolean, requester: Http2StreamRequester, waitForTrailers = false): void {
    if (this.#closing) {
      requester.onStreamFailure('connectionTermination', new Error('connection pool is closed'));
      return;
    }
    const conn = this.#pick();
    if (conn !== undefined) {
      this.#open(conn, { headers, endStream, waitForTrailers, requester });
      return;
    }
    const pending = this.#stats.pending;
    if (pending.upstream_rq_pending_active >= (this.#settings.maxPendingRequests ?? 1024)) {
      // Circuit breaker `max_pending_requests` (cluster-wide): refused before it waits.
      pending.upstream_rq_pending_overflow++;
      requester.onStreamFailure('overflow', new PendingOverflowError());
      return;
    }
    this.#pending.push({ headers, endStream, waitForTrailers, requester });
    pending.upstream_rq_pending_total++;
    pending.upstream_rq_pending_active++;
    this.#maybeConnect();
  }

  /** Forgets a stream request that is still waiting for a connection; no-op once it was answered. */
  cancel(requester: Http2StreamRequester): void {
    const i = this.#pending.findIndex((p) => p.requester === requester);
    if (i < 0) return;
    this.#pending.splice(i, 1);
    this.#stats.pending.upstream_rq_pending_active--;
  }

  /** Sends GOAWAY on every connection; in-flight streams finish, then the connections close. */
  close(): Promise<void> {
    this.#closing = true;
    this.#closed ??= this.#whenAllClosed(false);
    return this.#closed;
  }

  /** Closes every connection now, resetting in-flight streams. */
  destroy(): Promise<void> {
    this.#closing = true;
    return this.#whenAllClosed(true);
  }

  #whenAllClosed(destroy: boolean): Promise<void> {
    const pending = this.#takePending();
    for (const p of pending) p.requester.onStreamFailure('connectionTermination', new Error('connection pool is closed'));
    const waits = this.#connections.map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.state === 'closed' || conn.session.destroyed) {
            resolve();
            return;
          }
          conn.session.once('close', () => resolve());
          conn.clearIdle();
          if (destroy || conn.state === 'connecting') conn.session.destroy();
          else conn.session.close();
        }),
    );
    return Promise.all(waits).then(() => undefined);
  }

  #capacity(conn: PooledConnection): number {
    const remote = conn.session.remoteSettings.maxConcurrentStreams;
    return remote === undefined ? this.#maxStreams : Math.min(this.#maxStreams, remote);
  }

  #pick(): PooledConnection | undefined {
    for (const conn of this.#connections) {
      if (conn.state === 'ready' && conn.active < this.#capacity(conn)) return conn;
    }
    return undefined;
  }

  #maybeConnect(): void {
    let connectingCapacity = 0;
    for (const conn of this.#connections) if (conn.state === 'connecting') connectingCapacity += this.#maxStreams;
    if (this.#pending.length <= connectingCapacity) return;
    if (this.#connections.length >= this.#maxConnections) return;
    this.#connect();
  }

  #connect(): void {
    const s = this.#settings;
    const h2 = s.http2;
    const target = this.#target;
    const options: ClientSessionOptions = {
      settings: {
        enablePush: false,
        headerTableSize: h2.hpackTableSize,
        initialWindowSize: Math.min(h2.initialStreamWindowSize, MAX_WINDOW),
        maxHeaderListSize: s.maxResponseHeaderBytes ?? 60 * 1024,
      },
      // The count includes `:status`.
      maxHeaderListPairs: Math.max(4, (s.maxResponseHeadersCount ?? 100) + 1),
    };
    let authority: string;
    if (target.type === 'pipe') {
      authority = 'http://localhost';
      options.createConnection = () => netConnect({ path: target.path });
    } else {
      authority = `http://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    }
    const session = connect(authority, options);
    const conn = new PooledConnection(session);
    this.#connections.push(conn);
    if (s.connectTimeoutMs > 0) {
      conn.connectTimer = setTimeout(() => {
        conn.connectTimer = undefined;
        if (conn.state === 'connecting') session.destroy(new Http2ConnectTimeoutError(s.connectTimeoutMs));
      }, s.connectTimeoutMs);
    }
    session.on('error', (err: Error & { code?: string }) => {
      conn.error ??= err;
    });
    session.once('connect', (_session: ClientHttp2Session, socket: Socket) => {
      if (conn.connectTimer !== undefined) clearTimeout(conn.connectTimer);
      conn.connectTimer = undefined;
      if (conn.state !== 'connecting') return;
      conn.socket = socket;
      if (s.tcpKeepaliveTimeS !== undefined) socket.setKeepAlive(true, s.tcpKeepaliveTimeS * 1000);
      this.#stats.connectMs.record(performance.now() - conn.openedAt);
      conn.state = 'ready';
      if (h2.initialConnectionWindowSize > 65_535) session.setLocalWindowSize(Math.min(h2.initialConnectionWindowSize, MAX_WINDOW));
      if (h2.connectionKeepalive !== undefined) startHttp2Keepalive(session, h2.connectionKeepalive);
      this.#events.onConnect?.(this.#label);
      this.#serve();
      if (conn.active === 0) this.#armIdle(conn);
    });
    session.on('remoteSettings', () => this.#serve());
    session.once('goaway', () => {
      if (conn.state === 'connecting' || conn.state === 'ready') conn.state = 'draining';
      // Streams the peer will not process fail on their own; new ones go to another connection.
      this.#maybeConnect();
    });
    session.once('close', () => this.#onClose(conn));
  }

  #open(conn: PooledConnection, pending: PendingStream): void {
    conn.active++;
    conn.started++;
    conn.clearIdle();
    let stream: ClientHttp2Stream;
    try {
      stream = conn.session.request(pending.headers, { endStream: pending.endStream, waitForTrailers: pending.waitForTrailers && !pending.endStream });
    } catch (err) {
      conn.active--;
      pending.requester.onStreamFailure('connectionTermination', err instanceof Error ? err : new Error(String(err)));
      return;
    }
    stream.once('close', () => this.#onStreamClose(conn));
    const max = this.#settings.maxRequestsPerConnection ?? 0;
    if (max > 0 && conn.started >= max && conn.state === 'ready') conn.state = 'draining';
    pending.requester.onStream(stream);
  }

  #onStreamClose(conn: PooledConnection): void {
    conn.active--;
    this.#reportBytes(conn);
    if (conn.state === 'draining') {
      if (conn.active === 0 && !conn.session.closed) conn.session.close();
      this.#maybeConnect();
      return;
    }
    if (conn.state !== 'ready') return;
    this.#serve();
    if (conn.active === 0) this.#armIdle(conn);
  }

  #serve(): void {
    while (this.#pending.length > 0) {
      const conn = this.#pick();
      if (conn === undefined) break;
      const next = this.#pending.shift() as PendingStream;
      this.#stats.pending.upstream_rq_pending_active--;
      this.#open(conn, next);
    }
    if (this.#pending.length > 0) this.#maybeConnect();
  }

  #armIdle(conn: PooledConnection): void {
    const idle = this.#settings.idleTimeoutMs;
    if (idle <= 0) return;
    conn.clearIdle();
    conn.idleTimer = setTimeout(() => {
      conn.idleTimer = undefined;
      if (conn.active === 0 && conn.state === 'ready') {
        conn.state = 'draining';
        conn.session.close();
      }
    }, idle);
    conn.idleTimer.unref();
  }

  #onClose(conn: PooledConnection): void {
    const wasConnecting = conn.state === 'connecting';
    conn.state = 'closed';
    conn.clearIdle();
    if (conn.connectTimer !== undefined) clearTimeout(conn.connectTimer);
    conn.connectTimer = undefined;
    const i = this.#connections.indexOf(conn);
    if (i >= 0) this.#connections.splice(i, 1);
    this.#reportBytes(conn);
    this.#stats.lengthMs.record(performance.now() - conn.openedAt);
    const err: Error & { code?: string } = conn.error ?? new Error('connection closed before it was established');
    if (wasConnecting) this.#events.onConnectError?.(this.#label, err);
    else this.#events.onDisconnect?.(this.#label);
    if (this.#pending.length === 0 || this.#closing) return;
    if (wasConnecting && !this.#connections.some((c) => c.state === 'connecting' || c.state === 'ready')) {
      // Envoy fails the requests waiting for a connection that could not be established.
      const reason: Http2StreamFailure = err instanceof Http2ConnectTimeoutError ? 'connectionTimeout' : 'connectionFailure';
      for (const p of this.#takePending()) p.requester.onStreamFailure(reason, err);
      return;
    }
    this.#serve();
  }

  /** Empties the queue of streams waiting for a connection, returning them. */
  #takePending(): PendingStream[] {
    const pending = this.#pending.splice(0);
    this.#stats.pending.upstream_rq_pending_active -= pending.length;
    return pending;
  }

  /**
   * Reports the bytes the session's socket moved since the last report (its `bytesRead` / `bytesWritten`, which count
   * what the session reads and writes natively, and stay readable once the socket closed).
   */
  #reportBytes(conn: PooledConnection): void {
    const onBytes = this.#events.onBytes;
    const socket = conn.socket;
    if (onBytes === undefined || socket === undefined) return;
    const read = socket.bytesRead;
    const written = socket.bytesWritten;
    const received = read - conn.bytesReadReported;
    const sent = written - conn.bytesWrittenReported;
    if (received <= 0 && sent <= 0) return;
    conn.bytesReadReported = read;
    conn.bytesWrittenReported = written;
    onBytes(this.#label, received, sent);
  }
}
