import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { unrecordedPoolStats, type ConnectionPoolStats } from './connection-pool-stats.js';
import { HostPoolSet } from './host-pool-set.js';
import { Http1ConnectionPool } from './http1-connection-pool.js';
import { loadNativeHttpParser } from './native-http-parser.js';
import { createUndiciHttp1Pool } from './undici-http1-pool.js';
import type { UpstreamTarget } from './upstream-target.js';

/** Settings of a cluster's HTTP/1.1 connection pools. */
export interface Http1PoolSettings {
  /** Cluster `connect_timeout` (Envoy default 5 s). */
  readonly connectTimeoutMs: number;
  /**
   * Idle time before an unused upstream connection closes: cluster
   * `common_http_protocol_options.idle_timeout` (Envoy default 1 h). 0 means never.
   */
  readonly idleTimeoutMs: number;
  /** Largest response header block accepted, bytes (Envoy `max_response_headers_kb`, default 60 KiB). */
  readonly maxResponseHeaderBytes?: number;
  /** Envoy `max_requests_per_connection` (0 = unlimited). */
  readonly maxRequestsPerConnection?: number;
  /**
   * Most connections to one host; further requests wait in the pool's queue. Default 1024, Envoy's default
   * circuit-breaker `max_connections`.
   */
  readonly maxConnectionsPerHost?: number;
  /**
   * The cluster's circuit-breaker `max_pending_requests` (this worker's share): a request that finds no free
   * connection while this many wait cluster-wide is refused (`UO`, `upstream_rq_pending_overflow`). Default 1024.
   */
  readonly maxPendingRequests?: number;
  /** `upstream_connection_options.tcp_keepalive.keepalive_time` (s): TCP keep-alive on each connection; undefined: off. */
  readonly tcpKeepaliveTimeS?: number;
  /**
   * Which HTTP/1.1 client serves requests: `native` (default) — {@link Http1ConnectionPool} on Node's native HTTP
   * parser, falling back to undici when that parser is unavailable; `undici` — undici's `Pool` for everything.
   * Upgrade requests always go through undici.
   */
  readonly client?: 'native' | 'undici';
}

/** Connection events of the pools, for per-host connection counters. */
export interface Http1PoolEvents {
  onConnect?(label: string): void;
  onDisconnect?(label: string): void;
  onConnectError?(label: string, err: Error & { code?: string }): void;
  /**
   * Bytes received from and sent to a host, reported after each response and when a connection closes (native
   * pool only; requests that go through undici — upgrades, the fallback — are not counted).
   */
  onBytes?(label: string, received: number, sent: number): void;
}

/**
 * The upstream connection a request went out on, attached to the request's handler object when the request is
 * dispatched to a connection (`%UPSTREAM_LOCAL_ADDRESS%`, `%UPSTREAM_CONNECTION_ID%`).
 */
export interface UpstreamConnectionSlot {
  socket: Socket | undefined;
  connectionId: number;
  /** The socket's local address once read (`%UPSTREAM_LOCAL_ADDRESS%`), kept for the connection's later requests. */
  localAddress?: { readonly address: string; readonly port: number | undefined } | undefined;
}

/** Handlers that want to know their upstream connection implement this. */
export interface UpstreamConnectionAware {
  upstreamConnection?: UpstreamConnectionSlot | undefined;
}

/**
 * A host's HTTP/1.1 pool as the router uses it: undici's `dispatch(options, handler)` with the legacy handler
 * object (`onConnect`/`onHeaders`/`onData`/`onComplete`/`onError`), and `close`/`destroy`.
 */
export interface Http1Dispatcher {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * The HTTP/1.1 connection pools of one cluster, one per upstream host, created on first use: an
 * {@link Http1ConnectionPool} on Node's native HTTP parser (upgrades through undici), or an undici `Pool` when the
 * native parser is unavailable or `client: 'undici'` asks for it. Response timeouts are the router's (route and
 * idle timeouts), as in Envoy. Connection events go to `events` per host; pending requests and the connection
 * histograms to the cluster's `stats` (undici's pools report no pending requests).
 */
export class Http1PoolSet extends HostPoolSet<Http1Dispatcher> {
  readonly #settings: Http1PoolSettings;
  readonly #events: Http1PoolEvents;
  readonly #stats: ConnectionPoolStats;

  constructor(settings: Http1PoolSettings, events: Http1PoolEvents = {}, stats: ConnectionPoolStats = unrecordedPoolStats()) {
    super();
    this.#settings = settings;
    this.#events = events;
    this.#stats = stats;
  }

  /** Whether requests go through the native-parser pool (false: undici, by setting or because it is missing). */
  get native(): boolean {
    return this.#settings.client !== 'undici' && loadNativeHttpParser() !== null;
  }

  protected create(target: UpstreamTarget, label: string): Http1Dispatcher {
    const s = this.#settings;
    const events = this.#events;
    const stats = this.#stats;
    const binding = s.client === 'undici' ? null : loadNativeHttpParser();
    if (binding === null) return createUndiciHttp1Pool(target, label, s, events, stats);
    const settings = {
      connectTimeoutMs: s.connectTimeoutMs,
      idleTimeoutMs: s.idleTimeoutMs,
      maxResponseHeaderBytes: s.maxResponseHeaderBytes ?? 60 * 1024,
      maxRequestsPerConnection: s.maxRequestsPerConnection ?? 0,
      maxConnectionsPerHost: s.maxConnectionsPerHost ?? 1024,
      maxPendingRequests: s.maxPendingRequests ?? 1024,
      ...(s.tcpKeepaliveTimeS === undefined ? {} : { tcpKeepaliveTimeS: s.tcpKeepaliveTimeS }),
      consume: true,
    };
    return new Http1ConnectionPool(target, label, settings, binding, events, () => createUndiciHttp1Pool(target, label, s, events, stats), stats) as unknown as Http1Dispatcher;
  }
}
