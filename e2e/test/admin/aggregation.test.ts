import { request as httpRequest } from 'node:http';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest, startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { adminTestConfig } from './admin-config.js';

let upstream: TestUpstream;
let proxy: AdminOrion;

/** GET on a new connection each time; resolves with the status and the pid of the worker that answered. */
function get(path: string): Promise<{ status: number; pid: string }> {
  const [host, port] = (proxy.listeners.get('listener_http') ?? '').split(':');
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port: Number(port), path, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, pid: String(res.headers['x-served-by-pid'] ?? '') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function stat(name: string): Promise<number> {
  const r = await adminRequest(proxy.adminUrl, `/stats?filter=^${name.replace(/\./g, '\\.')}$`);
  const m = /: (\d+)$/m.exec(r.body);
  if (m === null) throw new Error(`no ${name} in ${r.body}`);
  return Number(m[1]);
}

function workerPids(): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of proxy.orion.stderr) {
    const m = /worker (\d+) pid (\d+) serving/.exec(line) ?? /worker (\d+) replaced: pid (\d+)/.exec(line);
    if (m !== null) pids.set(Number(m[1]), Number(m[2]));
  }
  return pids;
}

beforeAll(async () => {
  upstream = await httpUpstream('backend');
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port }), ['--concurrency', '2']);
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

describe('stats aggregated over two worker processes', () => {
  it('sums what both workers counted, in /stats and in /stats/prometheus (parsed by a Prometheus text-format parser)', async () => {
    const served = new Set<string>();
    // Bounded: at most 400 requests until both workers have answered, then exactly 40 counted below.
    for (let i = 0; i < 400 && served.size < 2; i++) served.add((await get('/direct')).pid);
    expect(served.size).toBe(2);
    await adminRequest(proxy.adminUrl, '/reset_counters', 'POST');
    const pids = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await get(i % 2 === 0 ? '/direct' : '/proxied');
      expect(r.status).toBe(200);
      pids.add(r.pid);
    }
    expect(await stat('http.ingress_http.downstream_rq_total')).toBe(40);
    expect(await stat('http.ingress_http.downstream_rq_2xx')).toBe(40);
    expect(await stat('cluster.backend.upstream_rq_total')).toBe(20);
    expect(await stat('server.concurrency')).toBe(2);
    // The cluster's membership is the same in every worker: not summed.
    expect(await stat('cluster.backend.membership_total')).toBe(1);
    expect(await stat('cluster.backend.upstream_cx_total')).toBeGreaterThanOrEqual(1);

    const prom = await adminRequest(proxy.adminUrl, '/stats/prometheus');
    expect(prom.contentType).toBe('text/plain; charset=UTF-8');
    const families = parsePrometheusTextFormat(prom.body);
    const xx = families.find((f) => f.name === 'envoy_http_downstream_rq_xx');
    expect(xx?.type).toBe('COUNTER');
    const twoXx = xx?.metrics.find((m) => m.labels?.['envoy_response_code_class'] === '2' && m.labels['envoy_http_conn_manager_prefix'] === 'ingress_http');
    expect(twoXx?.value).toBe('40');
    const rqTime = families.find((f) => f.name === 'envoy_http_downstream_rq_time');
    expect(rqTime?.type).toBe('HISTOGRAM');
    expect(families.find((f) => f.name === 'envoy_cluster_upstream_rq')?.metrics.find((m) => m.labels?.['envoy_response_code'] === '200')?.labels?.['envoy_cluster_name']).toBe('backend');
  });

  it('sums per-host stats over the workers in /clusters and /clusters?format=json', async () => {
    const upstreamRq = await stat('cluster.backend.upstream_rq_total');
    const text = (await adminRequest(proxy.adminUrl, '/clusters')).body;
    expect(text).toContain(`backend::127.0.0.1:${upstream.port}::rq_total::${upstreamRq}\n`);
    expect(text).toContain(`backend::127.0.0.1:${upstream.port}::health_flags::healthy\n`);
    const json = JSON.parse((await adminRequest(proxy.adminUrl, '/clusters?format=json')).body) as {
      cluster_statuses: { name: string; host_statuses: { stats: { name: string; value?: string }[] }[] }[];
    };
    const host = json.cluster_statuses.find((c) => c.name === 'backend')?.host_statuses[0];
    expect(host?.stats.find((s) => s.name === 'rq_total')?.value).toBe(String(upstreamRq));
  });

  it('/stats?format=json lists the aggregate as Envoy\'s JSON', async () => {
    const r = await adminRequest(proxy.adminUrl, '/stats?format=json&filter=http\\.ingress_http\\.downstream_rq_total');
    expect(r.contentType).toBe('application/json');
    const body = JSON.parse(r.body) as { stats: { name?: string; value?: number }[] };
    expect(body.stats.find((s) => s.name === 'http.ingress_http.downstream_rq_total')?.value).toBe(await stat('http.ingress_http.downstream_rq_total'));
  });

  it('reports server.memory_* summed over the primary and the workers (/memory is the primary alone)', async () => {
    const primaryOnly = JSON.parse((await adminRequest(proxy.adminUrl, '/memory')).body) as { total_physical_bytes: string };
    const total = await stat('server.memory_physical_size');
    // Each worker process holds tens of MiB of its own.
    expect(total).toBeGreaterThan(Number(primaryOnly.total_physical_bytes) + 2 * 10 * 1024 * 1024);
  });

  it('answers Istio\'s readiness probe with exactly Envoy\'s text', async () => {
    const r = await adminRequest(proxy.adminUrl, '/stats?usedonly&filter=^(server\\.state|listener_manager\\.workers_started)');
    expect([r.status, r.body]).toEqual([200, 'listener_manager.workers_started: 1\nserver.state: 0\n']);
  });

  it('answers without a stopped worker after the stats timeout, with its last snapshot standing in', async () => {
    const before = await stat('http.ingress_http.downstream_rq_total');
    const pid = workerPids().get(2);
    expect(pid).toBeDefined();
    process.kill(pid as number, 'SIGSTOP');
    try {
      const started = Date.now();
      const r = await adminRequest(proxy.adminUrl, '/stats?filter=downstream_rq_total');
      expect(r.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(r.body).toContain(`http.ingress_http.downstream_rq_total: ${before}\n`);
    } finally {
      process.kill(pid as number, 'SIGCONT');
    }
  });

  it('keeps a killed worker\'s counts: totals never go backwards when it is replaced', async () => {
    const before = await stat('http.ingress_http.downstream_rq_total');
    expect(before).toBeGreaterThanOrEqual(40);
    const pid = workerPids().get(1) as number;
    process.kill(pid, 'SIGKILL');
    await proxy.orion.waitForLine(/worker 1 replaced: pid \d+/, 20_000);
    expect(await stat('http.ingress_http.downstream_rq_total')).toBe(before);
    for (let i = 0; i < 10; i++) expect((await get('/direct')).status).toBe(200);
    expect(await stat('http.ingress_http.downstream_rq_total')).toBe(before + 10);
  });
});
