import { X_B3_FLAGS, X_B3_PARENTSPANID, X_B3_SAMPLED, X_B3_SPANID, X_B3_TRACEID } from '@orion/http-header';
import { b3FirstValue } from './b3-first-value.js';
import { readHexId } from './hex.js';
import type { HeaderDeleter, HeaderGetter, HeaderSetter, SamplingDecision, TraceCodec } from './trace-codec.js';
import { SAMPLING_ACCEPT, SAMPLING_DEBUG, SAMPLING_DENY } from './trace-codec.js';
import type { TraceContext } from './trace-context.js';

// openzipkin/b3-propagation, "Multiple Headers": X-B3-TraceId (16 or 32 hex), X-B3-SpanId (16),
// X-B3-ParentSpanId (16, absent on a root), X-B3-Sampled (`1`/`0`; `true`/`false` accepted
// leniently), X-B3-Flags (`1` = debug, which implies accept).

/** Sampled header value → true/false, undefined when absent, null when malformed. */
function parseSampled(value: string | undefined): boolean | undefined | null {
  if (value === undefined) return undefined;
  const first = b3FirstValue(value);
  if (first === '1' || first === 'true') return true;
  if (first === '0' || first === 'false') return false;
  return null;
}

function isDebug(value: string | undefined): boolean {
  return value !== undefined && b3FirstValue(value) === '1';
}

/**
 * B3 multi-header codec (`x-b3-traceid`, `x-b3-spanid`, `x-b3-parentspanid`, `x-b3-sampled`,
 * `x-b3-flags`), the headers Envoy's Zipkin tracer reads and writes. Trace ids of 16 or 32 hex
 * digits (16 is remembered as 64-bit), span ids of 16; upper case accepted and lower-cased; a
 * malformed id or `x-b3-sampled` invalidates the context, as in Envoy. Without ids, a lone
 * `x-b3-sampled`/`x-b3-flags` is a sampling decision returned by `extractSampling`. Debug is
 * written as `x-b3-flags: 1` without `x-b3-sampled` ("debug implies an accept decision").
 */
export const b3MultiCodec: TraceCodec = Object.freeze({
  format: 'b3Multi' as const,
  headerNames: Object.freeze([X_B3_TRACEID, X_B3_SPANID, X_B3_PARENTSPANID, X_B3_SAMPLED, X_B3_FLAGS]),
  isPresent(get: HeaderGetter): boolean {
    return get(X_B3_TRACEID) !== undefined || get(X_B3_SPANID) !== undefined || get(X_B3_SAMPLED) !== undefined || get(X_B3_FLAGS) !== undefined;
  },
  extract(get: HeaderGetter): TraceContext | undefined {
    const rawTraceId = get(X_B3_TRACEID);
    const rawSpanId = get(X_B3_SPANID);
    if (rawTraceId === undefined || rawSpanId === undefined) return undefined;
    const traceIdText = b3FirstValue(rawTraceId);
    const traceLength = traceIdText.length;
    if (traceLength !== 16 && traceLength !== 32) return undefined;
    const traceId = readHexId(traceIdText, 0, traceLength, 32, false);
    const spanIdText = b3FirstValue(rawSpanId);
    const spanId = spanIdText.length === 16 ? readHexId(spanIdText, 0, 16, 16, false) : undefined;
    if (traceId === undefined || spanId === undefined) return undefined;
    let parentSpanId: string | undefined;
    const rawParent = get(X_B3_PARENTSPANID);
    if (rawParent !== undefined) {
      const parentText = b3FirstValue(rawParent);
      if (parentText.length !== 16) return undefined;
      // An all-zero parent reads as "no parent" rather than as an error.
      if (parentText !== '0000000000000000') {
        parentSpanId = readHexId(parentText, 0, 16, 16, false);
        if (parentSpanId === undefined) return undefined;
      }
    }
    const sampled = parseSampled(get(X_B3_SAMPLED));
    if (sampled === null) return undefined;
    const debug = isDebug(get(X_B3_FLAGS));
    return {
      traceId,
      traceIdBits: traceLength === 16 ? 64 : 128,
      spanId,
      parentSpanId,
      sampled: debug ? true : sampled,
      debug,
      traceState: undefined,
      baggage: undefined,
    };
  },
  extractSampling(get: HeaderGetter): SamplingDecision | undefined {
    if (get(X_B3_TRACEID) !== undefined || get(X_B3_SPANID) !== undefined) return undefined;
    if (isDebug(get(X_B3_FLAGS))) return SAMPLING_DEBUG;
    const sampled = parseSampled(get(X_B3_SAMPLED));
    if (sampled === true) return SAMPLING_ACCEPT;
    if (sampled === false) return SAMPLING_DENY;
    return undefined;
  },
  inject(context: TraceContext, set: HeaderSetter, del?: HeaderDeleter): void {
    set(X_B3_TRACEID, context.traceIdBits === 64 ? context.traceId.slice(16) : context.traceId);
    set(X_B3_SPANID, context.spanId);
    if (context.parentSpanId !== undefined) set(X_B3_PARENTSPANID, context.parentSpanId);
    else if (del !== undefined) del(X_B3_PARENTSPANID);
    if (context.debug) {
      set(X_B3_FLAGS, '1');
      if (del !== undefined) del(X_B3_SAMPLED);
      return;
    }
    if (del !== undefined) del(X_B3_FLAGS);
    if (context.sampled !== undefined) set(X_B3_SAMPLED, context.sampled ? '1' : '0');
    else if (del !== undefined) del(X_B3_SAMPLED);
  },
});
