import type { RetryPolicy } from '@orion/configuration';
import { describe, expect, it } from 'vitest';
import type { MutableHeaders } from '../../src/http/connection-manager/ports.js';
import { RetryState } from '../../src/http/retry-state.js';
import type { RouteRequest } from '../../src/http/router/route-request.js';

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    retryOn: [],
    grpcRetryOn: [],
    numRetries: 1,
    perTryTimeoutMs: 0,
    perTryIdleTimeoutMs: 0,
    retriableStatusCodes: [],
    backOffBaseIntervalMs: 25,
    backOffMaxIntervalMs: 250,
    retriableHeaders: [],
    retriableRequestHeaders: [],
    ...overrides,
  };
}

function request(headers: MutableHeaders): RouteRequest {
  return { method: 'GET', authority: 'x', path: '/', scheme: 'http', listenerPort: 80, getHeader: (n) => headers[n] as string | undefined };
}

function create(p: RetryPolicy | undefined, headers: MutableHeaders = {}): RetryState | undefined {
  return RetryState.create(p, headers, request(headers), () => 0.5);
}

describe('RetryState', () => {
  it('exists only when something could be retried', () => {
    expect(create(undefined)).toBeUndefined();
    expect(create(policy())).toBeUndefined();
    expect(create(policy({ retryOn: ['5xx'] }))).toBeDefined();
    expect(create(undefined, { 'x-envoy-retry-on': '5xx' })).toBeDefined();
    expect(create(undefined, { 'x-envoy-retry-on': 'bogus' })).toBeUndefined();
  });

  it('classifies responses per condition', () => {
    const on = (retryOn: RetryPolicy['retryOn'], extra: Partial<RetryPolicy> = {}) => create(policy({ retryOn, ...extra })) as RetryState;
    expect(on(['5xx']).wouldRetryFromHeaders(500, {})).toBe(true);
    expect(on(['5xx']).wouldRetryFromHeaders(404, {})).toBe(false);
    expect(on(['gateway-error']).wouldRetryFromHeaders(500, {})).toBe(false);
    expect([502, 503, 504].map((s) => on(['gateway-error']).wouldRetryFromHeaders(s, {}))).toEqual([true, true, true]);
    expect(on(['retriable-4xx']).wouldRetryFromHeaders(409, {})).toBe(true);
    expect(on(['retriable-4xx']).wouldRetryFromHeaders(429, {})).toBe(false);
    expect(on(['retriable-status-codes'], { retriableStatusCodes: [418] }).wouldRetryFromHeaders(418, {})).toBe(true);
    expect(on(['retriable-status-codes']).wouldRetryFromHeaders(418, {})).toBe(false);
    const byHeader = on(['retriable-headers'], { retriableHeaders: [{ name: 'x-retry', match: { type: 'present', present: true }, invert: false, treatMissingHeaderAsEmpty: false }] });
    expect(byHeader.wouldRetryFromHeaders(200, { 'x-retry': '1' })).toBe(true);
    expect(byHeader.wouldRetryFromHeaders(200, {})).toBe(false);
    const byStatus = on(['retriable-headers'], { retriableHeaders: [{ name: ':status', match: { type: 'range', start: 520, end: 530 }, invert: false, treatMissingHeaderAsEmpty: false }] });
    expect(byStatus.wouldRetryFromHeaders(524, {})).toBe(true);
    expect(on(['5xx']).wouldRetryFromHeaders(503, { 'x-envoy-ratelimited': 'true' })).toBe(false);
    expect(on(['envoy-ratelimited']).wouldRetryFromHeaders(429, { 'x-envoy-ratelimited': 'true' })).toBe(true);
  });

  it('classifies gRPC statuses of trailers-only responses', () => {
    const grpc = create(policy({ grpcRetryOn: ['cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable'] })) as RetryState;
    expect(['1', '4', '8', '13', '14', '0', '2', '5'].map((s) => grpc.wouldRetryFromHeaders(200, { 'grpc-status': s }))).toEqual([true, true, true, true, true, false, false, false]);
    const onlyUnavailable = create(policy({ grpcRetryOn: ['unavailable'] })) as RetryState;
    expect(onlyUnavailable.wouldRetryFromHeaders(200, { 'grpc-status': '13' })).toBe(false);
    expect(onlyUnavailable.wouldRetryFromHeaders(200, { 'grpc-status': '14' })).toBe(true);
  });

  it('classifies resets per condition', () => {
    const on = (retryOn: RetryPolicy['retryOn']) => create(policy({ retryOn })) as RetryState;
    expect(on(['connect-failure']).wouldRetryFromReset('connectionFailure', false)).toBe(true);
    expect(on(['connect-failure']).wouldRetryFromReset('connectionTimeout', false)).toBe(true);
    expect(on(['connect-failure']).wouldRetryFromReset('remoteReset', true)).toBe(false);
    expect(on(['reset']).wouldRetryFromReset('connectionTermination', true)).toBe(true);
    expect(on(['5xx']).wouldRetryFromReset('perTryTimeout', true)).toBe(true);
    expect(on(['gateway-error']).wouldRetryFromReset('remoteReset', true)).toBe(true);
    expect(on(['refused-stream']).wouldRetryFromReset('refusedStream', true)).toBe(true);
    expect(on(['refused-stream']).wouldRetryFromReset('remoteReset', true)).toBe(false);
    expect(on(['reset-before-request']).wouldRetryFromReset('connectionTermination', false)).toBe(true);
    expect(on(['reset-before-request']).wouldRetryFromReset('connectionTermination', true)).toBe(false);
    expect(on(['reset']).wouldRetryFromReset('localReset', true)).toBe(false);
  });

  it('counts num_retries as retries after the first attempt', () => {
    const state = create(policy({ retryOn: ['5xx'], numRetries: 2 })) as RetryState;
    expect([state.take(), state.take(), state.take()]).toEqual(['retry', 'retry', 'limitExceeded']);
  });

  it('merges the retry request headers and consumes them', () => {
    const headers: MutableHeaders = {
      'x-envoy-retry-on': 'retriable-status-codes,retriable-headers',
      'x-envoy-retry-grpc-on': 'internal',
      'x-envoy-max-retries': '3',
      'x-envoy-retriable-status-codes': '418, 419',
      'x-envoy-retriable-header-names': 'X-Try-Again',
      'x-envoy-upstream-rq-per-try-timeout-ms': '50',
      'x-other': 'kept',
    };
    const state = create(policy({ retryOn: ['connect-failure'] }), headers) as RetryState;
    expect(headers).toEqual({ 'x-other': 'kept' });
    expect(state.remaining).toBe(3);
    expect(state.wouldRetryFromHeaders(419, {})).toBe(true);
    expect(state.wouldRetryFromHeaders(200, { 'x-try-again': '1' })).toBe(true);
    expect(state.wouldRetryFromHeaders(200, { 'grpc-status': '13' })).toBe(true);
    expect(state.wouldRetryFromReset('connectionFailure', false)).toBe(true);
  });

  it('retries only requests matching retriable_request_headers', () => {
    const p = policy({ retryOn: ['5xx'], retriableRequestHeaders: [{ name: ':method', match: { type: 'string', matcher: { type: 'exact', value: 'GET', ignoreCase: false } }, invert: false, treatMissingHeaderAsEmpty: false }] as RetryPolicy['retriableRequestHeaders'] });
    expect(RetryState.create(p, {}, { ...request({}), method: 'GET' })).toBeDefined();
    expect(RetryState.create(p, {}, { ...request({}), method: 'POST' })).toBeUndefined();
  });

  it('backs off with Envoy\'s jittered exponential schedule', () => {
    const state = create(policy({ retryOn: ['5xx'], backOffBaseIntervalMs: 10, backOffMaxIntervalMs: 100 })) as RetryState;
    expect([state.nextBackoffMs(), state.nextBackoffMs(), state.nextBackoffMs()]).toEqual([5, 15, 35]);
  });
});
