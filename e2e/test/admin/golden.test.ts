import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest, normalizeAdminOutput, startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { curl } from '../../src/orion/curl.js';
import { adminTestConfig } from './admin-config.js';

// One process (`--concurrency 1`) so every line is the same from run to run. `ORION_UPDATE_GOLDEN=1` rewrites the
// golden files from the current output (review the diff before committing it).
const GOLDEN = (name: string): string => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
// Uptime and memory vary; so do the admin listener's own open connections and requests, which depend on when the
// previous admin connection's close is seen.
const SERVER_VOLATILE = ['server.uptime', 'server.memory_allocated', 'server.memory_heap_size', 'server.memory_physical_size'];
const ADMIN_VOLATILE = ['downstream_cx_active', 'downstream_cx_http1_active', 'downstream_cx_destroy', 'downstream_rq_active'];
const VOLATILE = [...SERVER_VOLATILE, ...ADMIN_VOLATILE.map((n) => `http.admin.${n}`)];
const VOLATILE_PROMETHEUS = [
  ...SERVER_VOLATILE.map((n) => `envoy_${n.replace('.', '_')}`),
  ...ADMIN_VOLATILE.map((n) => `envoy_http_${n}{envoy_http_conn_manager_prefix="admin"}`),
];

let upstream: { port: number; close(): Promise<void> };

/** `/notfound` answers 404, everything else 200; idle connections stay open for the whole test (Node's default closes them after 5 s). */
async function longKeepAliveUpstream(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/notfound' ? 404 : 200;
    res.end('backend\n');
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
let proxy: AdminOrion;
let ports: Map<number, string>;

async function expectGolden(name: string, actual: string): Promise<void> {
  const path = GOLDEN(name);
  if (process.env['ORION_UPDATE_GOLDEN'] === '1' || !existsSync(path)) await writeFile(path, actual);
  const golden = await readFile(path, 'utf8');
  expect(actual.split('\n')).toEqual(golden.split('\n'));
}

/** Prometheus histogram buckets and sums of times vary from run to run; their counts do not. */
function normalizeTimeBuckets(text: string): string {
  return text.replace(/^(envoy_\S*(?:_time|_ms)_(?:bucket|sum)(?:\{[^}]*\})? )\S+$/gm, '$1<t>');
}

beforeAll(async () => {
  upstream = await longKeepAliveUpstream();
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port }), ['--concurrency', '1']);
  const listenerPort = Number((proxy.listeners.get('listener_http') ?? '').split(':').pop());
  const adminPort = Number(new URL(proxy.adminUrl).port);
  ports = new Map([
    [listenerPort, '<LISTENER_PORT>'],
    [upstream.port, '<UPSTREAM_PORT>'],
    [adminPort, '<ADMIN_PORT>'],
  ]);
  // The scripted requests: 3 direct responses, 2 proxied 200s, 1 proxied 404, each on its own connection.
  const base = `http://${proxy.listeners.get('listener_http') ?? ''}`;
  for (const path of ['/direct', '/direct', '/direct', '/ok', '/ok', '/notfound']) {
    const r = await curl(`${base}${path}`);
    expect(r.exitCode).toBe(0);
  }
  // Two flush intervals (0.1 s): histograms merged, connections closed.
  await new Promise((r) => setTimeout(r, 500));
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

describe('admin golden output after a scripted set of requests (one process)', () => {
  it('/stats matches golden/stats.txt line by line', async () => {
    const r = await adminRequest(proxy.adminUrl, '/stats');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('text/plain; charset=UTF-8');
    await expectGolden('stats.txt', normalizeAdminOutput(r.body, { ports, volatile: VOLATILE }));
  });

  it('/stats/prometheus matches golden/prometheus.txt line by line', async () => {
    const r = await adminRequest(proxy.adminUrl, '/stats/prometheus');
    expect(r.status).toBe(200);
    await expectGolden('prometheus.txt', normalizeTimeBuckets(normalizeAdminOutput(r.body, { ports, volatile: VOLATILE_PROMETHEUS })));
  });

  it('/clusters matches golden/clusters.txt line by line', async () => {
    const r = await adminRequest(proxy.adminUrl, '/clusters');
    expect(r.status).toBe(200);
    await expectGolden('clusters.txt', normalizeAdminOutput(r.body, { ports }));
  });

  it('/clusters?format=json matches golden/clusters.json line by line', async () => {
    const r = await adminRequest(proxy.adminUrl, '/clusters?format=json');
    expect(r.contentType).toBe('application/json');
    await expectGolden('clusters.json', normalizeAdminOutput(r.body, { ports: new Map() }).replace(new RegExp(`"port_value": ${upstream.port}\\b`, 'g'), '"port_value": <UPSTREAM_PORT>'));
  });

  it('/listeners and /listeners?format=json match golden/listeners.txt and golden/listeners.json', async () => {
    const text = await adminRequest(proxy.adminUrl, '/listeners');
    await expectGolden('listeners.txt', normalizeAdminOutput(text.body, { ports }));
    const json = await adminRequest(proxy.adminUrl, '/listeners?format=json');
    const port = [...ports].find(([, n]) => n === '<LISTENER_PORT>')?.[0];
    await expectGolden('listeners.json', json.body.replace(new RegExp(`"port_value": ${port}\\b`, 'g'), '"port_value": <LISTENER_PORT>'));
  });

  it('/ready matches golden/ready.txt', async () => {
    const r = await adminRequest(proxy.adminUrl, '/ready');
    expect(r.status).toBe(200);
    await expectGolden('ready.txt', r.body);
  });

  it('answers Istio\'s readiness probe with exactly Envoy\'s text', async () => {
    const r = await adminRequest(proxy.adminUrl, '/stats?usedonly&filter=^(server\\.state|listener_manager\\.workers_started)');
    expect(r.status).toBe(200);
    expect(r.body).toBe('listener_manager.workers_started: 1\nserver.state: 0\n');
  });
});
