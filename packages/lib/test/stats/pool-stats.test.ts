import { createServer as createHttp2Server, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { createStatsStore, type StatsStore } from '@orion/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { bootstrapOf, echoOnce, eventually, histogramCount, send, singleClusterConfig, startEcho, startUpstream, tcpEchoConfig, valueOf } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function httpConfig(cluster: string): string {
  return singleClusterConfig('timeout: 5s', cluster);
}

function endpoint(port: number): string {
  return `
      load_assignment:
        cluster_name: backend
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${port} } } } }] }]`;
}

/** `HttpProtocolOptions` for the cluster: HTTP/2 (or HTTP/1.1) upstreams, idle connections closed after `idle`. */
function protocolOptions(http2: boolean, idle: string): string {
  return `
      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          common_http_protocol_options: { idle_timeout: ${idle} }
          explicit_http_config: { ${http2 ? 'http2_protocol_options: {}' : 'http_protocol_options: {}'} }`;
}

async function start(yaml: string): Promise<{ plane: DataPlane; port: number; stats: StatsStore }> {
  const stats = createStatsStore();
  const plane = await DataPlane.start({ bootstrap: await bootstrapOf(yaml), stats });
  cleanups.push(() => plane.destroy());
  const bound = plane.addresses().get('main');
  if (bound?.type !== 'socket') throw new Error('no listener');
  return { plane, port: bound.port, stats };
}

/** The cluster's connection-pool stats in a snapshot (0 when not registered). */
function poolStats(plane: DataPlane): Record<string, number> {
  const s = plane.statsSnapshot();
  const names = [
    'upstream_cx_total',
    'upstream_cx_http1_total',
    'upstream_cx_http2_total',
    'upstream_cx_connect_fail',
    'upstream_cx_destroy',
    'upstream_cx_active',
    'upstream_rq_pending_total',
    'upstream_rq_pending_active',
  ];
  return Object.fromEntries(names.map((n) => [n, valueOf(s, `cluster.backend.${n}`) ?? 0]));
}

