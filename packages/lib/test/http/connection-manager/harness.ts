import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { ForwardAction, HttpConnectionManager, RouteAction, RouteConfiguration } from '@orion/configuration';
import { LogFormatter } from '@orion/format';
import { AccessLogger } from '../../../src/access-log/access-logger.js';
import { AccessLogSink } from '../../../src/access-log/access-log-sink.js';
import { ConnectionManager } from '../../../src/http/connection-manager/connection-manager.js';
import type { UpstreamClusterRef } from '../../../src/http/connection-manager/ports.js';
import { compileRouteConfiguration } from '../../../src/http/router/route-table.js';
import { Http1PoolSet } from '../../../src/transport/http1-pool-set.js';
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
export function routeTable(routes: readonly { prefix: string; action: RouteAction; name?: string }[]): RouteConfiguration {
  return {
    name: 'rc',
    virtualHosts: [
      {
        name: 'vh',
        domains: ['*'],
        headerMutations: NO_MUTATIONS,
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

/** A listener socket feeding a ConnectionManager, with one static cluster `backend` → `upstreamPort`. */
export async function startProxy(options: {
  upstreamPort: number;
  routes?: RouteConfiguration;
  config?: Partial<HttpConnectionManager>;
  maxConnectionsPerHost?: number;
  logFormat?: string;
}): Promise<{ port: number; manager: ConnectionManager; lines: string[]; pools: Http1PoolSet; close(): Promise<void> }> {
  const pools = new Http1PoolSet({ connectTimeoutMs: 1000, idleTimeoutMs: 3_600_000, ...(options.maxConnectionsPerHost === undefined ? {} : { maxConnectionsPerHost: options.maxConnectionsPerHost }) });
  const cluster: UpstreamClusterRef = {
    name: 'backend',
    observabilityName: 'backend',
    http1Pools: pools,
    activeRequests: 0,
    maxRequests: 1024,
    chooseHost: () => ({ target: { type: 'socket', host: '127.0.0.1', port: options.upstreamPort }, label: `127.0.0.1:${options.upstreamPort}`, hostname: '127.0.0.1' }),
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
  });
  let ids = 0;
  const listener: NetServer = createNetServer((socket) => manager.handleConnection(socket, { connectionId: ++ids, listenerName: 'l', filterChainName: 'fc' }));
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  return {
    port: (listener.address() as AddressInfo).port,
    manager,
    lines,
    pools,
    close: async () => {
      manager.destroy();
      await new Promise<void>((r) => listener.close(() => r()));
      await pools.destroy();
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
