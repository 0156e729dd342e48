import type { TraceContext } from './trace-context.js';

/**
 * Reads one request header by its lower-case name: its value, or undefined when absent. Repeated
 * headers come joined with `, ` (as Node's `IncomingMessage.headers` does). The codecs call it
 * instead of taking a header object, so any header store works without copying.
 */
export type HeaderGetter = (name: string) => string | undefined;

/** Sets (replaces) one request header; the name is lower case. */
export type HeaderSetter = (name: string, value: string) => void;

/** Removes one request header if present; the name is lower case. */
export type HeaderDeleter = (name: string) => void;

/**
 * A trace-context header format:
 * - `w3c`: W3C Trace Context, `traceparent` + `tracestate` (Envoy's OpenTelemetry tracer);
 * - `b3Single`: Zipkin B3 single header `b3`;
 * - `b3Multi`: Zipkin B3 multiple headers `x-b3-*` (Envoy's Zipkin tracer);
 * - `jaeger`: Jaeger `uber-trace-id` (+ `uberctx-*` baggage).
 */
export type TraceFormat = 'w3c' | 'b3Single' | 'b3Multi' | 'jaeger';

/** A sampling decision that travels without trace ids (B3's `b3: 0` and lone `X-B3-Sampled`). */
export interface SamplingDecision {
  /** true = accept, false = deny. */
  readonly sampled: boolean;
  /** Debug (force trace); implies `sampled`. */
  readonly debug: boolean;
}

/** Reads and writes one {@link TraceFormat}. Codecs never throw on request input. */
export interface TraceCodec {
  /** The format this codec implements. */
  readonly format: TraceFormat;
  /** The fixed header names the format uses (lower case); presence of any marks the format as present. */
  readonly headerNames: readonly string[];
  /** True when the request carries any header of this format, valid or not. */
  isPresent(get: HeaderGetter): boolean;
  /**
   * The trace context carried by the request, or undefined when absent or invalid (never throws).
   * `names` (the request's lower-case header names) lets Jaeger collect `uberctx-*` baggage.
   */
  extract(get: HeaderGetter, names?: Iterable<string>): TraceContext | undefined;
  /**
   * Writes `context` as this format's headers. Headers of the format that the context does not
   * carry (e.g. `x-b3-parentspanid` of a root span) are removed through `del` when it is given.
   */
  inject(context: TraceContext, set: HeaderSetter, del?: HeaderDeleter): void;
  /** A sampling decision sent without ids, for formats that have that form (B3 only). */
  extractSampling?(get: HeaderGetter): SamplingDecision | undefined;
}

/** Accept, without debug. */
export const SAMPLING_ACCEPT: SamplingDecision = Object.freeze({ sampled: true, debug: false });
/** Deny. */
export const SAMPLING_DENY: SamplingDecision = Object.freeze({ sampled: false, debug: false });
/** Debug (implies accept). */
export const SAMPLING_DEBUG: SamplingDecision = Object.freeze({ sampled: true, debug: true });
