import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createOtlpMetricsConverter, hrTime } from '../src/otlp-metrics.js';
import { createStatsStore } from '../src/stats-store.js';
import { binsOfValues, histogramOf, snapshotOf } from './helpers.js';

function byName(metrics: readonly MetricData[] | undefined): Map<string, MetricData> {
  return new Map((metrics ?? []).map((m) => [m.descriptor.name, m]));
}

describe('createOtlpMetricsConverter', () => {
  it('names metrics by tag-extracted name with tags as attributes, used stats only', () => {
    const store = createStatsStore({ now: () => 2_000 });
    store.counter('cluster.a.upstream_rq_total').inc(3);
    store.counter('cluster.b.upstream_rq_total').inc(4);
    store.counter('cluster.c.upstream_rq_total');
    store.gauge('server.live', 'neverImport').set(1);
    const converter = createOtlpMetricsConverter({ resourceAttributes: { 'service.name': 'orion' } }, 1_000);
    const out = converter.convert(store.snapshot());
    expect(out?.resource.attributes).toEqual({ 'service.name': 'orion' });
    const metrics = byName(out?.scopeMetrics[0]?.metrics);
    expect([...metrics.keys()]).toEqual(['server.live', 'cluster.upstream_rq_total']);
    expect(metrics.get('cluster.upstream_rq_total')).toEqual({
      descriptor: { name: 'cluster.upstream_rq_total', description: '', unit: '', valueType: ValueType.INT },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [
        { startTime: [1, 0], endTime: [2, 0], attributes: { 'envoy.cluster_name': 'a' }, value: 3 },
        { startTime: [1, 0], endTime: [2, 0], attributes: { 'envoy.cluster_name': 'b' }, value: 4 },
      ],
    });
    expect(metrics.get('server.live')).toMatchObject({ dataPointType: DataPointType.GAUGE, dataPoints: [{ value: 1, attributes: {} }] });
  });

  it('honours prefix, use_tag_extracted_name and emit_tags_as_attributes', () => {
    const store = createStatsStore();
    store.counter('cluster.a.upstream_rq_total').inc();
    const full = createOtlpMetricsConverter({ prefix: 'orion', useTagExtractedName: false, emitTagsAsAttributes: false }).convert(store.snapshot());
    expect(full?.scopeMetrics[0]?.metrics[0]).toMatchObject({
      descriptor: { name: 'orion.cluster.a.upstream_rq_total' },
      dataPoints: [{ attributes: {} }],
    });
  });

  it('reports counter deltas since the previous push, restarting after a reset', () => {
    let now = 10_000;
    const store = createStatsStore({ now: () => now });
    const counter = store.counter('c');
    const converter = createOtlpMetricsConverter({ reportCountersAsDeltas: true }, 5_000);
    counter.inc(5);
    const first = converter.convert(store.snapshot())?.scopeMetrics[0]?.metrics[0];
    expect(first).toMatchObject({ aggregationTemporality: AggregationTemporality.DELTA, dataPoints: [{ value: 5, startTime: [5, 0], endTime: [10, 0] }] });
    now = 15_000;
    counter.inc(2);
    expect(converter.convert(store.snapshot())?.scopeMetrics[0]?.metrics[0]).toMatchObject({ dataPoints: [{ value: 2, startTime: [10, 0] }] });
    now = 20_000;
    store.resetCounters();
    counter.inc(1);
    expect(converter.convert(store.snapshot())?.scopeMetrics[0]?.metrics[0]).toMatchObject({ dataPoints: [{ value: 1 }] });
  });

  it('sends histograms as explicit-bound buckets with the overflow bucket, cumulative or the last interval', () => {
    const bins = binsOfValues([3, 20, 7_000_000]);
    const snapshot = snapshotOf({ histograms: [histogramOf('h', bins, { interval: binsOfValues([20]), buckets: [10, 100] })] });
    const cumulative = createOtlpMetricsConverter().convert(snapshot)?.scopeMetrics[0]?.metrics[0] as HistogramMetricData;
    expect(cumulative.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(cumulative.dataPoints[0]?.value).toMatchObject({ buckets: { boundaries: [10, 100], counts: [1, 1, 1] }, count: 3 });
    const delta = createOtlpMetricsConverter({ reportHistogramsAsDeltas: true }).convert(snapshot)?.scopeMetrics[0]?.metrics[0] as HistogramMetricData;
    expect(delta.aggregationTemporality).toBe(AggregationTemporality.DELTA);
    expect(delta.dataPoints[0]?.value).toMatchObject({ buckets: { counts: [0, 1, 0] }, count: 1 });
  });

  it('sends a gauge as a double when a value is not an integer, and nothing for an empty snapshot', () => {
    const store = createStatsStore();
    store.gauge('g').set(0.5);
    expect(createOtlpMetricsConverter().convert(store.snapshot())?.scopeMetrics[0]?.metrics[0]?.descriptor.valueType).toBe(ValueType.DOUBLE);
    expect(createOtlpMetricsConverter().convert(snapshotOf({}))).toBeUndefined();
  });

  it('converts milliseconds to [seconds, nanoseconds]', () => {
    expect(hrTime(1_700_000_000_123.5)).toEqual([1_700_000_000, 123_500_000]);
  });
});
