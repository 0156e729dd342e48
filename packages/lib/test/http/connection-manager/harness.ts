import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type IncomingHttpHeaders as IncomingHttpHeaders2, type ServerHttp2Session, type ServerHttp2Stream, type Settings as Http2Settings } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { ForwardAction, Http2ProtocolOptions, HttpConnectionManager, RouteAction, RouteConfiguration } from '@orion/configuration';
import { LogFormatter } from '@orion/format';
import { AccessLogger } from '../../../src/access-log/access-logger.js';
import { AccessLogSink } from '../../../src/access-log/access-log-sink.js';
import { ConnectionManager } from '../../../src/http/connection-manager/connection-manager.js';
import type { UpstreamClusterRef } from '../../../src/http/connection-manager/ports.js';
import { compileRouteConfiguration } from '../../../src/http/router/route-table.js';
import { Http1PoolSet } from '../../../src/transport/http1-pool-set.js';
import { Http2PoolSet } from '../../../src/transport/http2-pool-set.js';
import { PassThrough } from 'node:stream';

/** A real upstream HTTP server on 127.0.0.1. */
export async function startUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: HttpServer; port: number; close(): Promise<void> }> {
  const server = createHttpServer({ maxHeaderSize: 128 * 1024 }, handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const noop = (): void => undefined;

/** A real cleartext HTTP/2 upstream server on 127.0.0.1 (stream API). */
export async function startHttp2Upstream(
  onStream: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders2) => void,
  settings: Http2Settings = {},
): Promise<{ server: Http2Server; port: number; sessions: Set<ServerHttp2Session>; close(): Promise<void> }> {
  const server = createHttp2Server({ settings });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s: ServerHttp2Session) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders2) => {
    stream.on('error', noop);
    onStream(stream, headers);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    sessions,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sessions) s.destroy();
        server.close(() => r());
      }),
  };
}


const NO_MUTATIONS = { requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] };

/** A forward action to `cluster` with Envoy's defaults; a test can override fields. */
export function forwardTo(cluster: string, overrides: Partial<ForwardAction> = {}): RouteAction {
  return {
    type: 'forward',
    cluster: { type: 'cluster', name: cluster },
    clusterNotFoundResponseCode: 503,
    appendXForwardedHost: false,
    timeoutMs: 15_000,
    hashPolicies: [],
    upgradeConfigs: [],
    ...overrides,
  } as RouteAction;
}

/** A route table with one `*` virtual host whose routes match the given path prefixes in order. */
export function routeTable(routes: readonly { prefix: string; action: RouteAction; name?: string }[], virtualHost: { includeRequestAttemptCount?: boolean; includeAttemptCountInResponse?: boolean } = {}): RouteConfiguration {
  return {
    name: 'rc',
    virtualHosts: [
      {
        name: 'vh',
        domains: ['*'],
        headerMutations: NO_MUTATIONS,
        includeRequestAttemptCount: virtualHost.includeRequestAttemptCount ?? false,
        includeAttemptCountInResponse: virtualHost.includeAttemptCountInResponse ?? false,
        routes: routes.map((r, i) => ({
          name: r.name ?? `r${i}`,
          match: { path: { type: 'prefix', prefix: r.prefix }, caseSensitive: true, headers: [], queryParameters: [], grpc: false },
          action: r.action,
          headerMutations: NO_MUTATIONS,
        })),
      },
    ],
    headerMutations: NO_MUTATIONS,
    mostSpecificHeaderMutationsWins: false,
    ignorePortInHostMatching: false,
    validateClusters: false,
    maxDirectResponseBodySizeBytes: 4096,
  } as unknown as RouteConfiguration;
}

/** An HCM configuration with Envoy's defaults. */
export function hcmConfig(overrides: Partial<HttpConnectionManager> = {}): HttpConnectionManager {
  return {
    type: 'httpConnectionManager',
    name: 'hcm',
    codecType: 'auto',
    statPrefix: 'ingress',
    routeSpecifier: { type: 'inline', routeConfiguration: routeTable([]) },
    httpFilters: [{ type: 'router', name: 'envoy.filters.http.router', suppressEnvoyHeaders: false }],
    accessLogs: [],
    requestTimeoutMs: 0,
    requestHeadersTimeoutMs: 0,
    streamIdleTimeoutMs: 300_000,
    drainTimeoutMs: 5000,
    commonHttpProtocolOptions: { idleTimeoutMs: 3_600_000, maxConnectionDurationMs: 0, maxHeadersCount: 100, maxStreamDurationMs: 0, maxRequestsPerConnection: 0 },
    http1ProtocolOptions: { allowAbsoluteUrl: true, acceptHttp10: false, defaultHostForHttp10: '' },
    http2ProtocolOptions: { hpackTableSize: 4096, maxConcurrentStreams: 2_147_483_647, initialStreamWindowSize: 268_435_456, initialConnectionWindowSize: 268_435_456 },
    useRemoteAddress: false,
    xffNumTrustedHops: 0,
    skipXffAppend: false,
    generateRequestId: true,
    preserveExternalRequestId: false,
    alwaysSetRequestIdInResponse: false,
    serverName: '',
    maxRequestHeadersKb: 60,
    upgradeConfigs: [],
    stripPortMode: 'none',
    ...overrides,
  } as HttpConnectionManager;
}

