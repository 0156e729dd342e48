import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRACE_FORMATS, ORION_ERR_TRACING_INVALID_OPTIONS, createTracePropagator } from '../src/index.js';
import type { TraceFormat, TracePropagatorOptions } from '../src/index.js';
import { HeaderMap } from './header-map.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_64 = 'a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

/** One sampled incoming request per format, and the header names it leaves with. */
const REQUESTS: Record<TraceFormat, { headers: Record<string, string>; names: string[] }> = {
  w3c: { headers: { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'congo=t61rcWkgMzE' }, names: ['traceparent', 'tracestate'] },
  b3Single: { headers: { b3: `${TRACE_64}-${SPAN}-1` }, names: ['b3'] },
  b3Multi: { headers: { 'x-b3-traceid': TRACE_64, 'x-b3-spanid': SPAN, 'x-b3-sampled': '1' }, names: ['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled'] },
  jaeger: { headers: { 'uber-trace-id': `${TRACE}:${SPAN}:0:1` }, names: ['uber-trace-id'] },
};

describe('createTracePropagator', () => {
  it('reads W3C, then B3 single, then B3 multi, then Jaeger by default', () => {
    expect(createTracePropagator().formats).toEqual(DEFAULT_TRACE_FORMATS);
    expect(DEFAULT_TRACE_FORMATS).toEqual(['w3c', 'b3Single', 'b3Multi', 'jaeger']);
  });

  // Acceptance of issue #6 item 5: a request leaves in the format it came in, with the same trace id
  // and sampling decision and a new span id whose parent is the incoming span.
  it.each(Object.keys(REQUESTS) as TraceFormat[])('propagates a %s request in that format only, as the child of the incoming span', (format) => {
    const propagator = createTracePropagator();
    const request = new HeaderMap(REQUESTS[format].headers);
    const incoming = propagator.extract(request.get);
    expect(incoming.format).toBe(format);
    expect(incoming.present).toEqual([format]);

    const context = propagator.propagate(request.get, request.set, request.del);
    expect(context.traceId).toBe(incoming.context?.traceId);
    expect(context.parentSpanId).toBe(SPAN);
    expect(context.spanId).not.toBe(SPAN);
    expect(context.sampled).toBe(true);
    // Only that format's headers, rewritten with the proxy's span id.
    expect([...request.values.keys()].sort()).toEqual([...REQUESTS[format].names].sort());
    const outgoing = propagator.extract(request.get);
    expect(outgoing.format).toBe(format);
    expect(outgoing.context?.traceId).toBe(context.traceId);
    expect(outgoing.context?.traceIdBits).toBe(incoming.context?.traceIdBits);
    expect(outgoing.context?.spanId).toBe(context.spanId);
    expect(outgoing.context?.sampled).toBe(true);
  });

  it('keeps traceparent and tracestate together for a W3C request', () => {
    const request = new HeaderMap(REQUESTS.w3c.headers);
    const context = createTracePropagator().propagate(request.get, request.set, request.del);
    expect(request.toObject()).toEqual({ traceparent: `00-${TRACE}-${context.spanId}-01`, tracestate: 'congo=t61rcWkgMzE' });
  });

  it('reads the highest-priority format and rewrites every format present with the same child', () => {
    const request = new HeaderMap({ ...REQUESTS.b3Multi.headers, traceparent: `00-${TRACE}-${SPAN}-00` });
    const propagator = createTracePropagator();
    expect(propagator.extract(request.get).present).toEqual(['w3c', 'b3Multi']);
    const context = propagator.propagate(request.get, request.set, request.del);
    expect(context.sampled).toBe(false);
    expect(request.get('traceparent')).toBe(`00-${TRACE}-${context.spanId}-00`);
    expect(request.get('x-b3-traceid')).toBe(TRACE);
    expect(request.get('x-b3-spanid')).toBe(context.spanId);
    expect(request.get('x-b3-parentspanid')).toBe(SPAN);
    expect(request.get('x-b3-sampled')).toBe('0');
  });

  it('follows the configured priority', () => {
    const request = new HeaderMap({ ...REQUESTS.jaeger.headers, b3: `${TRACE_64}-${SPAN}-0` });
    const incoming = createTracePropagator({ formats: ['jaeger', 'b3Single'] }).extract(request.get);
    expect(incoming.format).toBe('jaeger');
    expect(incoming.sampled).toBe(true);
    expect(incoming.present).toEqual(['jaeger', 'b3Single']);
  });

  it('ignores formats it is not configured to read', () => {
    const request = new HeaderMap(REQUESTS.jaeger.headers);
    const propagator = createTracePropagator({ formats: ['w3c'] });
    expect(propagator.extract(request.get).present).toEqual([]);
    const context = propagator.propagate(request.get, request.set, request.del);
    expect(context.parentSpanId).toBeUndefined();
    expect(request.get('uber-trace-id')).toBe(REQUESTS.jaeger.headers['uber-trace-id']);
    expect(request.get('traceparent')).toBe(`00-${context.traceId}-${context.spanId}-00`);
  });

  it('emits alsoEmit formats in addition to the incoming one', () => {
    const request = new HeaderMap(REQUESTS.b3Single.headers);
    const propagator = createTracePropagator({ alsoEmit: ['w3c'] });
    expect(propagator.outgoingFormats(propagator.extract(request.get))).toEqual(['w3c', 'b3Single']);
    const context = propagator.propagate(request.get, request.set, request.del);
    expect(request.get('b3')).toBe(`${TRACE_64}-${context.spanId}-1-${SPAN}`);
    expect(request.get('traceparent')).toBe(`00-0000000000000000${TRACE_64}-${context.spanId}-01`);
  });

  it('starts a new root in rootFormats when the request carries no context, with the caller\'s decision', () => {
    const request = new HeaderMap();
    const propagator = createTracePropagator({ rootFormats: ['b3Multi', 'jaeger'], traceIdBits: 64 });
    const context = propagator.propagate(request.get, request.set, request.del, true);
    expect(context.parentSpanId).toBeUndefined();
    expect(context.traceIdBits).toBe(64);
    expect(context.sampled).toBe(true);
    expect(request.toObject()).toEqual({
      'x-b3-traceid': context.traceId.slice(16),
      'x-b3-spanid': context.spanId,
      'x-b3-sampled': '1',
      'uber-trace-id': `${context.traceId.slice(16)}:${context.spanId}:0:01`,
    });
  });

  it('writes a new root in the first configured format by default', () => {
    const request = new HeaderMap();
    const context = createTracePropagator({ formats: ['jaeger', 'w3c'] }).propagate(request.get, request.set, request.del);
    expect(request.toObject()).toEqual({ 'uber-trace-id': `${context.traceId}:${context.spanId}:0:00` });
  });

  it('restarts the trace over an invalid header, in that header\'s format ("Processing model": restart on invalid traceparent)', () => {
    const request = new HeaderMap({ traceparent: 'garbage', tracestate: 'congo=1' });
    const propagator = createTracePropagator({ rootFormats: ['b3Multi'] });
    const incoming = propagator.extract(request.get);
    expect(incoming.context).toBeUndefined();
    expect(incoming.present).toEqual(['w3c']);
    const context = propagator.propagate(request.get, request.set, request.del, false);
    expect(request.toObject()).toEqual({ traceparent: `00-${context.traceId}-${context.spanId}-00` });
  });

  it('honours a B3 sampling-only decision for the new root (b3: 0, X-B3-Flags: 1)', () => {
    const propagator = createTracePropagator();
    const deny = new HeaderMap({ b3: '0' });
    const denied = propagator.propagate(deny.get, deny.set, deny.del, true);
    expect(denied.sampled).toBe(false);
    expect(deny.get('b3')).toBe(`${denied.traceId}-${denied.spanId}-0`);

    const debug = new HeaderMap({ 'x-b3-flags': '1' });
    const debugged = propagator.propagate(debug.get, debug.set, debug.del, false);
    expect(debugged).toMatchObject({ sampled: true, debug: true });
    expect(debug.toObject()).toEqual({ 'x-b3-traceid': debugged.traceId, 'x-b3-spanid': debugged.spanId, 'x-b3-flags': '1' });
  });

  it('fills a deferred incoming decision with the caller\'s, and keeps an incoming one', () => {
    const propagator = createTracePropagator();
    const deferred = new HeaderMap({ b3: `${TRACE}-${SPAN}` });
    expect(propagator.propagate(deferred.get, deferred.set, deferred.del, true).sampled).toBe(true);
    expect(deferred.get('b3')).toMatch(new RegExp(`^${TRACE}-[0-9a-f]{16}-1-${SPAN}$`));
    const stays = new HeaderMap({ b3: `${TRACE}-${SPAN}` });
    expect(propagator.propagate(stays.get, stays.set, stays.del).sampled).toBeUndefined();
    const decided = new HeaderMap({ b3: `${TRACE}-${SPAN}-0` });
    expect(propagator.propagate(decided.get, decided.set, decided.del, true).sampled).toBe(false);
  });

  it('returns one shared result for a request without trace headers', () => {
    const propagator = createTracePropagator();
    const first = propagator.extract(new HeaderMap({ host: 'a' }).get);
    expect(first).toBe(propagator.extract(new HeaderMap().get));
    expect(first).toEqual({ context: undefined, format: undefined, present: [], sampled: undefined, debug: false });
  });

  it('passes header names through to Jaeger for baggage', () => {
    const request = new HeaderMap({ ...REQUESTS.jaeger.headers, 'uberctx-k': 'v' });
    const incoming = createTracePropagator().extract(request.get, request.values.keys());
    expect(incoming.context?.baggage).toEqual(new Map([['k', 'v']]));
  });

  it.each<[string, TracePropagatorOptions]>([
    ['no formats', { formats: [] }],
    ['an unknown format', { formats: ['zipkin' as TraceFormat] }],
    ['a repeated format', { formats: ['w3c', 'w3c'] }],
    ['an unknown alsoEmit format', { alsoEmit: ['datadog' as TraceFormat] }],
    ['empty rootFormats', { rootFormats: [] }],
    ['a format named like an Object method', { formats: ['toString' as TraceFormat] }],
    ['traceIdBits 96', { traceIdBits: 96 as 64 }],
  ])('rejects %s with ORION_ERR_TRACING_INVALID_OPTIONS', (_name, options) => {
    let thrown: unknown;
    try {
      createTracePropagator(options);
    } catch (err) {
      thrown = err;
    }
    expect(OrionError.is(thrown, ORION_ERR_TRACING_INVALID_OPTIONS)).toBe(true);
  });
});
