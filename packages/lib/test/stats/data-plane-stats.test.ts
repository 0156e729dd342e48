import { connect as connectHttp2 } from 'node:http2';
import { aggregateSnapshots, createStatsStore, type StatsStore } from '@orion/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { bootstrapOf, echoOnce, eventually, histogramCount, send, startEcho, startUpstream, valueOf, valuesUnder } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ROUTER = `http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }`;

/** The HTTP listener: /ok and /retry go to `backend`, /uh to `sick` (no healthy host), anything else has no route. */
function httpListener(maxRetries = 2): string {
  return `
    - name: main
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                ${ROUTER}
                route_config:
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: /ok }
                          route: { cluster: backend }
                        - match: { prefix: /retry }
                          route:
                            cluster: backend
                            retry_policy: { retry_on: "5xx", num_retries: ${maxRetries}, retry_back_off: { base_interval: 0.001s } }
                        - match: { prefix: /uh }
                          route: { cluster: sick }`;
}

function tcpListener(): string {
  return `
    - name: tcp
      stat_prefix: tcp_listener
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: tcp
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                stat_prefix: tcpin
                cluster: echo`;
}

function staticCluster(name: string, port: number, extra = ''): string {
  return `
    - name: ${name}
      connect_timeout: 1s${extra}
      load_assignment:
        cluster_name: ${name}
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${port} } } } }] }]`;
}

/** A cluster whose only host is UNHEALTHY by EDS status, panic mode off (so every request to it is 503 `UH`). */
function sickCluster(): string {
  return `
    - name: sick
      alt_stat_name: sick_alt
      connect_timeout: 1s
      common_lb_config: { healthy_panic_threshold: { value: 0 } }
      load_assignment:
        cluster_name: sick
        endpoints:
          - locality: { region: eu, zone: eu-1a, sub_zone: rack7 }
            lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9 } }, hostname: sick.local }
                health_status: UNHEALTHY
                load_balancing_weight: 3`;
}

async function startPlane(yaml: string, stats: StatsStore, workers = 1): Promise<DataPlane> {
  const plane = await DataPlane.start({ bootstrap: await bootstrapOf(yaml), stats, workers });
  cleanups.push(() => plane.destroy());
  return plane;
}

function portOf(plane: DataPlane, listener: string): number {
  const bound = plane.addresses().get(listener);
  if (bound?.type !== 'socket') throw new Error(`no socket listener ${listener}`);
  return bound.port;
}

