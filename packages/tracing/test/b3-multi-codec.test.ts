import { describe, expect, it } from 'vitest';
import { SAMPLING_ACCEPT, SAMPLING_DEBUG, SAMPLING_DENY, b3MultiCodec, childContext } from '../src/index.js';
import type { TraceContext } from '../src/index.js';
import { HeaderMap, headers } from './header-map.js';

const TRACE_128 = '463ac35c9f6413ad48485a3953bb6124';
const TRACE_64 = '48485a3953bb6124';
const SPAN = 'a2fb4a1d1a96d312';
const PARENT = '0020000000000001';

const IDS = { 'x-b3-traceid': TRACE_128, 'x-b3-spanid': SPAN };

function context(fields: Partial<TraceContext>): TraceContext {
  return {
    traceId: TRACE_128,
    traceIdBits: 128,
    spanId: SPAN,
    parentSpanId: undefined,
    sampled: undefined,
    debug: false,
    traceState: undefined,
    baggage: undefined,
    ...fields,
  };
}

describe('b3MultiCodec.extract', () => {
  // [B3 "Multiple Headers"]: TraceId, SpanId, ParentSpanId, Sampling State, Debug Flag.
  it.each<[string, Record<string, string>, Partial<TraceContext>]>([
    ['ids only (defer)', IDS, {}],
    ['X-B3-Sampled: 1', { ...IDS, 'x-b3-sampled': '1' }, { sampled: true }],
    ['X-B3-Sampled: 0', { ...IDS, 'x-b3-sampled': '0' }, { sampled: false }],
    ['X-B3-Sampled: true (lenient, "Sampling State" note)', { ...IDS, 'x-b3-sampled': 'true' }, { sampled: true }],
    ['X-B3-Sampled: false (lenient)', { ...IDS, 'x-b3-sampled': 'false' }, { sampled: false }],
    ['X-B3-Flags: 1 ("Debug Flag" implies accept)', { ...IDS, 'x-b3-flags': '1' }, { sampled: true, debug: true }],
    ['X-B3-Flags: 0 (not debug)', { ...IDS, 'x-b3-flags': '0', 'x-b3-sampled': '0' }, { sampled: false }],
    ['a parent span id', { ...IDS, 'x-b3-parentspanid': PARENT }, { parentSpanId: PARENT }],
    ['a 64-bit trace id ("TraceId": 16 lower-hex)', { ...IDS, 'x-b3-traceid': TRACE_64 }, { traceId: `0000000000000000${TRACE_64}`, traceIdBits: 64 }],
    ['upper-case hex, lower-cased', { 'x-b3-traceid': TRACE_128.toUpperCase(), 'x-b3-spanid': SPAN.toUpperCase() }, {}],
    ['repeated headers, the first value winning ("When extracting state headers, the first value wins")', { ...IDS, 'x-b3-sampled': '1, 0' }, { sampled: true }],
  ])('reads %s', (_name, request, expected) => {
    expect(b3MultiCodec.extract(headers(request))).toEqual(context(expected));
  });

  it.each<[string, Record<string, string>]>([
    ['a 15-digit trace id', { ...IDS, 'x-b3-traceid': TRACE_64.slice(1) }],
    ['a 20-digit trace id', { ...IDS, 'x-b3-traceid': TRACE_128.slice(12) }],
    ['a 15-digit span id', { ...IDS, 'x-b3-spanid': SPAN.slice(1) }],
    ['an all-zero trace id', { ...IDS, 'x-b3-traceid': '0'.repeat(32) }],
    ['an all-zero span id', { ...IDS, 'x-b3-spanid': '0'.repeat(16) }],
    ['a non-hex span id', { ...IDS, 'x-b3-spanid': 'z2fb4a1d1a96d312' }],
    ['a malformed parent span id', { ...IDS, 'x-b3-parentspanid': 'parent' }],
    ['a malformed X-B3-Sampled (Envoy rejects it)', { ...IDS, 'x-b3-sampled': 'yes' }],
    ['a trace id without a span id', { 'x-b3-traceid': TRACE_128, 'x-b3-sampled': '1' }],
    ['a span id without a trace id', { 'x-b3-spanid': SPAN }],
  ])('ignores %s', (_name, request) => {
    expect(b3MultiCodec.extract(headers(request))).toBeUndefined();
  });

  // [B3 "Why send trace IDs with a reject sampling decision?"]: X-B3-Sampled: 0 alone is valid.
  it.each<[string, Record<string, string>, unknown]>([
    ['X-B3-Sampled: 0 alone', { 'x-b3-sampled': '0' }, SAMPLING_DENY],
    ['X-B3-Sampled: 1 alone', { 'x-b3-sampled': '1' }, SAMPLING_ACCEPT],
    ['X-B3-Flags: 1 alone', { 'x-b3-flags': '1' }, SAMPLING_DEBUG],
    ['ids with a decision (not sampling-only)', { ...IDS, 'x-b3-sampled': '0' }, undefined],
    ['a malformed decision', { 'x-b3-sampled': 'maybe' }, undefined],
  ])('reads a sampling-only decision from %s', (_name, request, decision) => {
    expect(b3MultiCodec.extractSampling?.(headers(request))).toBe(decision);
    expect(b3MultiCodec.isPresent(headers(request))).toBe(true);
  });
});

