import { B3 } from '@orion/http-header';
import { b3FirstValue } from './b3-first-value.js';
import { readHexId } from './hex.js';
import type { HeaderDeleter, HeaderGetter, HeaderSetter, SamplingDecision, TraceCodec } from './trace-codec.js';
import { SAMPLING_ACCEPT, SAMPLING_DEBUG, SAMPLING_DENY } from './trace-codec.js';
import type { TraceContext } from './trace-context.js';

// openzipkin/b3-propagation, "Single Header":
//   b3: {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}, the last two optional,
//   or the sampling state alone (`0`, `1`, `d`).

function samplingState(code: number): SamplingDecision | undefined {
  if (code === 49 /* 1 */) return SAMPLING_ACCEPT;
  if (code === 48 /* 0 */) return SAMPLING_DENY;
  if (code === 100 /* d */) return SAMPLING_DEBUG;
  return undefined;
}

function parseB3Single(value: string): TraceContext | undefined {
  const traceLength = value.indexOf('-');
  if (traceLength !== 16 && traceLength !== 32) return undefined;
  const traceId = readHexId(value, 0, traceLength, 32, false);
  const spanEnd = traceLength + 17;
  if (traceId === undefined || value.length < spanEnd) return undefined;
  const spanId = readHexId(value, traceLength + 1, spanEnd, 16, false);
  if (spanId === undefined) return undefined;
  let sampling: SamplingDecision | undefined;
  let parentSpanId: string | undefined;
  const rest = value.length - spanEnd;
  if (rest !== 0) {
    if (value.charCodeAt(spanEnd) !== 45) return undefined;
    if (rest === 2) {
      sampling = samplingState(value.charCodeAt(spanEnd + 1));
      if (sampling === undefined) return undefined;
    } else if (rest === 17 || rest === 19) {
      // `-{ParentSpanId}` with a deferred decision, or `-{SamplingState}-{ParentSpanId}`.
      let parentStart = spanEnd + 1;
      if (rest === 19) {
        sampling = samplingState(value.charCodeAt(spanEnd + 1));
        if (sampling === undefined || value.charCodeAt(spanEnd + 2) !== 45) return undefined;
        parentStart = spanEnd + 3;
      }
      if (!isAllZeros(value, parentStart, value.length)) {
        parentSpanId = readHexId(value, parentStart, value.length, 16, false);
        if (parentSpanId === undefined) return undefined;
      }
    } else {
      return undefined;
    }
  }
  return {
    traceId,
    traceIdBits: traceLength === 16 ? 64 : 128,
    spanId,
    parentSpanId,
    sampled: sampling?.sampled,
    debug: sampling?.debug ?? false,
    traceState: undefined,
    baggage: undefined,
  };
}

function isAllZeros(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/** The `b3` sampling-state character for a context: `d`, `1`, `0`, or '' when deferred. */
export function b3SamplingState(context: TraceContext): string {
  if (context.debug) return 'd';
  if (context.sampled === undefined) return '';
  return context.sampled ? '1' : '0';
}

/**
 * B3 single-header codec (`b3`), as Envoy's Zipkin tracer reads it before the multi headers. Trace
 * ids of 16 or 32 hex digits (16 is remembered as 64-bit and written back as 16), span ids of 16;
 * upper-case hex is accepted and lower-cased (Envoy parses these as numbers); an all-zero parent id
 * is read as no parent. The sampling-state-only forms (`b3: 0`, `1`, `d`) carry no context and are
 * returned by `extractSampling`.
 */
export const b3SingleCodec: TraceCodec = Object.freeze({
  format: 'b3Single' as const,
  headerNames: Object.freeze([B3]),
  isPresent(get: HeaderGetter): boolean {
    return get(B3) !== undefined;
  },
  extract(get: HeaderGetter): TraceContext | undefined {
    const value = get(B3);
    return value === undefined ? undefined : parseB3Single(b3FirstValue(value));
  },
  extractSampling(get: HeaderGetter): SamplingDecision | undefined {
    const value = get(B3);
    if (value === undefined) return undefined;
    const first = b3FirstValue(value);
    return first.length === 1 ? samplingState(first.charCodeAt(0)) : undefined;
  },
  inject(context: TraceContext, set: HeaderSetter, _del?: HeaderDeleter): void {
    const traceId = context.traceIdBits === 64 ? context.traceId.slice(16) : context.traceId;
    const state = b3SamplingState(context);
    let value = `${traceId}-${context.spanId}`;
    if (state !== '') value += `-${state}`;
    if (context.parentSpanId !== undefined) value += `-${context.parentSpanId}`;
    set(B3, value);
  },
});
