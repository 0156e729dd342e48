import { generateSpanId, generateTraceId } from './random-id.js';

/**
 * A trace context independent of the header format it came in: what the connection manager
 * extracts from a request, derives its own span from, and injects upstream. Every field is always
 * present (`undefined` when not known) so that all contexts share one object shape.
 *
 * Envoy keeps the same data in each tracer's `SpanContext` (Zipkin, OpenTelemetry, Jaeger);
 * Orion keeps one neutral form so a request can leave in the format it came in.
 */
export interface TraceContext {
  /** Trace id: 32 lower-case hex digits, never all zeros. A 64-bit id is held left-padded with zeros. */
  readonly traceId: string;
  /**
   * 64 when the id arrived as a 64-bit id (16 digits in B3, at most 16 in Jaeger) or was generated as
   * one, so that B3 and Jaeger re-emit 16 digits; 128 otherwise. W3C always carries 32 digits.
   */
  readonly traceIdBits: 64 | 128;
  /** Span id of the operation this context identifies: 16 lower-case hex digits, never all zeros. */
  readonly spanId: string;
  /** Span id of its parent (16 lower-case hex digits), or undefined for a root span. */
  readonly parentSpanId: string | undefined;
  /** The sampling decision: true = record (accept), false = do not (deny), undefined = deferred. */
  readonly sampled: boolean | undefined;
  /** Debug ("force trace"): B3 `X-B3-Flags: 1` / `d`, Jaeger flag 0x02. Implies `sampled`. */
  readonly debug: boolean;
  /** The W3C `tracestate` value to propagate unchanged, or undefined. */
  readonly traceState: string | undefined;
  /** Jaeger `uberctx-*` baggage (key → decoded value), or undefined. */
  readonly baggage: ReadonlyMap<string, string> | undefined;
}

/** Options for {@link newRootContext}. */
export interface NewRootContextOptions {
  /** Size of the new trace id. Default: 128 (Envoy's Zipkin `trace_id_128bit` defaults to 64; W3C needs 128). */
  readonly traceIdBits?: 64 | 128;
  /** Start a debug ("force trace") trace; debug implies sampled. Default: false. */
  readonly debug?: boolean;
}

/**
 * A context for a new trace whose root span is the proxy's own: a fresh random trace id and span
 * id, no parent, and the given sampling decision (undefined defers it). Used when a request carries
 * no valid trace context, as Envoy's tracers start a new trace.
 */
export function newRootContext(sampled: boolean | undefined, options: NewRootContextOptions = {}): TraceContext {
  const debug = options.debug ?? false;
  const traceIdBits = options.traceIdBits ?? 128;
  return {
    traceId: generateTraceId(traceIdBits),
    traceIdBits,
    spanId: generateSpanId(),
    parentSpanId: undefined,
    sampled: debug ? true : sampled,
    debug,
    traceState: undefined,
    baggage: undefined,
  };
}

/**
 * The context of a new span that is a child of `parent`: same trace id (and width), same sampling
 * decision, debug flag, `tracestate` and baggage, a new random span id, and `parent.spanId` as its
 * parent. The proxy's own span; injected upstream, it makes the proxy the parent of the next hop.
 */
export function childContext(parent: TraceContext): TraceContext {
  return {
    traceId: parent.traceId,
    traceIdBits: parent.traceIdBits,
    spanId: generateSpanId(),
    parentSpanId: parent.spanId,
    sampled: parent.sampled,
    debug: parent.debug,
    traceState: parent.traceState,
    baggage: parent.baggage,
  };
}