/** Envoy's default HTTP/2 settings. */
export const DEFAULT_HTTP2: Http2ProtocolOptions = { hpackTableSize: 4096, maxConcurrentStreams: 2_147_483_647, initialStreamWindowSize: 268_435_456, initialConnectionWindowSize: 268_435_456 };

/**
 * A listener socket feeding a ConnectionManager, with one static cluster `backend` → `upstreamPort` (or, with
 * `upstreamPorts`, its hosts in round-robin order), spoken to over `upstreamProtocol` (default HTTP/1.1).
 */
export async function startProxy(options: {
  upstreamPort: number;
  upstreamPorts?: readonly number[];
  routes?: RouteConfiguration;
  config?: Partial<HttpConnectionManager>;
  maxConnectionsPerHost?: number;
  logFormat?: string;
  upstreamProtocol?: 'http1' | 'http2' | 'useDownstream';
  http2?: Partial<Http2ProtocolOptions>;
  bufferLimitBytes?: number;
  connectTimeoutMs?: number;
}): Promise<{ port: number; manager: ConnectionManager; lines: string[]; pools: Http1PoolSet; http2Pools: Http2PoolSet; close(): Promise<void> }> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const pools = new Http1PoolSet({ connectTimeoutMs, idleTimeoutMs: 3_600_000, ...(options.maxConnectionsPerHost === undefined ? {} : { maxConnectionsPerHost: options.maxConnectionsPerHost }) });
  const http2Pools = new Http2PoolSet({ connectTimeoutMs, idleTimeoutMs: 3_600_000, http2: { ...DEFAULT_HTTP2, ...options.http2 } });
  const ports = options.upstreamPorts ?? [options.upstreamPort];
  let next = 0;
  const cluster: UpstreamClusterRef = {
    name: 'backend',
    observabilityName: 'backend',
    http1Pools: pools,
    http2Pools,
    upstreamProtocol: options.upstreamProtocol ?? 'http1',
    activeRequests: 0,
    maxRequests: 1024,
    chooseHost: () => {
      const port = ports[next++ % ports.length] as number;
      return { target: { type: 'socket', host: '127.0.0.1', port }, label: `127.0.0.1:${port}`, hostname: '127.0.0.1' };
    },
  };
  const routes = await compileRouteConfiguration(options.routes ?? routeTable([{ prefix: '/', action: forwardTo('backend') }]));
  const out = new PassThrough();
  const lines: string[] = [];
  out.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter((l) => l !== '')));
  const sink = new AccessLogSink({ type: 'stdout' }, { stdout: out, flushIntervalMs: 10 });
  const logger = new AccessLogger(LogFormatter.text(options.logFormat ?? '%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %BYTES_RECEIVED% %BYTES_SENT% %UPSTREAM_HOST% %REQ(X-REQUEST-ID)% %UPSTREAM_LOCAL_ADDRESS% %UPSTREAM_CONNECTION_ID%\n'), sink);
  const manager = new ConnectionManager({
    config: hcmConfig(options.config),
    routes,
    clusters: { get: (name) => (name === 'backend' ? cluster : undefined) },
    accessLoggers: [logger],
    ...(options.bufferLimitBytes === undefined ? {} : { bufferLimitBytes: options.bufferLimitBytes }),
  });
  let ids = 0;
  const listener: NetServer = createNetServer((socket) => manager.handleConnection(socket, { connectionId: ++ids, listenerName: 'l', filterChainName: 'fc' }));
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  return {
    port: (listener.address() as AddressInfo).port,
    manager,
    lines,
    pools,
    http2Pools,
    close: async () => {
      manager.destroy();
      await new Promise<void>((r) => listener.close(() => r()));
      await pools.destroy();
      await http2Pools.destroy();
      await sink.close();
    },
  };
}

/** Waits until `predicate` holds (bounded). */
export async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
