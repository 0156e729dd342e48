import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildConnector, Client, Pool, type Dispatcher } from 'undici';
import { unrecordedPoolStats, type ConnectionPoolStats } from './connection-pool-stats.js';
import type { Http1PoolEvents, Http1PoolSettings, UpstreamConnectionAware, UpstreamConnectionSlot } from './http1-pool-set.js';
import { nextUpstreamConnectionId } from './upstream-connection-id.js';
import type { UpstreamTarget } from './upstream-target.js';

/** One idle timeout value undici accepts for "practically never". */
const NEVER_MS = 2 ** 31 - 1;

/**
 * An undici `Pool` to one upstream host with the cluster's settings: what serves HTTP/1.1 upgrade requests, and
 * every request when Node's native HTTP parser is unavailable. Timeouts that undici applies by default (300 s for
 * headers and body) are disabled: the router's route timeout and idle timeouts govern instead, as in Envoy. Its
 * connection events are reported through `events` under `label`, each connection's connect time and length to
 * `stats` (from the connector call; a connection handed to an upgrade ends for undici, and here, when it is handed
 * over). undici does not tell when a request waits for a connection: `stats.pending` stays as it is.
 */
export function createUndiciHttp1Pool(target: UpstreamTarget, label: string, s: Http1PoolSettings, events: Http1PoolEvents, stats: ConnectionPoolStats = unrecordedPoolStats()): Pool {
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
    const slot: UpstreamConnectionSlot = { socket: undefined, connectionId: 0, localAddress: undefined };
    // undici turns TCP keep-alive on by default; Envoy only with upstream_connection_options.tcp_keepalive.
    const keepalive = s.tcpKeepaliveTimeS === undefined ? { keepAlive: false } : { keepAlive: true, keepAliveInitialDelay: s.tcpKeepaliveTimeS * 1000 };
    const connector = buildConnector({ timeout: connectTimeout, ...keepalive, ...(target.type === 'pipe' ? { socketPath: target.path } : {}) });
    // The client connects one socket at a time: when its current attempt started.
    let openedAt = 0;
    const client = new Client(origin, {
      ...(opts as Client.Options),
      connect: (options, callback) => {
        openedAt = performance.now();
        connector(options, (err, socket) => {
          if (err === null && socket !== null) {
            stats.connectMs.record(performance.now() - openedAt);
            slot.socket = socket as Socket;
            slot.connectionId = nextUpstreamConnectionId();
            slot.localAddress = undefined;
            callback(null, socket);
          } else {
            callback(err ?? new Error('connect failed'), null);
          }
        });
      },
    });
    const ended = (): void => stats.lengthMs.record(performance.now() - openedAt);
    client.on('disconnect', ended);
    client.on('connectionError', ended);
    const dispatch = client.dispatch.bind(client);
    client.dispatch = (options, handler) => {
      (handler as UpstreamConnectionAware).upstreamConnection = slot;
      return dispatch(options, handler);
    };
    return client;
  };
  let pool: Pool;
  if (target.type === 'pipe') pool = new Pool('http://localhost', { ...common, socketPath: target.path, factory });
  else {
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    pool = new Pool(`http://${host}:${target.port}`, { ...common, factory });
  }
  if (events.onConnect !== undefined) pool.on('connect', () => events.onConnect?.(label));
  if (events.onDisconnect !== undefined) pool.on('disconnect', () => events.onDisconnect?.(label));
  if (events.onConnectError !== undefined) pool.on('connectionError', (_origin, _targets, err) => events.onConnectError?.(label, err));
  return pool;
}
