import { describe, expect, it } from 'vitest';
import { childContext, newRootContext, w3cCodec } from '../src/index.js';
import { HeaderMap, headers } from './header-map.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('w3cCodec.extract', () => {
  // [W3C TC "Examples of HTTP traceparent Headers"] and "trace-flags": sampled is bit 0, masked.
  it.each([
    ['sampled example', `00-${TRACE_ID}-${PARENT_ID}-01`, true],
    ['not-sampled example', `00-${TRACE_ID}-${PARENT_ID}-00`, false],
    ['unknown flag bits are masked off ("trace-flags": 09 is sampled)', `00-${TRACE_ID}-${PARENT_ID}-09`, true],
    ['unknown flag bits without sampled ("trace-flags": fe)', `00-${TRACE_ID}-${PARENT_ID}-fe`, false],
    ['a higher version with extra fields ("Versioning of traceparent")', `cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-holds`, true],
    ['a higher version with exactly four fields ("Versioning of traceparent")', `01-${TRACE_ID}-${PARENT_ID}-00`, false],
  ])('reads %s', (_name, traceparent, sampled) => {
    const context = w3cCodec.extract(headers({ traceparent }));
    expect(context).toEqual({
      traceId: TRACE_ID,
      traceIdBits: 128,
      spanId: PARENT_ID,
      parentSpanId: undefined,
      sampled,
      debug: false,
      traceState: undefined,
      baggage: undefined,
    });
  });

  it.each([
    ['version ff ("version": ff is forbidden)', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['an all-zero trace-id ("trace-id")', `00-00000000000000000000000000000000-${PARENT_ID}-01`],
    ['an all-zero parent-id ("parent-id")', `00-${TRACE_ID}-0000000000000000-01`],
    ['an upper-case trace-id (HEXDIGLC)', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['an upper-case parent-id (HEXDIGLC)', `00-${TRACE_ID}-00F067AA0BA902B7-01`],
    ['upper-case flags (HEXDIGLC)', `00-${TRACE_ID}-${PARENT_ID}-0A`],
    ['an upper-case version (HEXDIGLC)', `0A-${TRACE_ID}-${PARENT_ID}-01`],
    ['a short trace-id ("version-format": 32HEXDIGLC)', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['a long parent-id ("version-format": 16HEXDIGLC)', `00-${TRACE_ID}-${PARENT_ID}0-01`],
    ['one-digit flags ("version-format": 2HEXDIGLC)', `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['non-hex flags', `00-${TRACE_ID}-${PARENT_ID}-0x`],
    ['a non-hex character in trace-id', `00-${TRACE_ID.slice(0, 31)}g-${PARENT_ID}-01`],
    ['version 00 with trailing data ("version-format" of 00 is exact)', `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
    ['a higher version whose flags are not followed by a dash ("Versioning of traceparent")', `01-${TRACE_ID}-${PARENT_ID}-01x`],
    ['a higher version shorter than 55 characters ("Versioning of traceparent")', `01-${TRACE_ID}-${PARENT_ID}-1`],
    ['a version not followed by a dash', `00_${TRACE_ID}-${PARENT_ID}-01`],
    ['wrong delimiters', `00-${TRACE_ID}_${PARENT_ID}_01`],
    ['two joined traceparent headers', `00-${TRACE_ID}-${PARENT_ID}-01, 00-${TRACE_ID}-${PARENT_ID}-01`],
    ['an empty value', ''],
    ['garbage', 'not a traceparent at all, but long enough to pass the length check'],
  ])('ignores %s', (_name, traceparent) => {
    expect(w3cCodec.extract(headers({ traceparent }))).toBeUndefined();
  });

  it('returns undefined without a traceparent, even with a tracestate ("Tracestate Header")', () => {
    expect(w3cCodec.extract(headers({ tracestate: 'congo=t61rcWkgMzE' }))).toBeUndefined();
    expect(w3cCodec.isPresent(headers({ tracestate: 'congo=t61rcWkgMzE' }))).toBe(false);
  });
});

describe('w3cCodec tracestate', () => {
  const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;
  const stateOf = (tracestate: string): string | undefined => w3cCodec.extract(headers({ traceparent, tracestate }))?.traceState;

  // ["tracestate Header Field Values"]: list, list-members, key and value grammar, 32-member limit.
  it.each([
    ['one member', 'congo=t61rcWkgMzE'],
    ['two members', 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'],
    ['optional whitespace and empty members', 'rojo=00f067aa0ba902b7 , ,\tcongo=t61rcWkgMzE,'],
    ['multi-tenant keys and key characters _-*/@', 'tenant@vendor=v,a_b-c*d/e=1,0digit=x'],
    ['values with spaces inside and printable punctuation', 'k=  leading spaces kept!~'],
    ['32 members (the limit)', Array.from({ length: 32 }, (_, i) => `k${i}=v${i}`).join(',')],
  ])('passes %s through unchanged', (_name, tracestate) => {
    expect(stateOf(tracestate)).toBe(tracestate);
  });

  it.each([
    ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=v${i}`).join(',')],
    ['a duplicate key ("Combined Header Value": one entry per key)', 'congo=a,rojo=b,congo=c'],
    ['an upper-case key', 'Congo=t61rcWkgMzE'],
    ['a key starting with a symbol', '_congo=x'],
    ['a member without "="', 'congo'],
    ['an empty value', 'congo='],
    ['a value containing "="', 'congo=a=b'],
    ['a value with a non-printable character', 'congo=a\u0001b'],
    ['a key longer than 256 characters', `${'k'.repeat(257)}=v`],
    ['a value longer than 256 characters', `k=${'v'.repeat(257)}`],
    ['only empty members (not sent: "SHOULD avoid sending them")', ' , ,'],
  ])('drops a tracestate with %s, keeping the traceparent', (_name, tracestate) => {
    const context = w3cCodec.extract(headers({ traceparent, tracestate }));
    expect(context?.traceId).toBe(TRACE_ID);
    expect(context?.traceState).toBeUndefined();
  });
});

describe('w3cCodec.inject', () => {
  it('writes version 00 with the sampled flag only ("Other Flags" are zero; "Versioning": downgrade to 00)', () => {
    const incoming = w3cCodec.extract(headers({ traceparent: `cc-${TRACE_ID}-${PARENT_ID}-ff-future` }));
    expect(incoming).toBeDefined();
    const out = new HeaderMap();
    w3cCodec.inject(childContext(incoming!), out.set, out.del);
    expect(out.get('traceparent')).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
  });

  it('writes a deferred or denied decision as 00 and removes a stale tracestate', () => {
    const out = new HeaderMap({ tracestate: 'stale=1' });
    const root = newRootContext(undefined);
    w3cCodec.inject(root, out.set, out.del);
    expect(out.get('traceparent')).toBe(`00-${root.traceId}-${root.spanId}-00`);
    expect(out.get('tracestate')).toBeUndefined();
  });

  it('zero-pads a 64-bit trace id to 32 digits', () => {
    const out = new HeaderMap();
    w3cCodec.inject(newRootContext(true, { traceIdBits: 64 }), out.set);
    expect(out.get('traceparent')).toMatch(/^00-0{16}[0-9a-f]{16}-[0-9a-f]{16}-01$/);
  });

  it('round-trips: same trace id and sampled flag, new parent-id, tracestate unchanged ("Mutating the traceparent Field": update parent-id)', () => {
    for (const flags of ['00', '01']) {
      const request = new HeaderMap({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-${flags}`, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' });
      const parent = w3cCodec.extract(request.get)!;
      const child = childContext(parent);
      w3cCodec.inject(child, request.set, request.del);
      const again = w3cCodec.extract(request.get)!;
      expect(again.traceId).toBe(TRACE_ID);
      expect(again.spanId).toBe(child.spanId);
      expect(again.spanId).not.toBe(PARENT_ID);
      expect(child.parentSpanId).toBe(PARENT_ID);
      expect(again.sampled).toBe(flags === '01');
      expect(again.traceState).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    }
  });
});
