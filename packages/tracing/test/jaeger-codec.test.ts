import { describe, expect, it } from 'vitest';
import { childContext, jaegerCodec, newRootContext } from '../src/index.js';
import type { TraceContext } from '../src/index.js';
import { HeaderMap, headers } from './header-map.js';

const TRACE_128 = '3b2b6d4c4e0a4f4d9a8b7c6d5e4f3a2b';
const TRACE_64 = '9a8b7c6d5e4f3a2b';
const SPAN = '5e4f3a2b9a8b7c6d';
const PARENT = '1111222233334444';

function context(fields: Partial<TraceContext>): TraceContext {
  return {
    traceId: TRACE_128,
    traceIdBits: 128,
    spanId: SPAN,
    parentSpanId: undefined,
    sampled: false,
    debug: false,
    traceState: undefined,
    baggage: undefined,
    ...fields,
  };
}

describe('jaegerCodec.extract', () => {
  // [Jaeger client libraries, "Propagation Format" / "Trace/Span Identity"]
  it.each<[string, string, Partial<TraceContext>]>([
    ['a 128-bit sampled context with a parent', `${TRACE_128}:${SPAN}:${PARENT}:1`, { sampled: true, parentSpanId: PARENT }],
    ['a root (parent-span-id 0)', `${TRACE_128}:${SPAN}:0:0`, {}],
    ['a 64-bit trace id', `${TRACE_64}:${SPAN}:0:01`, { traceId: `0000000000000000${TRACE_64}`, traceIdBits: 64, sampled: true }],
    ['a trace id without leading zeros ("shorter values are 0-padded on the left")', `abc:${SPAN}:0:1`, { traceId: `${'0'.repeat(29)}abc`, traceIdBits: 64, sampled: true }],
    ['a 20-digit trace id (128-bit, leading zeros omitted)', `${TRACE_128.slice(12)}:${SPAN}:0:1`, { traceId: `000000000000${TRACE_128.slice(12)}`, sampled: true }],
    ['span and parent ids without leading zeros', `${TRACE_128}:5e4f:7:1`, { spanId: '0000000000005e4f', parentSpanId: '0000000000000007', sampled: true }],
    ['the debug flag (0x02) with sampled', `${TRACE_128}:${SPAN}:0:3`, { sampled: true, debug: true }],
    ['unknown flag bits (firehose 0x08)', `${TRACE_128}:${SPAN}:0:9`, { sampled: true }],
    ['URL-encoded separators (%3A)', `${TRACE_128}%3A${SPAN}%3a0%3A1`, { sampled: true }],
    ['upper-case hex, lower-cased', `${TRACE_128.toUpperCase()}:${SPAN.toUpperCase()}:0:1`, { sampled: true }],
  ])('reads %s', (_name, value, expected) => {
    expect(jaegerCodec.extract(headers({ 'uber-trace-id': value }))).toEqual(context(expected));
  });

  it.each([
    ['a zero trace id ("Value of 0 is invalid")', `0:${SPAN}:0:1`],
    ['a zero span id', `${TRACE_128}:0000000000000000:0:1`],
    ['a 33-digit trace id', `${TRACE_128}f:${SPAN}:0:1`],
    ['a 17-digit span id', `${TRACE_128}:${SPAN}0:0:1`],
    ['a 17-digit parent id', `${TRACE_128}:${SPAN}:${PARENT}0:1`],
    ['three fields', `${TRACE_128}:${SPAN}:1`],
    ['five fields', `${TRACE_128}:${SPAN}:0:1:x`],
    ['empty flags', `${TRACE_128}:${SPAN}:0:`],
    ['three-digit flags ("one byte")', `${TRACE_128}:${SPAN}:0:001`],
    ['non-hex flags', `${TRACE_128}:${SPAN}:0:z`],
    ['an empty trace id', `:${SPAN}:0:1`],
    ['an empty parent id', `${TRACE_128}:${SPAN}::1`],
    ['a non-hex parent id', `${TRACE_128}:${SPAN}:xyz:1`],
    ['a malformed %-escape', `${TRACE_128}%3G${SPAN}:0:1`],
  ])('ignores %s', (_name, value) => {
    expect(jaegerCodec.extract(headers({ 'uber-trace-id': value }))).toBeUndefined();
  });

  it('collects uberctx-* baggage, URL-decoded, when given the header names ("Baggage")', () => {
    const request = { 'uber-trace-id': `${TRACE_128}:${SPAN}:0:1`, 'uberctx-user': 'ada%20lovelace', 'uberctx-bad': '%E0%A4%A', 'uberctx-': 'no key', other: 'x' };
    const context = jaegerCodec.extract(headers(request), Object.keys(request));
    expect(context?.baggage).toEqual(new Map([['user', 'ada lovelace'], ['bad', '%E0%A4%A']]));
    expect(jaegerCodec.extract(headers(request))?.baggage).toBeUndefined();
  });
});

describe('jaegerCodec.inject', () => {
  it.each<[string, Partial<TraceContext>, string]>([
    ['a sampled child', { sampled: true, parentSpanId: PARENT }, `${TRACE_128}:${SPAN}:${PARENT}:01`],
    ['a root, not sampled', {}, `${TRACE_128}:${SPAN}:0:00`],
    ['a deferred decision as not sampled', { sampled: undefined }, `${TRACE_128}:${SPAN}:0:00`],
    ['debug as 03', { sampled: true, debug: true }, `${TRACE_128}:${SPAN}:0:03`],
    ['a 64-bit trace id as 16 digits', { traceId: `0000000000000000${TRACE_64}`, traceIdBits: 64 }, `${TRACE_64}:${SPAN}:0:00`],
  ])('writes %s', (_name, fields, value) => {
    const out = new HeaderMap();
    jaegerCodec.inject(context(fields), out.set, out.del);
    expect(out.toObject()).toEqual({ 'uber-trace-id': value });
  });

  it('writes baggage as URL-encoded uberctx-* headers', () => {
    const out = new HeaderMap();
    jaegerCodec.inject(context({ baggage: new Map([['user', 'ada lovelace']]) }), out.set);
    expect(out.get('uberctx-user')).toBe('ada%20lovelace');
  });

  it.each([
    ['128-bit sampled', `${TRACE_128}:${SPAN}:${PARENT}:1`, 128, true],
    ['64-bit not sampled', `${TRACE_64}:${SPAN}:0:0`, 64, false],
    ['short 64-bit sampled', `abc:${SPAN}:0:1`, 64, true],
  ] as const)('round-trips a %s context: same trace id and width, new span id, old span as parent', (_name, value, bits, sampled) => {
    const request = new HeaderMap({ 'uber-trace-id': value });
    const parent = jaegerCodec.extract(request.get)!;
    const child = childContext(parent);
    jaegerCodec.inject(child, request.set, request.del);
    expect(request.get('uber-trace-id')!.split(':')[0]).toHaveLength(bits / 4);
    const again = jaegerCodec.extract(request.get)!;
    expect(again.traceId).toBe(parent.traceId);
    expect(again.traceIdBits).toBe(bits);
    expect(again.spanId).toBe(child.spanId);
    expect(again.spanId).not.toBe(SPAN);
    expect(again.parentSpanId).toBe(SPAN);
    expect(again.sampled).toBe(sampled);
  });

  it('writes a new root with parent 0', () => {
    const out = new HeaderMap();
    const root = newRootContext(true, { traceIdBits: 64 });
    jaegerCodec.inject(root, out.set);
    expect(out.get('uber-trace-id')).toBe(`${root.traceId.slice(16)}:${root.spanId}:0:01`);
  });
});
