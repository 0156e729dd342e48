import type { Socket } from 'node:net';
import { buildConnector, Client, Pool, type Dispatcher } from 'undici';
import { targetLabel, type UpstreamTarget } from './upstream-target.js';

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
}

/** Connection events of the pools, for per-host connection counters. */
export interface Http1PoolEvents {
  onConnect?(label: string): void;
  onDisconnect?(label: string): void;
  onConnectError?(label: string, err: Error & { code?: string }): void;
}

/**
 * The upstream connection a request went out on, attached to the request's handler object when the request is
 * dispatched to a connection (`%UPSTREAM_LOCAL_ADDRESS%`, `%UPSTREAM_CONNECTION_ID%`).
 */
export interface UpstreamConnectionSlot {
  socket: Socket | undefined;
  connectionId: number;
}

/** Handlers that want to know their upstream connection implement this. */
export interface UpstreamConnectionAware {
  upstreamConnection?: UpstreamConnectionSlot | undefined;
}

let nextUpstreamConnectionId = 1;

/** One idle timeout value undici accepts for "practically never". */
const NEVER_MS = 2 ** 31 - 1;

/**
 * The HTTP/1.1 connection pools of one cluster, one undici `Pool` per upstream host, created on first use.
 * Timeouts that undici applies by default (300 s for headers and body) are disabled: the router's route
 * timeout and idle timeouts govern instead, as in Envoy.
 */
export class Http1PoolSet {
  readonly #settings: Http1PoolSettings;
  readonly #events: Http1PoolEvents;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(settings: Http1PoolSettings, events: Http1PoolEvents = {}) {
    this.#settings = settings;
    this.#events = events;
  }

  /** The pool for a host (by its label), creating it on first use. */
  get(target: UpstreamTarget, label: string = targetLabel(target)): Pool {
    let pool = this.#pools.get(label);
    if (pool === undefined) {
      if (this.#closed) throw new Error('pool set is closed');
      pool = this.#create(target);
      const events = this.#events;
      if (events.onConnect !== undefined) pool.on('connect', () => events.onConnect?.(label));
      if (events.onDisconnect !== undefined) pool.on('disconnect', () => events.onDisconnect?.(label));
      if (events.onConnectError !== undefined) pool.on('connectionError', (_origin, _targets, err) => events.onConnectError?.(label, err));
      this.#pools.set(label, pool);
    }
    return pool;
  }

  /** Closes and forgets the pool of a host that left the cluster (in-flight requests finish). */
  async remove(label: string): Promise<void> {
    const pool = this.#pools.get(label);
    this.#pools.delete(label);
    await pool?.close();
  }

  /** How many hosts have a pool. */
  get size(): number {
    return this.#pools.size;
  }

  /** Lets in-flight requests finish, then closes every connection. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  /** Closes every connection now, failing in-flight requests. */
  async destroy(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }

  #create(target: UpstreamTarget): Pool {
    const s = this.#settings;
    const idle = s.idleTimeoutMs === 0 ? NEVER_MS : s.idleTimeoutMs;
    const common = {
      connections: s.maxConnectionsPerHost ?? 1024,
      pipelining: 1,
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: idle,
      keepAliveMaxTimeout: idle,
      keepAliveTimeoutThreshold: 0,
      connectTimeout: s.connectTimeoutMs,
      maxHeaderSize: s.maxResponseHeaderBytes ?? 60 * 1024,
      ...(s.maxRequestsPerConnection !== undefined && s.maxRequestsPerConnection > 0 ? { maxRequestsPerClient: s.maxRequestsPerConnection } : {}),
      strictContentLength: true,
    } as const;
    const connectTimeout = s.connectTimeoutMs;
    // Each pooled client owns one connection at a time (pipelining 1): its slot tells requests dispatched to it
    // which socket they use.
    const factory = (origin: string | URL, opts: object): Dispatcher => {
      const slot: UpstreamConnectionSlot = { socket: undefined, connectionId: 0 };
      const connector = buildConnector({ timeout: connectTimeout, ...(target.type === 'pipe' ? { socketPath: target.path } : {}) });
      const client = new Client(origin, {
        ...(opts as Client.Options),
        connect: (options, callback) =>
          connector(options, (err, socket) => {
            if (err === null && socket !== null) {
              slot.socket = socket as Socket;
              slot.connectionId = nextUpstreamConnectionId++;
              callback(null, socket);
            } else {
              callback(err ?? new Error('connect failed'), null);
            }
          }),
      });
      const dispatch = client.dispatch.bind(client);
      client.dispatch = (options, handler) => {
        (handler as UpstreamConnectionAware).upstreamConnection = slot;
        return dispatch(options, handler);
      };
      return client;
    };
    if (target.type === 'pipe') return new Pool('http://localhost', { ...common, socketPath: target.path, factory });
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    return new Pool(`http://${host}:${target.port}`, { ...common, factory });
  }
}
