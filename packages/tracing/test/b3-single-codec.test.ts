import { describe, expect, it } from 'vitest';
import { SAMPLING_ACCEPT, SAMPLING_DEBUG, SAMPLING_DENY, b3SingleCodec, childContext, newRootContext } from '../src/index.js';
import type { TraceContext } from '../src/index.js';
import { HeaderMap, headers } from './header-map.js';

const TRACE_128 = '80f198ee56343ba864fe8b2a57d3eff7';
const TRACE_64 = '64fe8b2a57d3eff7';
const SPAN = 'e457b5a2e4d86bd1';
const PARENT = '05e3ac9a4f6e3b90';

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

describe('b3SingleCodec.extract', () => {
  // [B3 "Single Header"]: b3={TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}, the last two optional.
  it.each<[string, string, Partial<TraceContext>]>([
    ['all four fields', `${TRACE_128}-${SPAN}-1-${PARENT}`, { sampled: true, parentSpanId: PARENT }],
    ['trace and span only (defer: "Sampling State" absent)', `${TRACE_128}-${SPAN}`, {}],
    ['a deny decision', `${TRACE_128}-${SPAN}-0`, { sampled: false }],
    ['a debug decision ("d" implies accept)', `${TRACE_128}-${SPAN}-d`, { sampled: true, debug: true }],
    ['a parent with a deferred decision', `${TRACE_128}-${SPAN}-${PARENT}`, { parentSpanId: PARENT }],
    ['a 64-bit trace id ("TraceId": 16 lower-hex)', `${TRACE_64}-${SPAN}-1`, { traceId: `0000000000000000${TRACE_64}`, traceIdBits: 64, sampled: true }],
    ['upper-case hex, lower-cased (Envoy parses ids as numbers)', `${TRACE_128.toUpperCase()}-${SPAN.toUpperCase()}-1`, { sampled: true }],
    ['an all-zero parent, read as no parent', `${TRACE_128}-${SPAN}-1-0000000000000000`, { sampled: true }],
    ['the first of two joined values ("the first value wins")', `${TRACE_128}-${SPAN}-1, ${TRACE_64}-${PARENT}-0`, { sampled: true }],
  ])('reads %s', (_name, b3, expected) => {
    expect(b3SingleCodec.extract(headers({ b3 }))).toEqual(context(expected));
  });

  it.each([
    ['a 15-digit trace id', `${TRACE_64.slice(1)}-${SPAN}-1`],
    ['a 24-digit trace id', `${TRACE_128.slice(8)}-${SPAN}-1`],
    ['a 15-digit span id', `${TRACE_128}-${SPAN.slice(1)}-1`],
    ['a 17-digit span id', `${TRACE_128}-${SPAN}0-1`],
    ['an all-zero trace id', `${'0'.repeat(32)}-${SPAN}-1`],
    ['an all-zero span id', `${TRACE_128}-${'0'.repeat(16)}-1`],
    ['a bad sampling state', `${TRACE_128}-${SPAN}-2`],
    ['a sampling state "true"', `${TRACE_128}-${SPAN}-true`],
    ['a short parent id', `${TRACE_128}-${SPAN}-1-${PARENT.slice(1)}`],
    ['a non-hex parent id', `${TRACE_128}-${SPAN}-1-${PARENT.slice(1)}x`],
    ['a fifth field', `${TRACE_128}-${SPAN}-1-${PARENT}-x`],
    ['a non-hex trace id', `${TRACE_128.slice(1)}g-${SPAN}`],
    ['a missing span id', `${TRACE_128}`],
    ['an empty value', ''],
  ])('ignores %s', (_name, b3) => {
    expect(b3SingleCodec.extract(headers({ b3 }))).toBeUndefined();
  });

  // [B3 "Single Header" / "Sampling State"]: "Sampling State can also be sent on its own".
  it.each([
    ['0', SAMPLING_DENY],
    ['1', SAMPLING_ACCEPT],
    ['d', SAMPLING_DEBUG],
  ])('reads the bare sampling state b3: %s as a decision without a context', (b3, decision) => {
    expect(b3SingleCodec.extract(headers({ b3 }))).toBeUndefined();
    expect(b3SingleCodec.extractSampling?.(headers({ b3 }))).toBe(decision);
  });

  it('has no sampling-only decision for a full or malformed value', () => {
    expect(b3SingleCodec.extractSampling?.(headers({ b3: `${TRACE_128}-${SPAN}-1` }))).toBeUndefined();
    expect(b3SingleCodec.extractSampling?.(headers({ b3: 'x' }))).toBeUndefined();
    expect(b3SingleCodec.extractSampling?.(headers({}))).toBeUndefined();
  });
});

describe('b3SingleCodec.inject', () => {
  it.each<[string, Partial<TraceContext>, string]>([
    ['accept with parent', { sampled: true, parentSpanId: PARENT }, `${TRACE_128}-${SPAN}-1-${PARENT}`],
    ['deny, root', { sampled: false }, `${TRACE_128}-${SPAN}-0`],
    ['debug', { sampled: true, debug: true, parentSpanId: PARENT }, `${TRACE_128}-${SPAN}-d-${PARENT}`],
    ['deferred with parent', { parentSpanId: PARENT }, `${TRACE_128}-${SPAN}-${PARENT}`],
    ['a 64-bit trace id as 16 digits', { traceId: `0000000000000000${TRACE_64}`, traceIdBits: 64, sampled: true }, `${TRACE_64}-${SPAN}-1`],
  ])('writes %s', (_name, fields, b3) => {
    const out = new HeaderMap();
    b3SingleCodec.inject(context(fields), out.set, out.del);
    expect(out.toObject()).toEqual({ b3 });
  });

  it.each([
    ['128-bit, sampled', `${TRACE_128}-${PARENT}-1`, 128, true],
    ['64-bit, denied', `${TRACE_64}-${PARENT}-0`, 64, false],
    ['64-bit, deferred', `${TRACE_64}-${PARENT}`, 64, undefined],
  ] as const)('round-trips a %s context with a new span id whose parent is the old one', (_name, b3, bits, sampled) => {
    const request = new HeaderMap({ b3 });
    const parent = b3SingleCodec.extract(request.get)!;
    const child = childContext(parent);
    b3SingleCodec.inject(child, request.set, request.del);
    const again = b3SingleCodec.extract(request.get)!;
    expect(again.traceId).toBe(parent.traceId);
    expect(again.traceIdBits).toBe(bits);
    expect(request.get('b3')!.split('-')[0]).toHaveLength(bits / 4);
    expect(again.spanId).toBe(child.spanId);
    expect(again.spanId).not.toBe(PARENT);
    expect(again.parentSpanId).toBe(PARENT);
    expect(again.sampled).toBe(sampled);
  });

  it('keeps a new root a root (no parent field)', () => {
    const out = new HeaderMap();
    const root = newRootContext(true);
    b3SingleCodec.inject(root, out.set);
    expect(out.get('b3')).toBe(`${root.traceId}-${root.spanId}-1`);
  });
});
