import { OrionError } from '@orion/error';
import { ORION_ERR_METRICS_INVALID_QUERY } from './error-codes.js';
import { compileStatsFilter, type StatsFilter } from './stats-filter.js';

/** `/stats?format=`: Envoy's formats this library renders (`html` and `active-html` are refused). */
export type StatsFormat = 'text' | 'json' | 'prometheus';

/** `/stats?type=`: which kinds of stat to show. Envoy's values, `TextReadouts` included (there are none here). */
export type StatsType = 'All' | 'Counters' | 'Gauges' | 'Histograms' | 'TextReadouts';

/** `/stats?histogram_buckets=`: how histograms are shown. Default `summary` (quantiles). */
export type HistogramBucketsMode = 'summary' | 'cumulative' | 'disjoint' | 'detailed';

/** The parsed query of an admin `/stats` or `/stats/prometheus` request (Envoy `StatsParams`). */
export interface StatsParams {
  /** `format`. Default `text` (`prometheus` for {@link parseStatsParams} with `prometheus: true`). */
  readonly format: StatsFormat;
  /** `usedonly`: only stats that have been written. */
  readonly usedOnly: boolean;
  /** `filter`: RE2 regex a stat name must match somewhere. */
  readonly filter?: StatsFilter;
  /** `type`. Default `All`. */
  readonly type: StatsType;
  /**
   * `histogram_buckets`; absent when the query does not say, which `/stats` shows as `summary` and
   * `/stats/prometheus` as classic cumulative buckets.
   */
  readonly histogramBuckets?: HistogramBucketsMode;
}

/** Options of {@link parseStatsParams}. */
export interface ParseStatsParamsOptions {
  /** The request is for `/stats/prometheus`: the format is Prometheus whatever `format` says. Default false. */
  readonly prometheus?: boolean;
}

const TYPES: readonly StatsType[] = ['All', 'Counters', 'Gauges', 'Histograms', 'TextReadouts'];
const BUCKET_MODES: readonly HistogramBucketsMode[] = ['summary', 'cumulative', 'disjoint', 'detailed'];

/**
 * Parses the query string (with or without the leading `?`) of a `/stats` request as Envoy does. Throws
 * `ORION_ERR_METRICS_INVALID_QUERY` whose message is the body Envoy answers with its 400 (e.g.
 * `usage: /stats?format=(html|active-html|json|prometheus|text)\n\n`, `Invalid re2 regex`).
 */
export function parseStatsParams(query: string | URLSearchParams, options: ParseStatsParamsOptions = {}): StatsParams {
  const params = typeof query === 'string' ? new URLSearchParams(query.startsWith('?') ? query.slice(1) : query) : query;
  const usedOnly = params.has('usedonly');
  const filterValue = params.get('filter');
  const filter = filterValue === null || filterValue === '' ? undefined : compileStatsFilter(filterValue);

  const bucketsValue = params.get('histogram_buckets');
  let histogramBuckets: HistogramBucketsMode | undefined;
  if (bucketsValue !== null && bucketsValue !== '') {
    const mode = BUCKET_MODES.find((m) => m === bucketsValue);
    if (mode === undefined) throw invalid('histogram_buckets', bucketsValue, 'usage: /stats?histogram_buckets=(cumulative|disjoint|detailed|summary)\n');
    histogramBuckets = mode;
  }

  const typeValue = params.get('type');
  let type: StatsType = 'All';
  if (typeValue !== null && typeValue !== '') {
    const t = TYPES.find((x) => x === typeValue);
    if (t === undefined) throw invalid('type', typeValue, 'invalid &type= param');
    type = t;
  }

  let format: StatsFormat = options.prometheus === true ? 'prometheus' : 'text';
  const formatValue = params.get('format');
  if (options.prometheus !== true && formatValue !== null && formatValue !== '') {
    if (formatValue === 'prometheus' || formatValue === 'json' || formatValue === 'text') format = formatValue;
    else if (formatValue === 'html') throw invalid('format', formatValue, 'HTML output was disabled by building with --define=admin_html=disabled');
    else if (formatValue === 'active-html') {
      throw invalid('format', formatValue, 'Active HTML output was disabled by building with --define=admin_html=disabled');
    } else throw invalid('format', formatValue, 'usage: /stats?format=(html|active-html|json|prometheus|text)\n\n');
  }
  if (format === 'prometheus' && (histogramBuckets === 'disjoint' || histogramBuckets === 'detailed')) {
    throw invalid('histogram_buckets', histogramBuckets, 'unsupported prometheus histogram bucket mode');
  }
  return {
    format,
    usedOnly,
    ...(filter === undefined ? {} : { filter }),
    type,
    ...(histogramBuckets === undefined ? {} : { histogramBuckets }),
  };
}

function invalid(parameter: string, value: string, message: string): OrionError {
  return new OrionError(ORION_ERR_METRICS_INVALID_QUERY, message, { details: { parameter, value } });
}
