import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { curl } from '../../src/orion/curl.js';
import { startOtlpReceiver, type OtlpMetric, type OtlpReceiver } from '../../src/orion/otlp-receiver.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { OTLP_STATS_SINK, adminTestConfig, otlpCollector } from './admin-config.js';

let upstream: TestUpstream;
let receiver: OtlpReceiver;
let proxy: AdminOrion;

/** The attributes of the `http.downstream_rq_total` point of `ingress_http`, as key=value strings. */
function ingressAttributes(metrics: readonly OtlpMetric[]): string[] | undefined {
  for (const m of metrics) {
    if (m.name !== 'http.downstream_rq_total') continue;
    for (const p of m.sum?.data_points ?? []) {
      const attributes = p.attributes.map((a) => `${a.key}=${a.value.string_value ?? ''}`);
      if (attributes.includes('envoy.http_conn_manager_prefix=ingress_http') && Number(p.as_int ?? p.as_double) > 0) return attributes;
    }
  }
  return undefined;
}

beforeAll(async () => {
  upstream = await httpUpstream('backend');
  receiver = await startOtlpReceiver();
  const extra = `stats_config:
  stats_tags: [{ tag_name: tenant, fixed_value: blue }]
  stats_matcher: { exclusion_list: { patterns: [{ prefix: "server." }] } }
${OTLP_STATS_SINK}`;
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port, extra, extraClusters: otlpCollector(receiver.port), flushInterval: '0.2s' }), ['--concurrency', '1']);
});

afterAll(async () => {
  await proxy?.close();
  await receiver?.close();
  await upstream?.close();
});

describe('the OpenTelemetry stats sink with stats_config', () => {
  it('sends the stats_tags as attributes and leaves out what stats_matcher rejects', async () => {
    const base = `http://${proxy.listeners.get('listener_http') ?? ''}`;
    for (let i = 0; i < 3; i++) expect((await curl(`${base}/direct`)).status).toBe(200);
    await receiver.waitUntil((metrics) => ingressAttributes(metrics) !== undefined, 20_000);
    expect(ingressAttributes(receiver.metrics)).toEqual(['tenant=blue', 'envoy.http_conn_manager_prefix=ingress_http']);
    expect(receiver.metrics.filter((m) => m.name.startsWith('server.')).map((m) => m.name)).toEqual([]);
    expect(receiver.metrics.some((m) => m.name === 'cluster_manager.active_clusters')).toBe(true);
  });
});