describe('b3MultiCodec.inject', () => {
  it('writes every header and removes those the context does not carry', () => {
    const out = new HeaderMap({ 'x-b3-parentspanid': 'stale', 'x-b3-flags': '1', 'x-b3-sampled': '1' });
    b3MultiCodec.inject(context({ sampled: false }), out.set, out.del);
    expect(out.toObject()).toEqual({ 'x-b3-traceid': TRACE_128, 'x-b3-spanid': SPAN, 'x-b3-sampled': '0' });
  });

  it('writes debug as X-B3-Flags: 1 without X-B3-Sampled ("Debug implies an accept decision, so don\'t also send X-B3-Sampled")', () => {
    const out = new HeaderMap({ 'x-b3-sampled': '1' });
    b3MultiCodec.inject(context({ sampled: true, debug: true, parentSpanId: PARENT }), out.set, out.del);
    expect(out.toObject()).toEqual({ 'x-b3-traceid': TRACE_128, 'x-b3-spanid': SPAN, 'x-b3-parentspanid': PARENT, 'x-b3-flags': '1' });
  });

  it('omits X-B3-Sampled for a deferred decision ("Absent means defer")', () => {
    const out = new HeaderMap();
    b3MultiCodec.inject(context({}), out.set, out.del);
    expect(out.toObject()).toEqual({ 'x-b3-traceid': TRACE_128, 'x-b3-spanid': SPAN });
  });

  it.each([
    ['128-bit', TRACE_128, '1', true, false],
    ['64-bit', TRACE_64, '0', false, false],
    ['64-bit debug', TRACE_64, undefined, true, true],
  ] as const)('round-trips a %s trace id with the same width and decision, a new span id and the old span as parent', (_name, traceId, sampledHeader, sampled, debug) => {
    const request = new HeaderMap({
      'x-b3-traceid': traceId,
      'x-b3-spanid': SPAN,
      'x-b3-parentspanid': PARENT,
      ...(sampledHeader === undefined ? { 'x-b3-flags': '1' } : { 'x-b3-sampled': sampledHeader }),
    });
    const parent = b3MultiCodec.extract(request.get)!;
    const child = childContext(parent);
    b3MultiCodec.inject(child, request.set, request.del);
    expect(request.get('x-b3-traceid')).toBe(traceId);
    const again = b3MultiCodec.extract(request.get)!;
    expect(again.traceId).toBe(parent.traceId);
    expect(again.spanId).toBe(child.spanId);
    expect(again.spanId).not.toBe(SPAN);
    expect(again.parentSpanId).toBe(SPAN);
    expect(again.sampled).toBe(sampled);
    expect(again.debug).toBe(debug);
  });
});
