import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { ORION_ERR_METRICS_INVALID_MATCHER } from '../src/error-codes.js';
import { compileStatNameMatcher, compileStatsMatcher } from '../src/stats-matcher.js';

describe('compileStatNameMatcher', () => {
  it('matches exact, prefix, suffix and contains, with and without ignore_case', () => {
    expect(compileStatNameMatcher({ type: 'exact', value: 'server.live', ignoreCase: false })('server.live')).toBe(true);
    expect(compileStatNameMatcher({ type: 'exact', value: 'server.live', ignoreCase: false })('server.LIVE')).toBe(false);
    expect(compileStatNameMatcher({ type: 'exact', value: 'server.live', ignoreCase: true })('Server.LIVE')).toBe(true);
    expect(compileStatNameMatcher({ type: 'prefix', value: 'cluster.', ignoreCase: false })('cluster.a.upstream_rq_total')).toBe(true);
    expect(compileStatNameMatcher({ type: 'prefix', value: 'CLUSTER.', ignoreCase: true })('cluster.a.upstream_rq_total')).toBe(true);
    expect(compileStatNameMatcher({ type: 'suffix', value: '_rq_time', ignoreCase: false })('http.x.downstream_rq_time')).toBe(true);
    expect(compileStatNameMatcher({ type: 'suffix', value: '_rq_time', ignoreCase: false })('http.x.downstream_rq_total')).toBe(false);
    expect(compileStatNameMatcher({ type: 'contains', value: '.ingress_http.', ignoreCase: false })('http.ingress_http.downstream_rq_total')).toBe(true);
  });

  it('matches safe_regex against the whole name with RE2', () => {
    const test = compileStatNameMatcher({ type: 'safeRegex', regex: 'cluster\\.[^.]+\\.upstream_rq_\\d+' });
    expect(test('cluster.backend.upstream_rq_200')).toBe(true);
    expect(test('cluster.backend.upstream_rq_200x')).toBe(false);
    expect(test('xcluster.backend.upstream_rq_200')).toBe(false);
  });

  it('throws ORION_ERR_METRICS_INVALID_MATCHER for a regex RE2 cannot compile', () => {
    let caught: unknown;
    try {
      compileStatNameMatcher({ type: 'safeRegex', regex: '(a' });
    } catch (err) {
      caught = err;
    }
    expect(OrionError.is(caught, ORION_ERR_METRICS_INVALID_MATCHER)).toBe(true);
  });
});

describe('compileStatsMatcher', () => {
  it('rejects nothing without a matcher and everything with rejectAll', () => {
    expect(compileStatsMatcher(undefined)('server.live')).toBe(false);
    expect(compileStatsMatcher({ type: 'rejectAll' })('server.live')).toBe(true);
  });

  it('rejects what an exclusion list matches and what an inclusion list does not', () => {
    const patterns = [{ type: 'prefix', value: 'cluster.', ignoreCase: false } as const, { type: 'exact', value: 'server.live', ignoreCase: false } as const];
    const exclusion = compileStatsMatcher({ type: 'exclusionList', patterns });
    const inclusion = compileStatsMatcher({ type: 'inclusionList', patterns });
    for (const name of ['cluster.a.upstream_rq_total', 'server.live']) {
      expect(exclusion(name)).toBe(true);
      expect(inclusion(name)).toBe(false);
    }
    expect(exclusion('http.x.downstream_rq_total')).toBe(false);
    expect(inclusion('http.x.downstream_rq_total')).toBe(true);
  });
});
