import { renderPrometheus } from './render-prometheus.js';
import { renderStatsJson } from './render-stats-json.js';
import { renderStatsText } from './render-stats-text.js';
import type { StatsParams } from './stats-params.js';
import type { StatsSnapshot } from './stats-snapshot.js';
import type { TagProducer } from './tag-producer.js';

/** A rendered admin stats response. */
export interface RenderedStats {
  /** The `content-type` Envoy answers with. */
  readonly contentType: string;
  readonly body: string;
}

/** Options of {@link renderStats}. */
export interface RenderStatsOptions {
  /** Tag extraction for Prometheus output. Default Envoy's default tags. */
  readonly tagProducer?: TagProducer;
}

/** Renders `snapshot` for a parsed `/stats` (or `/stats/prometheus`) request in the format it asks for. */
export function renderStats(snapshot: StatsSnapshot, params: StatsParams, options: RenderStatsOptions = {}): RenderedStats {
  const common = { usedOnly: params.usedOnly, ...(params.filter === undefined ? {} : { filter: params.filter }) };
  const buckets = params.histogramBuckets;
  switch (params.format) {
    case 'text':
      return {
        contentType: 'text/plain; charset=UTF-8',
        body: renderStatsText(snapshot, { ...common, type: params.type, ...(buckets === undefined ? {} : { histogramBuckets: buckets }) }),
      };
    case 'json':
      return {
        contentType: 'application/json',
        body: renderStatsJson(snapshot, { ...common, type: params.type, ...(buckets === undefined ? {} : { histogramBuckets: buckets }) }),
      };
    case 'prometheus':
      return {
        contentType: 'text/plain; charset=UTF-8',
        body: renderPrometheus(snapshot, {
          ...common,
          histogramBuckets: buckets === 'summary' ? 'summary' : 'cumulative',
          ...(options.tagProducer === undefined ? {} : { tagProducer: options.tagProducer }),
        }),
      };
  }
}