describe('DataPlane stats after a scripted set of requests', () => {
  it('records listener, http, tcp and cluster stats with Envoy names, per-code counters, retries and histograms', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const echo = await startEcho();
    cleanups.push(() => echo.close());
    const stats = createStatsStore();
    const yaml = `static_resources:
  listeners:${httpListener()}${tcpListener()}
  clusters:${staticCluster('backend', upstream.port)}${sickCluster()}${staticCluster('echo', echo.port)}
`;
    const plane = await startPlane(yaml, stats);
    const port = portOf(plane, 'main');

    expect((await send(port, '/ok')).status).toBe(200);
    // Internal origin (one internal address in XFF): charged to internal.* instead of external.*.
    expect((await send(port, '/ok', { 'x-forwarded-for': '10.1.2.3' })).status).toBe(200);
    expect((await send(port, '/ok?status=404')).status).toBe(404);
    const noRoute = await send(port, '/nowhere');
    expect(noRoute.status).toBe(404);
    const uh = await send(port, '/uh');
    expect([uh.status, uh.body]).toEqual([503, 'no healthy upstream']);
    // One 503, then 200 on the retry.
    expect((await send(port, '/retry?fail=1&key=a')).status).toBe(200);
    // Three 503s: two retries, then no retries left (URX); the last 503 goes downstream.
    expect((await send(port, '/retry?fail=9&key=b')).status).toBe(503);
    expect(await echoOnce(portOf(plane, 'tcp'), 'hello')).toBe('hello');
    expect(upstream.received).toBe(8);

    // Connections close asynchronously on the server side.
    await eventually(() => {
      const s = plane.statsSnapshot();
      return valueOf(s, 'listener.127.0.0.1_0.downstream_cx_destroy') === 7 && valueOf(s, 'listener.tcp_listener.downstream_cx_destroy') === 1 && valueOf(s, 'cluster.echo.upstream_cx_destroy') === 1;
    });
    stats.mergeHistograms();
    const snapshot = plane.statsSnapshot();

    // downstream_cx_active was 0 at every sync, so it is registered but unused (like a gauge Envoy never moved).
    expect(valuesUnder(snapshot, 'listener.127.0.0.1_0.')).toEqual({ downstream_cx_total: 7, downstream_cx_destroy: 7 });
    expect(valueOf(snapshot, 'listener.127.0.0.1_0.downstream_cx_active')).toBe(0);
    expect(valuesUnder(snapshot, 'listener.tcp_listener.')).toEqual({ downstream_cx_total: 1, downstream_cx_destroy: 1 });
    expect(histogramCount(snapshot, 'listener.127.0.0.1_0.downstream_cx_length_ms')).toBe(7);
    expect(histogramCount(snapshot, 'listener.tcp_listener.downstream_cx_length_ms')).toBe(1);

    expect(valuesUnder(snapshot, 'http.ingress.')).toEqual({
      downstream_cx_total: 7,
      downstream_cx_destroy: 7,
      downstream_cx_http1_total: 7,
      downstream_rq_total: 7,
      downstream_rq_http1_total: 7,
      downstream_rq_2xx: 3,
      downstream_rq_4xx: 2,
      downstream_rq_5xx: 2,
      downstream_rq_completed: 7,
      no_route: 1,
    });
    expect(histogramCount(snapshot, 'http.ingress.downstream_rq_time')).toBe(7);
    expect(histogramCount(snapshot, 'http.ingress.downstream_cx_length_ms')).toBe(7);

    const backend = Object.fromEntries(Object.entries(valuesUnder(snapshot, 'cluster.backend.')).filter(([name]) => !name.startsWith('upstream_cx_')));
    expect(backend).toEqual({
      upstream_rq_total: 8,
      // The first attempt waited for the pool's connection, and so did each attempt after a reset closed it.
      upstream_rq_pending_total: 4,
      upstream_rq_completed: 5,
      upstream_rq_2xx: 3,
      upstream_rq_4xx: 1,
      upstream_rq_5xx: 1,
      upstream_rq_200: 3,
      upstream_rq_404: 1,
      upstream_rq_503: 1,
      upstream_rq_retry: 3,
      upstream_rq_retry_success: 1,
      upstream_rq_retry_limit_exceeded: 1,
      upstream_rq_retry_backoff_exponential: 3,
      // The retried 503s were read no further: their attempts were reset.
      upstream_rq_tx_reset: 3,
      'retry.upstream_rq_completed': 3,
      'retry.upstream_rq_5xx': 3,
      'retry.upstream_rq_503': 3,
      'external.upstream_rq_completed': 4,
      'external.upstream_rq_2xx': 2,
      'external.upstream_rq_4xx': 1,
      'external.upstream_rq_5xx': 1,
      'external.upstream_rq_200': 2,
      'external.upstream_rq_404': 1,
      'external.upstream_rq_503': 1,
      'internal.upstream_rq_completed': 1,
      'internal.upstream_rq_2xx': 1,
      'internal.upstream_rq_200': 1,
      membership_change: 1,
      membership_total: 1,
      membership_healthy: 1,
      max_host_weight: 1,
    });

    // Per host as /clusters shows it: the three retried 503s and the final one are errors (as Envoy counts 5xx).
    expect(plane.clusterStatuses()[0]?.hosts[0]?.stats).toMatchObject({ rq_total: 8, rq_active: 0, rq_error: 4, rq_success: 4, rq_timeout: 0 });
    expect(histogramCount(snapshot, 'cluster.backend.upstream_rq_time')).toBe(5);
    expect(histogramCount(snapshot, 'cluster.backend.external.upstream_rq_time')).toBe(4);
    expect(histogramCount(snapshot, 'cluster.backend.internal.upstream_rq_time')).toBe(1);

    expect(valuesUnder(snapshot, 'cluster.sick_alt.')).toEqual({
      upstream_cx_none_healthy: 1,
      upstream_rq_completed: 1,
      upstream_rq_5xx: 1,
      upstream_rq_503: 1,
      'external.upstream_rq_completed': 1,
      'external.upstream_rq_5xx': 1,
      'external.upstream_rq_503': 1,
      membership_change: 1,
      membership_total: 1,
      membership_excluded: 1,
      max_host_weight: 3,
    });
    expect(valuesUnder(snapshot, 'cluster.sick.')).toEqual({});

    expect(valuesUnder(snapshot, 'tcp.tcpin.')).toEqual({ downstream_cx_total: 1, downstream_cx_rx_bytes_total: 5, downstream_cx_tx_bytes_total: 5 });
    expect(valuesUnder(snapshot, 'cluster.echo.')).toMatchObject({ upstream_cx_total: 1, upstream_cx_destroy: 1 });
    expect(histogramCount(snapshot, 'cluster.echo.upstream_cx_connect_ms')).toBe(1);
    expect(histogramCount(snapshot, 'cluster.echo.upstream_cx_length_ms')).toBe(1);
    // One HTTP/1.1 connection per attempt that followed a reset, and the first: all established.
    expect(valuesUnder(snapshot, 'cluster.backend.')).toMatchObject({ upstream_cx_total: 4, upstream_cx_http1_total: 4, upstream_cx_destroy: 3 });
    expect(histogramCount(snapshot, 'cluster.backend.upstream_cx_connect_ms')).toBe(4);
    expect(histogramCount(snapshot, 'cluster.backend.upstream_cx_length_ms')).toBe(3);
    expect(valueOf(snapshot, 'cluster.echo.upstream_cx_active')).toBe(0);

    // Unused stats are registered (for /stats without usedonly) but not marked used.
    expect(snapshot.counters.find((c) => c.name === 'cluster.backend.upstream_rq_timeout')).toMatchObject({ value: 0, used: false });
  });

  it('describes clusters and hosts for /clusters: limits, health flags, locality and per-host stats', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const stats = createStatsStore();
    const breakers = `
      circuit_breakers:
        thresholds:
          - { priority: DEFAULT, max_connections: 10, max_pending_requests: 11, max_requests: 12, max_retries: 5 }`;
    const plane = await startPlane(
      `static_resources:
  listeners:${httpListener()}
  clusters:${staticCluster('backend', upstream.port, breakers)}${sickCluster()}
`,
      stats,
      4,
    );
    const port = portOf(plane, 'main');
    expect((await send(port, '/ok')).status).toBe(200);
    expect((await send(port, '/retry?fail=1&key=c')).status).toBe(200);
    expect((await send(port, '/uh')).status).toBe(503);

    const statuses = plane.clusterStatuses();
    expect(JSON.parse(JSON.stringify(statuses))).toEqual(statuses);
    expect(statuses).toEqual([
      {
        name: 'backend',
        observabilityName: 'backend',
        // As configured, not this worker's share (ceil(limit / 4)).
        circuitBreakers: {
          default: { maxConnections: 10, maxPendingRequests: 11, maxRequests: 12, maxRetries: 5 },
          high: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
        },
        hosts: [
          {
            address: `127.0.0.1:${upstream.port}`,
            hostname: '',
            weight: 1,
            priority: 0,
            region: '',
            zone: '',
            subZone: '',
            healthFlags: ['healthy'],
            stats: { cx_active: expect.any(Number), cx_connect_fail: 0, cx_total: expect.any(Number), rq_active: 0, rq_error: 1, rq_success: 2, rq_timeout: 0, rq_total: 3 },
          },
        ],
      },
      {
        name: 'sick',
        observabilityName: 'sick_alt',
        circuitBreakers: {
          default: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
          high: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
        },
        hosts: [
          {
            address: '127.0.0.1:9',
            hostname: 'sick.local',
            weight: 3,
            priority: 0,
            region: 'eu',
            zone: 'eu-1a',
            subZone: 'rack7',
            healthFlags: ['/failed_eds_health'],
            stats: { cx_active: 0, cx_connect_fail: 0, cx_total: 0, rq_active: 0, rq_error: 0, rq_success: 0, rq_timeout: 0, rq_total: 0 },
          },
        ],
      },
    ]);
    // The breaker each worker enforces is its share.
    expect(plane.clusters.get('backend')?.stats.maxRetries).toBe(2);
  });

  it('keeps the counters of removed clusters, listeners and tcp_proxy filters; their gauges drop to 0', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const echo = await startEcho();
    cleanups.push(() => echo.close());
    const stats = createStatsStore();
    const yaml = (withTcp: boolean): string => `static_resources:
  listeners:${httpListener()}${withTcp ? tcpListener() : ''}
  clusters:${staticCluster('backend', upstream.port)}${sickCluster()}${withTcp ? staticCluster('echo', echo.port) : ''}
`;
    const plane = await startPlane(yaml(true), stats);
    expect(await echoOnce(portOf(plane, 'tcp'), 'abc')).toBe('abc');
    expect(await echoOnce(portOf(plane, 'tcp'), 'defg')).toBe('defg');
    await eventually(() => valueOf(plane.statsSnapshot(), 'listener.tcp_listener.downstream_cx_destroy') === 2);
    const result = await plane.update((await bootstrapOf(yaml(false))).staticResources);
    expect(result.clusters.removed).toEqual(['echo']);
    expect(result.listeners.removed).toEqual(['tcp']);
    expect(plane.clusterStatuses().map((c) => c.name)).toEqual(['backend', 'sick']);

    const snapshot = plane.statsSnapshot();
    expect(valuesUnder(snapshot, 'tcp.tcpin.')).toEqual({ downstream_cx_total: 2, downstream_cx_rx_bytes_total: 7, downstream_cx_tx_bytes_total: 7 });
    expect(valuesUnder(snapshot, 'listener.tcp_listener.')).toEqual({ downstream_cx_total: 2, downstream_cx_destroy: 2 });
    expect(valuesUnder(snapshot, 'cluster.echo.', false)).toMatchObject({ upstream_cx_total: 2, upstream_cx_destroy: 2, membership_total: 0, membership_healthy: 0 });
    // And once more: nothing is counted twice.
    expect(valuesUnder(plane.statsSnapshot(), 'tcp.tcpin.')).toEqual({ downstream_cx_total: 2, downstream_cx_rx_bytes_total: 7, downstream_cx_tx_bytes_total: 7 });
  });

  it('adds up a rebuilt cluster: the store counts the old and the new instance', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const stats = createStatsStore();
    const yaml = (timeout: string): string => `static_resources:
  listeners:${httpListener()}
  clusters:${staticCluster('backend', upstream.port).replace('connect_timeout: 1s', `connect_timeout: ${timeout}`)}${sickCluster()}
`;
    const plane = await startPlane(yaml('1s'), stats);
    const port = portOf(plane, 'main');
    expect((await send(port, '/ok')).status).toBe(200);
    plane.statsSnapshot();
    const result = await plane.update((await bootstrapOf(yaml('2s'))).staticResources);
    expect(result.clusters.updated).toEqual(['backend']);
    expect((await send(port, '/ok')).status).toBe(200);
    expect((await send(port, '/ok')).status).toBe(200);
    const snapshot = plane.statsSnapshot();
    expect(valueOf(snapshot, 'cluster.backend.upstream_rq_total')).toBe(3);
    expect(valueOf(snapshot, 'cluster.backend.upstream_rq_200')).toBe(3);
    expect(valueOf(snapshot, 'cluster.backend.membership_total')).toBe(1);
  });

  it('registers the cluster membership gauges and max_host_weight NeverImport and the in-flight gauges Accumulate, as Envoy', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const yaml = `static_resources:
  listeners:${httpListener()}
  clusters:${staticCluster('backend', upstream.port)}${sickCluster()}
`;
    // Two workers' stores, aggregated as the primary does.
    const snapshots = [];
    for (let worker = 0; worker < 2; worker++) {
      const plane = await startPlane(yaml, createStatsStore(), 2);
      expect((await send(portOf(plane, 'main'), '/ok')).status).toBe(200);
      snapshots.push(plane.statsSnapshot());
    }
    const modes = Object.fromEntries((snapshots[0]?.gauges ?? []).filter((g) => g.name.startsWith('cluster.backend.')).map((g) => [g.name.slice('cluster.backend.'.length), g.importMode]));
    expect(modes).toMatchObject({
      membership_total: 'neverImport',
      membership_healthy: 'neverImport',
      membership_degraded: 'neverImport',
      membership_excluded: 'neverImport',
      max_host_weight: 'neverImport',
      upstream_cx_active: 'accumulate',
      upstream_rq_active: 'accumulate',
    });
    const aggregate = aggregateSnapshots(snapshots);
    expect(valueOf(aggregate, 'cluster.backend.membership_total')).toBe(1);
    expect(valueOf(aggregate, 'cluster.backend.membership_healthy')).toBe(1);
    expect(valueOf(aggregate, 'cluster.backend.max_host_weight')).toBe(1);
    expect(valueOf(aggregate, 'cluster.backend.upstream_rq_total')).toBe(2);
  });
});