/** A port nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('connection-pool stats of HTTP/1.1 clusters', () => {
  it('counts an HTTP/1.1 connection, the request that waited for it, and its connect time and length', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const { plane, port, stats } = await start(httpConfig(`${protocolOptions(false, '0.5s')}${endpoint(upstream.port)}`));
    for (let i = 0; i < 3; i++) expect((await send(port, '/')).status).toBe(200);
    // The first request waited for the connection to be established; the next two found it free.
    expect(poolStats(plane)).toEqual({
      upstream_cx_total: 1,
      upstream_cx_http1_total: 1,
      upstream_cx_http2_total: 0,
      upstream_cx_connect_fail: 0,
      upstream_cx_destroy: 0,
      upstream_cx_active: 1,
      upstream_rq_pending_total: 1,
      upstream_rq_pending_active: 0,
    });
    stats.mergeHistograms();
    expect(histogramCount(plane.statsSnapshot(), 'cluster.backend.upstream_cx_connect_ms')).toBe(1);
    // Still open: no length yet.
    expect(histogramCount(plane.statsSnapshot(), 'cluster.backend.upstream_cx_length_ms')).toBe(0);
    // The idle timeout closes it.
    await eventually(() => poolStats(plane)['upstream_cx_destroy'] === 1);
    stats.mergeHistograms();
    const snapshot = plane.statsSnapshot();
    expect(histogramCount(snapshot, 'cluster.backend.upstream_cx_connect_ms')).toBe(1);
    expect(histogramCount(snapshot, 'cluster.backend.upstream_cx_length_ms')).toBe(1);
    expect(poolStats(plane)).toMatchObject({ upstream_cx_total: 1, upstream_cx_active: 0, upstream_rq_pending_total: 1 });
  });

  it('counts a request queued behind max_connections: 1 as pending until the connection is free', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const { plane, port } = await start(httpConfig(`
      circuit_breakers: { thresholds: [{ priority: DEFAULT, max_connections: 1 }] }${endpoint(upstream.port)}`));
    const first = send(port, '/?delay=400');
    await eventually(() => upstream.received === 1);
    // The first request waited for the connection to be established, and has it now.
    expect(poolStats(plane)).toMatchObject({ upstream_rq_pending_total: 1, upstream_rq_pending_active: 0 });
    const second = send(port, '/');
    await eventually(() => poolStats(plane)['upstream_rq_pending_active'] === 1);
    expect(poolStats(plane)).toMatchObject({ upstream_rq_pending_total: 2, upstream_cx_total: 1 });
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect(upstream.received).toBe(2);
    expect(poolStats(plane)).toEqual({
      upstream_cx_total: 1,
      upstream_cx_http1_total: 1,
      upstream_cx_http2_total: 0,
      upstream_cx_connect_fail: 0,
      upstream_cx_destroy: 0,
      upstream_cx_active: 1,
      upstream_rq_pending_total: 2,
      upstream_rq_pending_active: 0,
    });
  });

  it('counts a failed connection attempt as a connection: http1_total, connect_fail, a length and no connect time', async () => {
    const { plane, port, stats } = await start(httpConfig(endpoint(await closedPort())));
    expect((await send(port, '/')).status).toBe(503);
    expect(poolStats(plane)).toEqual({
      upstream_cx_total: 1,
      upstream_cx_http1_total: 1,
      upstream_cx_http2_total: 0,
      upstream_cx_connect_fail: 1,
      upstream_cx_destroy: 1,
      upstream_cx_active: 0,
      upstream_rq_pending_total: 1,
      upstream_rq_pending_active: 0,
    });
    stats.mergeHistograms();
    const snapshot = plane.statsSnapshot();
    expect(histogramCount(snapshot, 'cluster.backend.upstream_cx_connect_ms')).toBe(0);
    expect(histogramCount(snapshot, 'cluster.backend.upstream_cx_length_ms')).toBe(1);
    expect(plane.clusterStatuses()[0]?.hosts[0]?.stats).toMatchObject({ cx_total: 1, cx_active: 0, cx_connect_fail: 1 });
  });
});

describe('connection-pool stats of HTTP/2 clusters', () => {
  it('counts an HTTP/2 connection, its histograms, and the bytes its socket moved', async () => {
    const server: Http2Server = createHttp2Server();
    const sockets: Socket[] = [];
    server.on('connection', (socket: Socket) => sockets.push(socket));
    server.on('stream', (stream: ServerHttp2Stream) => {
      stream.on('error', () => undefined);
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      stream.end('from h2 upstream');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
    );
    const { plane, port, stats } = await start(httpConfig(`${protocolOptions(true, '0.5s')}${endpoint((server.address() as AddressInfo).port)}`));
    for (let i = 0; i < 3; i++) {
      const res = await send(port, '/');
      expect([res.status, res.body]).toEqual([200, 'from h2 upstream']);
    }
    expect(poolStats(plane)).toEqual({
      upstream_cx_total: 1,
      upstream_cx_http1_total: 0,
      upstream_cx_http2_total: 1,
      upstream_cx_connect_fail: 0,
      upstream_cx_destroy: 0,
      upstream_cx_active: 1,
      upstream_rq_pending_total: 1,
      upstream_rq_pending_active: 0,
    });
    // Reported as each stream closes, before the connection does.
    const during = plane.statsSnapshot();
    expect(valueOf(during, 'cluster.backend.upstream_cx_rx_bytes_total')).toBeGreaterThan(0);
    expect(valueOf(during, 'cluster.backend.upstream_cx_tx_bytes_total')).toBeGreaterThan(0);

    // The idle timeout closes the connection (GOAWAY, then the socket); the upstream sees it close too.
    await eventually(() => poolStats(plane)['upstream_cx_destroy'] === 1 && sockets.length === 1 && (sockets[0] as Socket).destroyed);
    const upstreamSocket = sockets[0] as Socket;
    const snapshot = plane.statsSnapshot();
    const rx = valueOf(snapshot, 'cluster.backend.upstream_cx_rx_bytes_total');
    const tx = valueOf(snapshot, 'cluster.backend.upstream_cx_tx_bytes_total');
    expect(upstreamSocket.bytesWritten).toBeGreaterThan(0);
    expect(upstreamSocket.bytesRead).toBeGreaterThan(0);
    expect({ rx, tx }).toEqual({ rx: upstreamSocket.bytesWritten, tx: upstreamSocket.bytesRead });
    stats.mergeHistograms();
    const merged = plane.statsSnapshot();
    expect(histogramCount(merged, 'cluster.backend.upstream_cx_connect_ms')).toBe(1);
    expect(histogramCount(merged, 'cluster.backend.upstream_cx_length_ms')).toBe(1);
  });
});

describe('connection histograms of tcp_proxy', () => {
  it('records upstream_cx_connect_ms and upstream_cx_length_ms per proxied connection', async () => {
    const echo = await startEcho();
    cleanups.push(() => echo.close());
    const stats = createStatsStore();
    const plane = await DataPlane.start({
      bootstrap: await bootstrapOf(tcpEchoConfig(echo.port)),
      stats,
    });
    cleanups.push(() => plane.destroy());
    const bound = plane.addresses().get('tcp');
    if (bound?.type !== 'socket') throw new Error('no listener');
    expect(await echoOnce(bound.port, 'one')).toBe('one');
    expect(await echoOnce(bound.port, 'two')).toBe('two');
    await eventually(() => valueOf(plane.statsSnapshot(), 'cluster.echo.upstream_cx_destroy') === 2);
    stats.mergeHistograms();
    const snapshot = plane.statsSnapshot();
    expect(histogramCount(snapshot, 'cluster.echo.upstream_cx_connect_ms')).toBe(2);
    expect(histogramCount(snapshot, 'cluster.echo.upstream_cx_length_ms')).toBe(2);
    // Not an HTTP pool's connection.
    expect(valueOf(snapshot, 'cluster.echo.upstream_cx_http1_total')).toBe(0);
    expect(valueOf(snapshot, 'cluster.echo.upstream_rq_pending_total')).toBe(0);
  });
});
