import { constants as h2constants, createServer as createHttp2Server, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStatsStore } from '@orion/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { bootstrapOf, eventually, send, singleClusterConfig as config, startUpstream, valueOf, valuesUnder } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});


function endpoint(port: number): string {
  return `
      load_assignment:
        cluster_name: backend
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${port} } } } }] }]`;
}

async function start(yaml: string, workers = 1): Promise<{ plane: DataPlane; port: number; stats: ReturnType<typeof createStatsStore> }> {
  const stats = createStatsStore();
  const plane = await DataPlane.start({ bootstrap: await bootstrapOf(yaml), stats, workers });
  cleanups.push(() => plane.destroy());
  const bound = plane.addresses().get('main');
  if (bound?.type !== 'socket') throw new Error('no listener');
  return { plane, port: bound.port, stats };
}

/** The cluster's request stats (connection stats left out: they depend on pooling). */
function requestStats(plane: DataPlane): Record<string, number> {
  return Object.fromEntries(Object.entries(valuesUnder(plane.statsSnapshot(), 'cluster.backend.')).filter(([n]) => !n.startsWith('upstream_cx_') && !n.startsWith('membership') && n !== 'max_host_weight'));
}

describe('cluster stats of failed requests', () => {
  it('counts a route timeout: upstream_rq_timeout, a 504 charged, the attempt reset, the host rq_timeout', async () => {
    const upstream = await startUpstream('slow');
    cleanups.push(() => upstream.close());
    const { plane, port } = await start(config('timeout: 0.1s', endpoint(upstream.port)));
    const res = await send(port, '/?delay=3000');
    expect([res.status, res.body]).toEqual([504, 'upstream request timeout']);
    expect(requestStats(plane)).toEqual({
      upstream_rq_total: 1,
      // It waited for the pool's first connection.
      upstream_rq_pending_total: 1,
      upstream_rq_timeout: 1,
      upstream_rq_tx_reset: 1,
      upstream_rq_completed: 1,
      upstream_rq_5xx: 1,
      upstream_rq_504: 1,
      'external.upstream_rq_completed': 1,
      'external.upstream_rq_5xx': 1,
      'external.upstream_rq_504': 1,
    });
    expect(plane.clusterStatuses()[0]?.hosts[0]?.stats).toMatchObject({ rq_total: 1, rq_timeout: 1, rq_error: 1, rq_success: 0, rq_active: 0 });
  });

  it('counts a per-try timeout that is retried, and the retry that succeeds', async () => {
    const upstream = await startUpstream('slow-once');
    cleanups.push(() => upstream.close());
    const { plane, port } = await start(
      config('timeout: 3s, retry_policy: { retry_on: "5xx", num_retries: 1, per_try_timeout: 0.1s, retry_back_off: { base_interval: 0.001s } }', endpoint(upstream.port)),
    );
    expect((await send(port, '/?hang=1&key=p')).status).toBe(200);
    expect(requestStats(plane)).toEqual({
      upstream_rq_total: 2,
      // Both attempts waited for a connection: the reset one's connection was closed.
      upstream_rq_pending_total: 2,
      upstream_rq_per_try_timeout: 1,
      upstream_rq_tx_reset: 1,
      upstream_rq_retry: 1,
      upstream_rq_retry_success: 1,
      upstream_rq_retry_backoff_exponential: 1,
      upstream_rq_completed: 1,
      upstream_rq_2xx: 1,
      upstream_rq_200: 1,
      'external.upstream_rq_completed': 1,
      'external.upstream_rq_2xx': 1,
      'external.upstream_rq_200': 1,
    });
    expect(plane.clusterStatuses()[0]?.hosts[0]?.stats).toMatchObject({ rq_total: 2, rq_timeout: 1, rq_error: 1, rq_success: 1 });
  });

  it('counts max_requests overflow as upstream_rq_pending_overflow and a 503 (UO)', async () => {
    const upstream = await startUpstream('busy');
    cleanups.push(() => upstream.close());
    const { plane, port } = await start(config('timeout: 3s', `
      circuit_breakers: { thresholds: [{ priority: DEFAULT, max_requests: 1 }] }${endpoint(upstream.port)}`));
    const first = send(port, '/?delay=300');
    await eventually(() => upstream.received === 1);
    const second = await send(port, '/');
    expect(second.status).toBe(503);
    expect((await first).status).toBe(200);
    expect(requestStats(plane)).toEqual({
      upstream_rq_total: 1,
      upstream_rq_pending_overflow: 1,
      upstream_rq_pending_total: 1,
      upstream_rq_completed: 2,
      upstream_rq_2xx: 1,
      upstream_rq_5xx: 1,
      upstream_rq_200: 1,
      upstream_rq_503: 1,
      'external.upstream_rq_completed': 2,
      'external.upstream_rq_2xx': 1,
      'external.upstream_rq_5xx': 1,
      'external.upstream_rq_200': 1,
      'external.upstream_rq_503': 1,
    });
  });

  it('refuses a request past max_pending_requests waiting requests with 503 UO (upstream_rq_pending_overflow)', async () => {
    const upstream = await startUpstream('busy');
    cleanups.push(() => upstream.close());
    const { plane, port } = await start(config('timeout: 3s', `
      circuit_breakers: { thresholds: [{ priority: DEFAULT, max_connections: 1, max_pending_requests: 1 }] }${endpoint(upstream.port)}`));
    const first = send(port, '/?delay=400');
    await eventually(() => upstream.received === 1);
    // The only connection is busy: the second request waits (the one pending slot), the third overflows.
    const second = send(port, '/');
    await eventually(() => valueOf(plane.statsSnapshot(), 'cluster.backend.upstream_rq_pending_active') === 1);
    const third = await send(port, '/');
    expect(third.status).toBe(503);
    expect(third.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: overflow');
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect(requestStats(plane)['upstream_rq_pending_overflow']).toBe(1);
    expect(upstream.received).toBe(2);
  });

  // Envoy's max_requests 4 shared by 2 workers: each worker enforces ceil(4 / 2) = 2 — split once, not twice.
  it("enforces the worker's share of max_requests (ceil(limit / workers)), splitting it only once", async () => {
    const upstream = await startUpstream('slow');
    cleanups.push(() => upstream.close());
    const { plane, port } = await start(config('timeout: 5s', `
      circuit_breakers: { thresholds: [{ priority: DEFAULT, max_requests: 4 }] }${endpoint(upstream.port)}`), 2);
    const first = send(port, '/?delay=400');
    const second = send(port, '/?delay=400');
    await eventually(() => upstream.received === 2);
    expect((await send(port, '/')).status).toBe(503);
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect(plane.clusterStatuses()[0]?.circuitBreakers.default.maxRequests).toBe(4);
    expect(requestStats(plane)['upstream_rq_pending_overflow']).toBe(1);
  });

  it('counts a request abandoned while it waits for a connection as upstream_rq_cancelled', async () => {
    const upstream = await startUpstream('one-at-a-time');
    cleanups.push(() => upstream.close());
    const { plane, port } = await start(config('timeout: 3s', `
      circuit_breakers: { thresholds: [{ priority: DEFAULT, max_connections: 1 }] }${endpoint(upstream.port)}`));
    const first = send(port, '/?delay=1000');
    await eventually(() => upstream.received === 1);
    // The second request queues behind the only connection; its client goes away.
    const queued = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false });
    queued.on('error', () => undefined);
    queued.end();
    await eventually(() => valueOf(plane.statsSnapshot(), 'http.ingress.downstream_rq_active') === 2);
    expect(valueOf(plane.statsSnapshot(), 'cluster.backend.upstream_rq_pending_active')).toBe(1);
    queued.destroy();
    await eventually(() => valueOf(plane.statsSnapshot(), 'cluster.backend.upstream_rq_cancelled') === 1);
    // Abandoned, yet still in the HTTP/1.1 pool's queue: it leaves it when the connection comes free (Envoy: at once).
    expect(valueOf(plane.statsSnapshot(), 'cluster.backend.upstream_rq_pending_active')).toBe(1);
    expect((await first).status).toBe(200);
    await eventually(() => valueOf(plane.statsSnapshot(), 'cluster.backend.upstream_rq_pending_active') === 0);
    expect(valueOf(plane.statsSnapshot(), 'cluster.backend.upstream_rq_pending_total')).toBe(2);
    expect(upstream.received).toBe(1);
    expect(valueOf(plane.statsSnapshot(), 'cluster.backend.upstream_rq_tx_reset')).toBe(0);
    expect(valueOf(plane.statsSnapshot(), 'http.ingress.downstream_rq_rx_reset')).toBe(1);
  });

  it('counts an HTTP/2 stream the upstream resets as upstream_rq_rx_reset', async () => {
    const server: Http2Server = createHttp2Server();
    server.on('stream', (stream: ServerHttp2Stream) => {
      stream.on('error', () => undefined);
      stream.close(h2constants.NGHTTP2_INTERNAL_ERROR);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const h2 = `
      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          explicit_http_config: { http2_protocol_options: {} }${endpoint((server.address() as AddressInfo).port)}`;
    const { plane, port } = await start(config('timeout: 3s', h2));
    const res = await send(port, '/');
    expect(res.status).toBe(503);
    expect(requestStats(plane)).toEqual({
      upstream_rq_total: 1,
      upstream_rq_pending_total: 1,
      upstream_rq_rx_reset: 1,
      upstream_rq_completed: 1,
      upstream_rq_5xx: 1,
      upstream_rq_503: 1,
      'external.upstream_rq_completed': 1,
      'external.upstream_rq_5xx': 1,
      'external.upstream_rq_503': 1,
    });
  });
});