describe('HTTP/2 downstream stats', () => {
  it('counts h2c connections and streams, and records their request times', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const stats = createStatsStore();
    const plane = await startPlane(`static_resources:
  listeners:${httpListener()}
  clusters:${staticCluster('backend', upstream.port)}${sickCluster()}
`, stats);
    const session = connectHttp2(`http://127.0.0.1:${portOf(plane, 'main')}`);
    session.on('error', () => undefined);
    const get = (path: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const stream = session.request({ ':path': path });
        let status = 0;
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('error', reject);
        stream.resume();
        stream.on('end', () => resolve(status));
      });
    expect(await Promise.all([get('/ok'), get('/ok?status=201'), get('/uh')])).toEqual([200, 201, 503]);
    const during = plane.statsSnapshot();
    expect([valueOf(during, 'http.ingress.downstream_cx_http2_active'), valueOf(during, 'http.ingress.downstream_cx_http2_total')]).toEqual([1, 1]);
    await new Promise<void>((r) => session.close(() => r()));
    await eventually(() => valueOf(plane.statsSnapshot(), 'http.ingress.downstream_cx_destroy') === 1);
    stats.mergeHistograms();
    const snapshot = plane.statsSnapshot();
    expect(valuesUnder(snapshot, 'http.ingress.')).toEqual({
      downstream_cx_total: 1,
      downstream_cx_destroy: 1,
      // Seen at 1 by the snapshot in between, so used.
      downstream_cx_active: 0,
      downstream_cx_http2_total: 1,
      downstream_cx_http2_active: 0,
      downstream_rq_total: 3,
      downstream_rq_http2_total: 3,
      downstream_rq_2xx: 2,
      downstream_rq_5xx: 1,
      downstream_rq_completed: 3,
    });
    expect(histogramCount(snapshot, 'http.ingress.downstream_rq_time')).toBe(3);
    expect(histogramCount(snapshot, 'http.ingress.downstream_cx_length_ms')).toBe(1);
    expect(valuesUnder(snapshot, 'cluster.backend.')).toMatchObject({ upstream_rq_200: 1, upstream_rq_201: 1, upstream_rq_2xx: 2 });
    expect(valueOf(snapshot, 'cluster.sick_alt.upstream_rq_503')).toBe(1);
  });
});

