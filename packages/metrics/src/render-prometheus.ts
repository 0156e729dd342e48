import { SUPPORTED_QUANTILES } from './histogram-defaults.js';
import { histogramStatistics } from './histogram-statistics.js';
import { formatG, formatShortest, formatValue } from './number-format.js';
import { compareStatNamesByToken } from './stat-name-order.js';
import type { StatsFilter } from './stats-filter.js';
import type { CounterSnapshot, GaugeSnapshot, HistogramSnapshot, StatsSnapshot } from './stats-snapshot.js';
import type { Tag } from './tag-extractor.js';
import { defaultTagProducer, type TagProducer } from './tag-producer.js';

/** Options of {@link renderPrometheus}. */
export interface PrometheusRenderOptions {
  /** Only stats that have been written (`usedonly`). Default false. */
  readonly usedOnly?: boolean;
  /** Only stats whose full name matches (`filter`). Default all. */
  readonly filter?: StatsFilter;
  /** Histograms as classic `_bucket{le=…}` series (`cumulative`, the default) or as `summary` quantiles of the last interval. */
  readonly histogramBuckets?: 'summary' | 'cumulative';
  /** Tag extraction. Default {@link defaultTagProducer} (Envoy's default tags). */
  readonly tagProducer?: TagProducer;
}

const PROMETHEUS_INVALID = /[^a-zA-Z0-9_]/g;

/** Turns a stat or tag name into a Prometheus name: every character outside `[a-zA-Z0-9_]` becomes `_`. */
export function sanitizePrometheusName(name: string): string {
  return name.replace(PROMETHEUS_INVALID, '_');
}

/** Escapes a label value as the Prometheus text format requires (`\` → `\\`, newline → `\n`, `"` → `\"`). */
export function escapePrometheusLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `envoy_` + the sanitized tag-extracted name (Envoy `PrometheusStatsFormatter::metricName`). */
export function prometheusMetricName(tagExtractedName: string): string {
  return `envoy_${sanitizePrometheusName(tagExtractedName)}`;
}

/** `a="1",b="2"`: tags as Prometheus labels, in tag order. */
export function formatPrometheusLabels(tags: readonly Tag[]): string {
  return tags.map((t) => `${sanitizePrometheusName(t.name)}="${escapePrometheusLabelValue(t.value)}"`).join(',');
}

interface Entry<S> {
  readonly stat: S;
  readonly tags: readonly Tag[];
}

/**
 * Renders a snapshot as Envoy's `GET /stats/prometheus` (text exposition format 0.0.4): stats grouped by
 * tag-extracted name, each group a `# TYPE` line and one sample per stat with its tags as labels; counters, then
 * gauges, then histograms; groups and their samples ordered as Envoy orders them. Counters keep their Envoy name
 * (no `_total`), untagged samples print `{}`, histograms print `_bucket{le=…}`, `_sum` and `_count`.
 */
export function renderPrometheus(snapshot: StatsSnapshot, options: PrometheusRenderOptions = {}): string {
  const producer = options.tagProducer ?? defaultTagProducer();
  const keep = (stat: { name: string; used: boolean }): boolean =>
    (options.usedOnly !== true || stat.used) && (options.filter === undefined || options.filter.test(stat.name));
  let out = '';
  out += renderGroups(snapshot.counters.filter(keep), producer, (name, entries) => numeric(name, 'counter', entries));
  out += renderGroups(snapshot.gauges.filter(keep), producer, (name, entries) => numeric(name, 'gauge', entries));
  const summary = options.histogramBuckets === 'summary';
  out += renderGroups(snapshot.histograms.filter(keep), producer, (name, entries) => (summary ? summaries(name, entries) : histograms(name, entries)));
  return out;
}

function renderGroups<S extends { readonly name: string }>(
  stats: readonly S[],
  producer: TagProducer,
  render: (metricName: string, entries: readonly Entry<S>[]) => string,
): string {
  const groups = new Map<string, Entry<S>[]>();
  for (const stat of stats) {
    const { tagExtractedName, tags } = producer.produceTags(stat.name);
    let group = groups.get(tagExtractedName);
    if (group === undefined) {
      group = [];
      groups.set(tagExtractedName, group);
    }
    group.push({ stat, tags });
  }
  let out = '';
  for (const name of [...groups.keys()].sort(compareStatNamesByToken)) {
    const entries = (groups.get(name) as Entry<S>[]).sort((a, b) => compareStatNamesByToken(a.stat.name, b.stat.name));
    out += render(prometheusMetricName(name), entries);
  }
  return out;
}

function numeric(name: string, type: 'counter' | 'gauge', entries: readonly Entry<CounterSnapshot | GaugeSnapshot>[]): string {
  let out = `# TYPE ${name} ${type}\n`;
  for (const { stat, tags } of entries) out += `${name}{${formatPrometheusLabels(tags)}} ${formatValue(stat.value)}\n`;
  return out;
}

function histograms(name: string, entries: readonly Entry<HistogramSnapshot>[]): string {
  let out = `# TYPE ${name} histogram\n`;
  for (const { stat, tags } of entries) {
    const labels = formatPrometheusLabels(tags);
    const bucketLabels = labels === '' ? '' : `${labels},`;
    const stats = histogramStatistics(stat.cumulative, stat.buckets);
    stats.buckets.forEach((bound, i) => {
      out += `${name}_bucket{${bucketLabels}le="${formatG(bound, 32)}"} ${formatValue(stats.bucketCounts[i] as number)}\n`;
    });
    out += `${name}_bucket{${bucketLabels}le="+Inf"} ${formatValue(stats.sampleCount)}\n`;
    out += `${name}_sum{${labels}} ${formatG(stats.sampleSum, 32)}\n`;
    out += `${name}_count{${labels}} ${formatValue(stats.sampleCount)}\n`;
  }
  return out;
}

function summaries(name: string, entries: readonly Entry<HistogramSnapshot>[]): string {
  let out = `# TYPE ${name} summary\n`;
  for (const { stat, tags } of entries) {
    const labels = formatPrometheusLabels(tags);
    const quantileLabels = labels === '' ? '' : `${labels},`;
    const stats = histogramStatistics(stat.interval, stat.buckets);
    SUPPORTED_QUANTILES.forEach((q, i) => {
      out += `${name}{${quantileLabels}quantile="${formatShortest(q)}"} ${formatG(stats.quantiles[i] as number, 32)}\n`;
    });
    out += `${name}_sum{${labels}} ${formatG(stats.sampleSum, 32)}\n`;
    out += `${name}_count{${labels}} ${formatValue(stats.sampleCount)}\n`;
  }
  return out;
}
