import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { ORION_ERR_METRICS_INVALID_QUERY } from '../src/error-codes.js';
import { parseStatsParams } from '../src/stats-params.js';

function messageOf(query: string, prometheus = false): string {
  try {
    parseStatsParams(query, { prometheus });
  } catch (err) {
    expect(err).toBeInstanceOf(OrionError);
    expect((err as OrionError).code).toBe(ORION_ERR_METRICS_INVALID_QUERY);
    return (err as OrionError).message;
  }
  return 'accepted';
}

describe('parseStatsParams', () => {
  it('defaults to text, all types, no filter', () => {
    expect(parseStatsParams('')).toEqual({ format: 'text', usedOnly: false, type: 'All' });
    expect(parseStatsParams('', { prometheus: true }).format).toBe('prometheus');
  });

  it('reads format, usedonly, type, histogram_buckets and an RE2 filter', () => {
    const params = parseStatsParams('?format=json&usedonly&type=Histograms&histogram_buckets=disjoint&filter=cluster%5C.a%5C.');
    expect(params).toMatchObject({ format: 'json', usedOnly: true, type: 'Histograms', histogramBuckets: 'disjoint' });
    expect(params.filter?.source).toBe('cluster\\.a\\.');
    expect(params.filter?.test('cluster.a.upstream_rq_total')).toBe(true);
    expect(params.filter?.test('cluster.ab.upstream_rq_total')).toBe(false);
    expect(parseStatsParams(new URLSearchParams('format=prometheus')).format).toBe('prometheus');
    expect(parseStatsParams('filter=').filter).toBeUndefined();
  });

  it('answers bad parameters with Envoy’s messages', () => {
    expect(messageOf('format=blergh')).toBe('usage: /stats?format=(html|active-html|json|prometheus|text)\n\n');
    expect(messageOf('format=html')).toBe('HTML output was disabled by building with --define=admin_html=disabled');
    expect(messageOf('histogram_buckets=invalid_input')).toBe('usage: /stats?histogram_buckets=(cumulative|disjoint|detailed|summary)\n');
    expect(messageOf('type=Bogus')).toBe('invalid &type= param');
    expect(messageOf('filter=(unclosed')).toBe('Invalid re2 regex');
    expect(messageOf('filter=(?=lookahead)')).toBe('Invalid re2 regex');
    expect(messageOf('histogram_buckets=detailed', true)).toBe('unsupported prometheus histogram bucket mode');
    expect(messageOf('histogram_buckets=summary', true)).toBe('accepted');
  });
});
