import { describe, expect, it } from 'vitest';
import { decideTraceReason, requestIdToInteger, setUuidTraceReason } from '../src/index.js';
import type { TraceReason, TraceSamplingInput, TraceSamplingOptions } from '../src/index.js';

// 0x00001388 = 5000 → result 5000 (mod 10000); 0x0000270f = 9999.
const ID_5000 = '00001388-aaaa-4bbb-8ccc-dddddddddddd';
const ID_9999 = '0000270f-aaaa-4bbb-8ccc-dddddddddddd';

describe('requestIdToInteger', () => {
  // UUIDRequestIDExtension::getInteger: the first 8 characters as hex.
  it.each<[string | undefined, number | undefined]>([
    ['00001388-aaaa-4bbb-8ccc-dddddddddddd', 5000],
    ['ffffffff-0000-4000-8000-000000000000', 0xffffffff],
    ['ABCDEF01-rest', 0xabcdef01],
    ['1234567', undefined],
    ['1234567g-aaaa', undefined],
    [undefined, undefined],
  ])('%s → %s', (id, value) => {
    expect(requestIdToInteger(id)).toBe(value);
  });
});

describe('decideTraceReason', () => {
  const plain: TraceSamplingInput = { requestId: ID_5000, clientTraceId: false, forceTrace: false };

  // Envoy ConnectionManagerUtility::mutateTracingRequestHeader, with the request id's integer
  // modulo 10000 against random_sampling and overall_sampling (percent × 100).
  it.each<[string, TraceSamplingInput, TraceSamplingOptions, TraceReason]>([
    ['samples by default (random_sampling 100%)', plain, {}, 'sampling'],
    ['samples when the id falls under random_sampling', plain, { randomSampling: 50.01 }, 'sampling'],
    ['does not sample when it does not', plain, { randomSampling: 50 }, 'notTraceable'],
    ['never samples at 0%', plain, { randomSampling: 0 }, 'notTraceable'],
    ['always samples 9999 at 100%', { ...plain, requestId: ID_9999 }, { randomSampling: 100 }, 'sampling'],
    ['forces with x-envoy-force-trace regardless of random_sampling', { ...plain, forceTrace: true }, { randomSampling: 0 }, 'serviceForced'],
    ['forces with x-client-trace-id under client_sampling', { ...plain, clientTraceId: true, forceTrace: true }, { randomSampling: 0 }, 'clientForced'],
    ['falls through client_sampling 0% to force-trace', { ...plain, clientTraceId: true, forceTrace: true }, { clientSampling: 0 }, 'serviceForced'],
    ['vetoes any reason with overall_sampling', { ...plain, forceTrace: true }, { overallSampling: 50 }, 'notTraceable'],
    ['keeps a reason under overall_sampling', { ...plain, forceTrace: true }, { overallSampling: 50.01 }, 'serviceForced'],
    ['keeps a reason already packed in the id', { ...plain, requestId: setUuidTraceReason(ID_5000, 'clientForced') }, { randomSampling: 0 }, 'clientForced'],
    ['is not traceable without a usable request id', { ...plain, requestId: 'short' }, {}, 'notTraceable'],
    ['leaves sampling to the tracer when use_request_id_for_trace_sampling is off', { ...plain, requestId: undefined }, { useRequestIdForTraceSampling: false }, 'sampling'],
  ])('%s', (_name, input, options, reason) => {
    expect(decideTraceReason(input, { random: () => 0.5, ...options }).reason).toBe(reason);
  });

  it('packs the reason into the request id (pack_trace_reason, default true)', () => {
    expect(decideTraceReason(plain).requestId).toBe(setUuidTraceReason(ID_5000, 'sampling'));
    expect(decideTraceReason({ ...plain, forceTrace: true }, { randomSampling: 0 }).requestId).toBe(setUuidTraceReason(ID_5000, 'serviceForced'));
  });

  it('unpacks a vetoed reason back to "4"', () => {
    const sampled = setUuidTraceReason(ID_5000, 'sampling');
    expect(decideTraceReason({ ...plain, requestId: sampled }, { overallSampling: 0 })).toEqual({ reason: 'notTraceable', requestId: ID_5000 });
  });

  it('leaves the request id alone with pack_trace_reason off', () => {
    expect(decideTraceReason(plain, { packTraceReason: false })).toEqual({ reason: 'sampling', requestId: ID_5000 });
  });

  it('is stable for the same request id across proxies', () => {
    const decisions = new Set(Array.from({ length: 5 }, () => decideTraceReason(plain, { randomSampling: 60 }).reason));
    expect(decisions).toEqual(new Set(['sampling']));
  });
});