describe('max_retries circuit breaker', () => {
  it('refuses a retry while max_retries retries are outstanding (upstream_rq_retry_overflow, UO)', async () => {
    const upstream = await startUpstream('backend');
    cleanups.push(() => upstream.close());
    const stats = createStatsStore();
    const breakers = `
      circuit_breakers:
        thresholds:
          - { priority: DEFAULT, max_retries: 1 }`;
    const plane = await startPlane(
      `static_resources:
  listeners:${httpListener()}
  clusters:${staticCluster('backend', upstream.port, breakers)}${sickCluster()}
`,
      stats,
    );
    const port = portOf(plane, 'main');
    // A: 503, then its retry is answered only after 400 ms, holding the one retry the cluster allows.
    const a = send(port, '/retry?fail=1&key=a&delay=400');
    await eventually(() => upstream.received === 2);
    // In flight: the gauges show it.
    const during = plane.statsSnapshot();
    expect([valueOf(during, 'http.ingress.downstream_rq_active'), valueOf(during, 'http.ingress.downstream_cx_active')]).toEqual([1, 1]);
    expect([valueOf(during, 'cluster.backend.upstream_rq_active'), valueOf(during, 'listener.127.0.0.1_0.downstream_cx_active')]).toEqual([1, 1]);
    expect(valueOf(during, 'http.ingress.downstream_cx_http1_active')).toBe(1);
    // B: 503 and retriable, but the breaker is open: the 503 goes downstream.
    const b = await send(port, '/retry?fail=1&key=b');
    expect(b.status).toBe(503);
    expect((await a).status).toBe(200);
    // C, after A finished: its retry is allowed again.
    expect((await send(port, '/retry?fail=1&key=c')).status).toBe(200);
    expect(upstream.received).toBe(5);
    const snapshot = plane.statsSnapshot();
    expect(valuesUnder(snapshot, 'cluster.backend.')).toMatchObject({
      upstream_rq_retry: 2,
      upstream_rq_retry_overflow: 1,
      upstream_rq_retry_success: 2,
      upstream_rq_200: 2,
      upstream_rq_503: 1,
    });
    expect(plane.clusters.get('backend')?.stats.retriesActive).toBe(0);
    await eventually(() => valueOf(plane.statsSnapshot(), 'http.ingress.downstream_cx_active') === 0);
    expect(valueOf(plane.statsSnapshot(), 'http.ingress.downstream_rq_active')).toBe(0);
  });

  it('splits max_retries over workers like the other limits (Envoy default 3)', async () => {
    const stats = createStatsStore();
    const plane = await startPlane(`static_resources:
  listeners: []
  clusters:${staticCluster('backend', 1)}
`, stats, 2);
    expect(plane.clusters.get('backend')?.limits.default.maxRetries).toBe(2);
    expect(plane.clusters.get('backend')?.stats.maxRetries).toBe(2);
  });
});

describe('DataPlane without a stats store', () => {
  it('returns an empty snapshot and still describes clusters', async () => {
    const plane = await DataPlane.start({ bootstrap: await bootstrapOf(`static_resources:
  listeners: []
  clusters:${sickCluster()}
`) });
    cleanups.push(() => plane.destroy());
    expect(plane.statsSnapshot()).toMatchObject({ counters: [], gauges: [], histograms: [] });
    expect(plane.clusterStatuses().map((c) => c.hosts[0]?.healthFlags)).toEqual([['/failed_eds_health']]);
  });
});
