import { UBER_TRACE_ID } from '@orion/http-header';
import { HEX_BYTE, hexDigit, readHexId } from './hex.js';
import type { HeaderDeleter, HeaderGetter, HeaderSetter, TraceCodec } from './trace-codec.js';
import type { TraceContext } from './trace-context.js';

// Jaeger client propagation format:
//   uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}
// trace-id: 64 or 128 bits in hex, leading zeros may be omitted, 0 is invalid; span-id: 64 bits;
// parent-span-id: 64 bits, `0` for none (deprecated but still sent); flags: one byte in one or two
// hex digits, 0x01 sampled, 0x02 debug. Baggage travels as `uberctx-{key}: {url-encoded value}`.

/** Prefix of Jaeger baggage headers (`uberctx-{key}`). Not a fixed name, so not in @orion/http-header. */
export const UBERCTX_PREFIX = 'uberctx-';

const FLAG_SAMPLED = 0x01;
const FLAG_DEBUG = 0x02;

function parseUberTraceId(raw: string): TraceContext | undefined {
  // Some HTTP stacks URL-encode the separators; Jaeger clients accept `%3A` for `:`.
  const value = raw.includes('%') ? raw.replace(/%3a/gi, ':') : raw;
  const c1 = value.indexOf(':');
  const c2 = c1 === -1 ? -1 : value.indexOf(':', c1 + 1);
  const c3 = c2 === -1 ? -1 : value.indexOf(':', c2 + 1);
  if (c3 === -1 || value.indexOf(':', c3 + 1) !== -1) return undefined;
  const traceId = readHexId(value, 0, c1, 32, false);
  const spanId = readHexId(value, c1 + 1, c2, 16, false);
  if (traceId === undefined || spanId === undefined) return undefined;
  const parentLength = c3 - c2 - 1;
  if (parentLength < 1 || parentLength > 16) return undefined;
  let parentSpanId: string | undefined;
  let parentIsZero = true;
  for (let i = c2 + 1; i < c3; i++) {
    const code = value.charCodeAt(i);
    if (hexDigit(code, false) < 0) return undefined;
    if (code !== 48) parentIsZero = false;
  }
  if (!parentIsZero) parentSpanId = readHexId(value, c2 + 1, c3, 16, false);
  const flagsLength = value.length - c3 - 1;
  if (flagsLength < 1 || flagsLength > 2) return undefined;
  let flags = 0;
  for (let i = c3 + 1; i < value.length; i++) {
    const digit = hexDigit(value.charCodeAt(i), false);
    if (digit < 0) return undefined;
    flags = flags * 16 + digit;
  }
  const debug = (flags & FLAG_DEBUG) !== 0;
  return {
    traceId,
    traceIdBits: c1 <= 16 ? 64 : 128,
    spanId,
    parentSpanId,
    sampled: debug || (flags & FLAG_SAMPLED) !== 0,
    debug,
    traceState: undefined,
    baggage: undefined,
  };
}

function decodeBaggageValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Jaeger codec (`uber-trace-id`, and `uberctx-*` baggage when the request's header names are
 * given). Trace ids of up to 16 hex digits are remembered as 64-bit and written back as 16 digits;
 * upper case and `%3A` separators are accepted. Written: full-width ids, the parent span id (`0`
 * for a root) and two flag digits (`01` sampled, `03` debug, `00` otherwise — Jaeger has no
 * deferred state).
 */
export const jaegerCodec: TraceCodec = Object.freeze({
  format: 'jaeger' as const,
  headerNames: Object.freeze([UBER_TRACE_ID]),
  isPresent(get: HeaderGetter): boolean {
    return get(UBER_TRACE_ID) !== undefined;
  },
  extract(get: HeaderGetter, names?: Iterable<string>): TraceContext | undefined {
    const value = get(UBER_TRACE_ID);
    if (value === undefined) return undefined;
    const context = parseUberTraceId(value);
    if (context === undefined || names === undefined) return context;
    let baggage: Map<string, string> | undefined;
    for (const name of names) {
      if (name.length <= UBERCTX_PREFIX.length || !name.startsWith(UBERCTX_PREFIX)) continue;
      const raw = get(name);
      if (raw === undefined) continue;
      baggage ??= new Map();
      baggage.set(name.slice(UBERCTX_PREFIX.length), decodeBaggageValue(raw));
    }
    return baggage === undefined ? context : { ...context, baggage };
  },
  inject(context: TraceContext, set: HeaderSetter, _del?: HeaderDeleter): void {
    const traceId = context.traceIdBits === 64 ? context.traceId.slice(16) : context.traceId;
    const flags = context.debug ? FLAG_SAMPLED | FLAG_DEBUG : context.sampled === true ? FLAG_SAMPLED : 0;
    set(UBER_TRACE_ID, `${traceId}:${context.spanId}:${context.parentSpanId ?? '0'}:${HEX_BYTE[flags]!}`);
    if (context.baggage !== undefined) {
      for (const [key, value] of context.baggage) set(UBERCTX_PREFIX + key, encodeURIComponent(value));
    }
  },
});
