import { request as httpRequest } from 'node:http';
import { decodeMessage } from '@orion/data-plane-api';
import { ConfigDumpSchema } from '@orion/data-plane-api/gen/envoy/admin/v3/config_dump_pb.js';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest, startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { adminTestConfig } from './admin-config.js';

interface PromMetric {
  readonly name: string;
  readonly type: string;
  readonly metrics: readonly { readonly labels?: Readonly<Record<string, string>>; readonly value?: string; readonly buckets?: Readonly<Record<string, string>> }[];
}

/** GET on a new connection; resolves with the status. */
function get(proxy: AdminOrion, path: string): Promise<number> {
  const [host, port] = (proxy.listeners.get('listener_http') ?? '').split(':');
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port: Number(port), path, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Polls `/stats` (at most 5 s) until `predicate` holds for its body. */
async function statsUntil(proxy: AdminOrion, path: string, predicate: (body: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5_000;
  let body = '';
  for (let i = 0; i < 100 && Date.now() < deadline; i++) {
    body = (await adminRequest(proxy.adminUrl, path)).body;
    if (predicate(body)) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  return body;
}

const REQUESTS = 6;

describe('stats_config (two workers)', () => {
  let upstream: TestUpstream;
  let proxy: AdminOrion;

  beforeAll(async () => {
    upstream = await httpUpstream('backend');
    const extra = `stats_config:
  stats_tags:
  - { tag_name: tenant, fixed_value: blue }
  stats_matcher:
    exclusion_list:
      patterns:
      - { prefix: "cluster." }
      - { safe_regex: { regex: 'http\\.ingress_http\\.downstream_rq_[1-5]xx' } }
  histogram_bucket_settings:
  - { match: { suffix: downstream_rq_time }, buckets: [1000, 1] }`;
    proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port, extra }), ['--concurrency', '2']);
  });

  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
  });

  it('/stats leaves out every stat the exclusion list matches, in the primary and in the workers', async () => {
    for (let i = 0; i < REQUESTS; i++) expect(await get(proxy, '/')).toBe(200);
    const body = await statsUntil(proxy, '/stats', (b) => b.includes(`http.ingress_http.downstream_rq_total: ${REQUESTS}\n`));
    expect(body).toContain(`http.ingress_http.downstream_rq_total: ${REQUESTS}\n`);
    expect(body).toMatch(/^server\.live: 1$/m);
    const lines = body.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => l.startsWith('cluster.'))).toEqual([]);
    expect(lines.filter((l) => /^http\.ingress_http\.downstream_rq_[1-5]xx:/.test(l))).toEqual([]);
    // Not excluded: the regex matches whole names only, as Envoy's safe_regex does.
    expect(body).toMatch(/^http\.ingress_http\.downstream_rq_completed: \d+$/m);
  });

  it('/stats/prometheus labels every stat with the custom tag and gives downstream_rq_time the configured buckets', async () => {
    for (let i = 0; i < REQUESTS; i++) expect(await get(proxy, '/')).toBe(200);
    const text = await statsUntil(proxy, '/stats/prometheus', (b) => b.includes('envoy_http_downstream_rq_time_bucket'));
    const families = parsePrometheusTextFormat(text) as PromMetric[];
    const total = families.find((f) => f.name === 'envoy_http_downstream_rq_total');
    const ingress = total?.metrics.find((m) => m.labels?.['envoy_http_conn_manager_prefix'] === 'ingress_http');
    expect(ingress?.labels).toEqual({ tenant: 'blue', envoy_http_conn_manager_prefix: 'ingress_http' });
    expect(Number(ingress?.value)).toBeGreaterThanOrEqual(REQUESTS);
    const live = families.find((f) => f.name === 'envoy_server_live');
    expect(live?.metrics[0]?.labels).toEqual({ tenant: 'blue' });
    const rqTime = families.find((f) => f.name === 'envoy_http_downstream_rq_time');
    expect(rqTime?.type).toBe('HISTOGRAM');
    // The parser keeps no labels on histogram buckets: only ingress_http records downstream_rq_time (admin has none).
    expect(rqTime?.metrics.map((m) => Object.keys(m.buckets ?? {}))).toEqual([['1', '1000', '+Inf']]);
    expect(text).toContain('envoy_http_downstream_rq_time_bucket{tenant="blue",envoy_http_conn_manager_prefix="ingress_http",le="1000"} ');
    // `cluster_manager.*` does not start with `cluster.`: only the per-cluster stats are gone.
    expect(families.filter((f) => f.name.startsWith('envoy_cluster_') && !f.name.startsWith('envoy_cluster_manager_')).map((f) => f.name)).toEqual([]);
    expect(families.some((f) => f.name === 'envoy_cluster_manager_active_clusters')).toBe(true);
  });

  it('/config_dump shows the stats_config in the bootstrap and decodes strictly', async () => {
    const r = await adminRequest(proxy.adminUrl, '/config_dump');
    const json = JSON.parse(r.body) as { configs: { '@type': string; bootstrap: { stats_config?: unknown } }[] };
    expect(json.configs[0]?.['@type']).toBe('type.googleapis.com/envoy.admin.v3.BootstrapConfigDump');
    await decodeMessage(ConfigDumpSchema, json);
    expect(json.configs[0]?.bootstrap.stats_config).toEqual({
      stats_tags: [{ tag_name: 'tenant', fixed_value: 'blue' }],
      stats_matcher: { exclusion_list: { patterns: [{ prefix: 'cluster.' }, { safe_regex: { regex: 'http\\.ingress_http\\.downstream_rq_[1-5]xx' } }] } },
      histogram_bucket_settings: [{ match: { suffix: 'downstream_rq_time' }, buckets: [1, 1000] }],
    });
  });
});

describe('stats_config with stats_matcher reject_all (one process)', () => {
  let upstream: TestUpstream;
  let proxy: AdminOrion;

  beforeAll(async () => {
    upstream = await httpUpstream('backend');
    proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port, extra: 'stats_config: { stats_matcher: { reject_all: true } }' }), ['--concurrency', '1']);
  });

  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
  });

  it('serves traffic and shows no stat at all, server.* included, as Envoy does', async () => {
    for (let i = 0; i < REQUESTS; i++) expect(await get(proxy, '/')).toBe(200);
    await new Promise((r) => setTimeout(r, 250));
    const stats = await adminRequest(proxy.adminUrl, '/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.trim()).toBe('');
    const prometheus = await adminRequest(proxy.adminUrl, '/stats/prometheus');
    expect(prometheus.status).toBe(200);
    expect(prometheus.body.trim()).toBe('');
    // The admin endpoints that do not read stats are unaffected.
    expect((await adminRequest(proxy.adminUrl, '/ready')).body).toBe('LIVE\n');
  });
});
