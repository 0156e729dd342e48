import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type GaugeMetricData,
  type Histogram as OtelHistogram,
  type HistogramMetricData,
  type MetricData,
  type ResourceMetrics,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { disjointBucketCounts, histogramStatistics } from './histogram-statistics.js';
import type { StatsSnapshot } from './stats-snapshot.js';
import type { Tag } from './tag-extractor.js';
import { defaultTagProducer, type TagProducer } from './tag-producer.js';

/**
 * How stats become OTLP metrics; the fields of Envoy's `envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig`
 * (Orion's `StatsSink` from `@orion/configuration` carries them under the same names).
 */
export interface OtlpConversionOptions {
  /** `report_counters_as_deltas`: counters as DELTA sums of the change since the last push. Default false (CUMULATIVE). */
  readonly reportCountersAsDeltas?: boolean;
  /** `report_histograms_as_deltas`: histograms of the last interval as DELTA. Default false (CUMULATIVE). */
  readonly reportHistogramsAsDeltas?: boolean;
  /** `emit_tags_as_attributes`: tags as data point attributes. Default true. */
  readonly emitTagsAsAttributes?: boolean;
  /** `use_tag_extracted_name`: metric names without their tags (`cluster.upstream_rq_total`). Default true. */
  readonly useTagExtractedName?: boolean;
  /** `prefix` of every metric name (joined with `.`). Default `""` (none). */
  readonly prefix?: string;
  /** Resource attributes (e.g. `service.name`). Default none. */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  /** Tag extraction. Default Envoy's default tags. */
  readonly tagProducer?: TagProducer;
}

/** Turns successive aggregated snapshots into OTLP `ResourceMetrics`, remembering what deltas need. */
export interface OtlpMetricsConverter {
  /** The metrics of `snapshot` (used stats only, as Envoy sinks see them), or undefined when there are none. */
  convert(snapshot: StatsSnapshot): ResourceMetrics | undefined;
}

/** A converter; `startTimeUnixMs` (default now) is the start time of cumulative points. */
export function createOtlpMetricsConverter(options: OtlpConversionOptions = {}, startTimeUnixMs = Date.now()): OtlpMetricsConverter {
  const producer = options.tagProducer ?? defaultTagProducer();
  const prefix = options.prefix === undefined || options.prefix === '' ? '' : `${options.prefix}.`;
  const useTagExtractedName = options.useTagExtractedName ?? true;
  const emitTags = options.emitTagsAsAttributes ?? true;
  const counterDeltas = options.reportCountersAsDeltas ?? false;
  const histogramDeltas = options.reportHistogramsAsDeltas ?? false;
  const resource = resourceFromAttributes({ ...(options.resourceAttributes ?? {}) });
  const lastCounterValues = new Map<string, number>();
  let lastTimeUnixMs = startTimeUnixMs;

  const describe = (name: string): { metricName: string; attributes: Attributes } => {
    const { tagExtractedName, tags } = producer.produceTags(name);
    return { metricName: prefix + (useTagExtractedName ? tagExtractedName : name), attributes: emitTags ? attributesOf(tags) : {} };
  };

  return {
    convert(snapshot: StatsSnapshot): ResourceMetrics | undefined {
      const end = hrTime(snapshot.timeUnixMs);
      const cumulativeStart = hrTime(startTimeUnixMs);
      const deltaStart = hrTime(lastTimeUnixMs);
      lastTimeUnixMs = snapshot.timeUnixMs;

      const gauges = new Map<string, { points: DataPoint<number>[]; integer: boolean }>();
      for (const gauge of snapshot.gauges) {
        if (!gauge.used) continue;
        const { metricName, attributes } = describe(gauge.name);
        let entry = gauges.get(metricName);
        if (entry === undefined) {
          entry = { points: [], integer: true };
          gauges.set(metricName, entry);
        }
        entry.integer &&= Number.isInteger(gauge.value);
        entry.points.push({ startTime: cumulativeStart, endTime: end, attributes, value: gauge.value });
      }

      const sums = new Map<string, DataPoint<number>[]>();
      for (const counter of snapshot.counters) {
        if (!counter.used) continue;
        const last = lastCounterValues.get(counter.name) ?? 0;
        lastCounterValues.set(counter.name, counter.value);
        // A value below the last one means the counter was reset (`/reset_counters`, a restarted worker).
        const value = counterDeltas ? (counter.value >= last ? counter.value - last : counter.value) : counter.value;
        const { metricName, attributes } = describe(counter.name);
        push(sums, metricName, { startTime: counterDeltas ? deltaStart : cumulativeStart, endTime: end, attributes, value });
      }

      const histograms = new Map<string, DataPoint<OtelHistogram>[]>();
      for (const histogram of snapshot.histograms) {
        if (!histogram.used) continue;
        const stats = histogramStatistics(histogramDeltas ? histogram.interval : histogram.cumulative, histogram.buckets);
        const { metricName, attributes } = describe(histogram.name);
        push(histograms, metricName, {
          startTime: histogramDeltas ? deltaStart : cumulativeStart,
          endTime: end,
          attributes,
          value: {
            buckets: { boundaries: [...stats.buckets], counts: [...disjointBucketCounts(stats.bucketCounts), stats.outOfBoundCount] },
            sum: stats.sampleSum,
            count: stats.sampleCount,
          },
        });
      }

      const metrics: MetricData[] = [];
      for (const [name, { points, integer }] of gauges) {
        const gauge: GaugeMetricData = {
          descriptor: descriptor(name, integer ? ValueType.INT : ValueType.DOUBLE),
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.GAUGE,
          dataPoints: points,
        };
        metrics.push(gauge);
      }
      for (const [name, points] of sums) {
        const sum: SumMetricData = {
          descriptor: descriptor(name, points.every((p) => Number.isInteger(p.value)) ? ValueType.INT : ValueType.DOUBLE),
          aggregationTemporality: counterDeltas ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.SUM,
          dataPoints: points,
          isMonotonic: true,
        };
        metrics.push(sum);
      }
      for (const [name, points] of histograms) {
        const histogram: HistogramMetricData = {
          descriptor: descriptor(name, ValueType.DOUBLE),
          aggregationTemporality: histogramDeltas ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: points,
        };
        metrics.push(histogram);
      }
      if (metrics.length === 0) return undefined;
      // Envoy's sink sets no instrumentation scope; an empty name is OTLP's "unspecified".
      return { resource, scopeMetrics: [{ scope: { name: '' }, metrics }] };
    },
  };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function descriptor(name: string, valueType: ValueType): MetricData['descriptor'] {
  return { name, description: '', unit: '', valueType };
}

function attributesOf(tags: readonly Tag[]): Attributes {
  const attributes: Attributes = {};
  for (const tag of tags) attributes[tag.name] = tag.value;
  return attributes;
}

/** Milliseconds since the epoch as OpenTelemetry's `[seconds, nanoseconds]`. */
export function hrTime(unixMs: number): HrTime {
  const seconds = Math.floor(unixMs / 1000);
  return [seconds, Math.round((unixMs - seconds * 1000) * 1e6)];
}
