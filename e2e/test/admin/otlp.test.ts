import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { curl } from '../../src/orion/curl.js';
import { startOtlpReceiver, type OtlpMetric, type OtlpReceiver } from '../../src/orion/otlp-receiver.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { OTLP_STATS_SINK, adminTestConfig, otlpCollector } from './admin-config.js';

let upstream: TestUpstream;
let receiver: OtlpReceiver;
let proxy: AdminOrion;

function counterValue(metrics: readonly OtlpMetric[], name: string, prefix: string): number | undefined {
  let value: number | undefined;
  for (const m of metrics) {
    if (m.name !== name) continue;
    for (const p of m.sum?.data_points ?? []) {
      if (p.attributes.some((a) => a.key === 'envoy.http_conn_manager_prefix' && a.value.string_value === prefix)) value = Number(p.as_int ?? p.as_double);
    }
  }
  return value;
}

beforeAll(async () => {
  upstream = await httpUpstream('backend');
  receiver = await startOtlpReceiver();
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port, extra: OTLP_STATS_SINK, extraClusters: otlpCollector(receiver.port), flushInterval: '0.2s' }), ['--concurrency', '2']);
});

afterAll(async () => {
  await proxy?.close();
  await receiver?.close();
  await upstream?.close();
});

describe('the OpenTelemetry stats sink', () => {
  it('pushes the counters aggregated over the workers to an OTLP/gRPC receiver every stats_flush_interval', async () => {
    const base = `http://${proxy.listeners.get('listener_http') ?? ''}`;
    for (let i = 0; i < 6; i++) expect((await curl(`${base}/direct`)).status).toBe(200);
    await receiver.waitUntil((metrics) => counterValue(metrics, 'http.downstream_rq_total', 'ingress_http') === 6, 20_000);
    expect(counterValue(receiver.metrics, 'http.downstream_rq_total', 'ingress_http')).toBe(6);
    expect(receiver.metrics.some((m) => m.name === 'server.live')).toBe(true);
    expect(receiver.exports).toBeGreaterThan(1);
    const logged = proxy.orion.stderr.some((l) => l.includes(`OTLP/gRPC to http://127.0.0.1:${receiver.port} every 200 ms`));
    expect(logged).toBe(true);
  });

  it('stops pushing when the process exits (exit 0 on SIGTERM)', async () => {
    expect(await proxy.orion.stop('SIGTERM', 15_000)).toBe(0);
    const after = receiver.exports;
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.exports).toBe(after);
  });
});
