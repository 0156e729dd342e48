import { status } from '@grpc/grpc-js';
import { OrionError } from '@orion/error';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORION_ERR_METRICS_EXPORT_FAILED, ORION_ERR_METRICS_EXPORTER_CLOSED, ORION_ERR_METRICS_INVALID_OPTIONS } from '../src/error-codes.js';
import type { MetricsLogger } from '../src/metrics-logger.js';
import { createOtlpStatsExporter, type OtlpStatsExporter } from '../src/otlp-stats-exporter.js';
import { aggregateSnapshots } from '../src/aggregate-snapshots.js';
import { createStatsStore } from '../src/stats-store.js';
import { attributesOf, metricsByName, startOtlpReceiver, type OtlpReceiver } from './otlp-receiver.js';

describe('createOtlpStatsExporter', () => {
  let receiver: OtlpReceiver;
  const exporters: OtlpStatsExporter[] = [];

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });

  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((e) => e.close()));
    await receiver.close();
  });

  function track(exporter: OtlpStatsExporter): OtlpStatsExporter {
    exporters.push(exporter);
    return exporter;
  }

  it('pushes the aggregated counters, gauges and histograms of several processes to a gRPC collector', async () => {
    const primary = createStatsStore({ origin: 'primary' });
    primary.gauge('server.live', 'neverImport').set(1);
    const workers = [createStatsStore(), createStatsStore()];
    workers.forEach((w, i) => {
      w.counter('http.ingress_http.downstream_rq_total').inc(10 + i);
      w.histogram('http.ingress_http.downstream_rq_time').record(20 * (i + 1));
      w.mergeHistograms();
    });
    const exporter = track(
      createOtlpStatsExporter({
        url: receiver.url,
        flushIntervalMs: 60_000,
        collect: () => aggregateSnapshots([primary.snapshot(), ...workers.map((w) => w.snapshot())]),
        metadata: [{ key: 'x-orion-test', value: 'yes' }],
        resourceAttributes: { 'service.name': 'orion' },
      }),
    );
    await exporter.flush();
    expect(receiver.exports).toHaveLength(1);
    const received = receiver.exports[0];
    if (received === undefined) throw new Error('no export received');
    expect(received.metadata.get('x-orion-test')).toEqual(['yes']);
    expect(received.request.resource_metrics[0]?.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { string_value: 'orion', value: 'string_value' },
    });
    const metrics = metricsByName(received);
    const requests = metrics.get('http.downstream_rq_total');
    expect(requests?.data).toBe('sum');
    expect(requests?.sum).toMatchObject({ aggregation_temporality: 'AGGREGATION_TEMPORALITY_CUMULATIVE', is_monotonic: true });
    expect(requests?.sum?.data_points[0]?.as_int).toBe(21);
    expect(requests?.sum?.data_points[0] === undefined ? undefined : attributesOf(requests.sum.data_points[0])).toEqual({ 'envoy.http_conn_manager_prefix': 'ingress_http' });
    expect(metrics.get('server.live')?.gauge?.data_points[0]?.as_int).toBe(1);
    const time = metrics.get('http.downstream_rq_time')?.histogram?.data_points[0];
    expect(time?.count).toBe(2);
    expect(time?.explicit_bounds).toEqual([0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000]);
    expect(time?.bucket_counts).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('pushes counter deltas when reporting counters as deltas', async () => {
    const store = createStatsStore();
    const counter = store.counter('cluster.backend.upstream_rq_total');
    const exporter = track(
      createOtlpStatsExporter({ url: receiver.url, flushIntervalMs: 60_000, reportCountersAsDeltas: true, collect: () => store.snapshot() }),
    );
    counter.inc(5);
    await exporter.flush();
    counter.inc(2);
    await exporter.flush();
    const points = receiver.exports.map((e) => metricsByName(e).get('cluster.upstream_rq_total')?.sum);
    expect(points.map((p) => p?.aggregation_temporality)).toEqual(['AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_DELTA']);
    expect(points.map((p) => p?.data_points[0]?.as_int)).toEqual([5, 2]);
  });

  it('pushes every flush interval by itself', async () => {
    const store = createStatsStore();
    store.counter('c').inc();
    const exporter = track(createOtlpStatsExporter({ url: receiver.url, flushIntervalMs: 50, collect: () => store.snapshot() }));
    await receiver.waitFor(2, 5000);
    await exporter.close();
    const [first] = receiver.exports;
    expect(first === undefined ? undefined : metricsByName(first).get('c')?.sum?.data_points[0]?.as_int).toBe(1);
  });

  it('rejects a flush the collector refuses and reports periodic failures to the logger', async () => {
    receiver.failWith(status.PERMISSION_DENIED);
    const store = createStatsStore();
    store.counter('c').inc();
    const warnings: string[] = [];
    const logger: MetricsLogger = { debug: () => undefined, warn: (m) => warnings.push(m) };
    const exporter = track(createOtlpStatsExporter({ url: receiver.url, flushIntervalMs: 50, timeoutMs: 2000, collect: () => store.snapshot(), logger }));
    await expect(exporter.flush()).rejects.toMatchObject({ code: ORION_ERR_METRICS_EXPORT_FAILED });
    const deadline = Date.now() + 5000;
    while (warnings.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(warnings[0]).toMatch(/OTLP export to http:\/\/127\.0\.0\.1:\d+ failed/);
  });

  it('sends nothing when no stat is used', async () => {
    const store = createStatsStore();
    store.counter('c');
    const exporter = track(createOtlpStatsExporter({ url: receiver.url, flushIntervalMs: 60_000, collect: () => store.snapshot() }));
    await exporter.flush();
    expect(receiver.exports).toHaveLength(0);
  });

  it('closes once, refuses flushes after, and closes when its signal aborts', async () => {
    const store = createStatsStore();
    const exporter = createOtlpStatsExporter({ url: receiver.url, collect: () => store.snapshot() });
    await exporter.close();
    await exporter.close();
    await expect(exporter.flush()).rejects.toMatchObject({ code: ORION_ERR_METRICS_EXPORTER_CLOSED });
    const controller = new AbortController();
    const aborted = createOtlpStatsExporter({ url: receiver.url, collect: () => store.snapshot(), signal: controller.signal });
    controller.abort();
    await new Promise((r) => setTimeout(r, 10));
    await expect(aborted.flush()).rejects.toMatchObject({ code: ORION_ERR_METRICS_EXPORTER_CLOSED });
  });

  it('refuses options out of range', () => {
    const collect = () => createStatsStore().snapshot();
    for (const options of [{ url: '' }, { url: receiver.url, flushIntervalMs: 0 }, { url: receiver.url, timeoutMs: -1 }]) {
      try {
        createOtlpStatsExporter({ ...options, collect });
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(OrionError);
        expect((err as OrionError).code).toBe(ORION_ERR_METRICS_INVALID_OPTIONS);
      }
    }
  });
});
