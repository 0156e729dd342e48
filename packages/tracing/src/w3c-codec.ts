import { TRACEPARENT, TRACESTATE } from '@orion/http-header';
import { hexDigit, scanHex } from './hex.js';
import type { HeaderDeleter, HeaderGetter, HeaderSetter, TraceCodec } from './trace-codec.js';
import type { TraceContext } from './trace-context.js';

// W3C Trace Context (Recommendation, level 1): "Traceparent Header" and "Tracestate Header".

/** Length of a version-00 `traceparent`: `vv-` + 32 + `-` + 16 + `-` + 2. */
const TRACEPARENT_LENGTH = 55;
/** "tracestate Header Field Values": at most 32 list-members. */
const MAX_TRACESTATE_MEMBERS = 32;
const MAX_KEY_LENGTH = 256;
const MAX_VALUE_LENGTH = 256;

function isLowerHexPair(s: string, at: number): boolean {
  return hexDigit(s.charCodeAt(at), true) >= 0 && hexDigit(s.charCodeAt(at + 1), true) >= 0;
}

/**
 * Checks a `traceparent` value ("traceparent Header Field Values") and returns its trace-flags byte, or -1 when invalid.
 * Version 00 must be exactly 55 characters; a higher version is read by its first four fields when
 * the flags are followed by the end or a dash ("Versioning of traceparent"); version `ff`, upper-case hex and all-zero
 * ids are invalid.
 */
function traceparentFlags(value: string): number {
  if (value.length < TRACEPARENT_LENGTH) return -1;
  if (!isLowerHexPair(value, 0) || value.charCodeAt(2) !== 45 /* - */) return -1;
  const v0 = value.charCodeAt(0);
  const v1 = value.charCodeAt(1);
  if (v0 === 102 && v1 === 102) return -1; // version ff is forbidden
  if (v0 === 48 && v1 === 48) {
    if (value.length !== TRACEPARENT_LENGTH) return -1;
  } else if (value.length > TRACEPARENT_LENGTH && value.charCodeAt(TRACEPARENT_LENGTH) !== 45) {
    return -1;
  }
  if (value.charCodeAt(35) !== 45 || value.charCodeAt(52) !== 45) return -1;
  if (scanHex(value, 3, 35, true) !== 1) return -1;
  if (scanHex(value, 36, 52, true) !== 1) return -1;
  if (!isLowerHexPair(value, 53)) return -1;
  return hexDigit(value.charCodeAt(53), true) * 16 + hexDigit(value.charCodeAt(54), true);
}

function isKeyChar(code: number): boolean {
  // lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@"
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || code === 45 || code === 42 || code === 47 || code === 64;
}

function isValueChar(code: number): boolean {
  // printable ASCII except "," and "="
  return code >= 0x20 && code <= 0x7e && code !== 44 && code !== 61;
}

function isOws(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Validates a `tracestate` value ("tracestate Header Field Values"): comma-separated `key=value` members, empty members
 * allowed, at most 32 members, no duplicate keys. Returns the value unchanged when valid and not
 * empty, otherwise undefined (the whole header is then dropped, which the processing model permits: "if the tracestate header cannot be parsed the vendor MAY discard the entire header").
 */
export function validateTracestate(value: string): string | undefined {
  const keys: string[] = [];
  let start = 0;
  const length = value.length;
  while (start <= length) {
    let end = value.indexOf(',', start);
    if (end === -1) end = length;
    let from = start;
    let to = end;
    while (from < to && isOws(value.charCodeAt(from))) from++;
    while (to > from && isOws(value.charCodeAt(to - 1))) to--;
    if (from < to) {
      const eq = value.indexOf('=', from);
      if (eq === -1 || eq >= to) return undefined;
      const keyLength = eq - from;
      if (keyLength < 1 || keyLength > MAX_KEY_LENGTH) return undefined;
      const first = value.charCodeAt(from);
      if (!((first >= 97 && first <= 122) || (first >= 48 && first <= 57))) return undefined;
      for (let i = from + 1; i < eq; i++) if (!isKeyChar(value.charCodeAt(i))) return undefined;
      const valueLength = to - eq - 1;
      if (valueLength < 1 || valueLength > MAX_VALUE_LENGTH) return undefined;
      for (let i = eq + 1; i < to; i++) if (!isValueChar(value.charCodeAt(i))) return undefined;
      if (keys.length === MAX_TRACESTATE_MEMBERS) return undefined;
      const key = value.slice(from, eq);
      if (keys.includes(key)) return undefined;
      keys.push(key);
    }
    start = end + 1;
  }
  return keys.length === 0 ? undefined : value;
}

/**
 * W3C Trace Context codec: `traceparent` (version 00 written; higher versions read per "Versioning of traceparent") and
 * `tracestate`, passed through unchanged when valid. Implements what Envoy's OpenTelemetry tracer
 * propagates. The sampled flag is the only trace-flag written ("Other Flags": vendors set unknown
 * flags to zero); a deferred decision is written as not sampled, W3C having no "deferred" state.
 */
export const w3cCodec: TraceCodec = Object.freeze({
  format: 'w3c' as const,
  headerNames: Object.freeze([TRACEPARENT, TRACESTATE]),
  isPresent(get: HeaderGetter): boolean {
    return get(TRACEPARENT) !== undefined;
  },
  extract(get: HeaderGetter): TraceContext | undefined {
    const traceparent = get(TRACEPARENT);
    if (traceparent === undefined) return undefined;
    const flags = traceparentFlags(traceparent);
    if (flags < 0) return undefined;
    // "Tracestate Header": tracestate is only looked at once traceparent is valid, and a bad tracestate never
    // invalidates traceparent.
    const rawState = get(TRACESTATE);
    return {
      traceId: traceparent.slice(3, 35),
      traceIdBits: 128,
      spanId: traceparent.slice(36, 52),
      parentSpanId: undefined,
      sampled: (flags & 1) === 1,
      debug: false,
      traceState: rawState === undefined ? undefined : validateTracestate(rawState),
      baggage: undefined,
    };
  },
  inject(context: TraceContext, set: HeaderSetter, del?: HeaderDeleter): void {
    set(TRACEPARENT, `00-${context.traceId}-${context.spanId}-${context.sampled === true ? '01' : '00'}`);
    if (context.traceState !== undefined) set(TRACESTATE, context.traceState);
    else if (del !== undefined) del(TRACESTATE);
  },
});
