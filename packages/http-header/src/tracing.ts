// Trace-context propagation headers of the tracers Envoy supports: W3C Trace Context, Zipkin B3,
// Jaeger, Datadog and the OpenTracing span context.

/** W3C Trace Context `traceparent` (`00-<trace-id>-<parent-id>-<flags>`). */
export const TRACEPARENT = 'traceparent';
/** W3C Trace Context vendor state that accompanies `traceparent`. */
export const TRACESTATE = 'tracestate';
/** W3C Baggage: application key/value pairs propagated with the trace. */
export const BAGGAGE = 'baggage';
/** Zipkin B3 single-header form (`<trace-id>-<span-id>-<sampled>-<parent-span-id>`). */
export const B3 = 'b3';
/** Zipkin B3 multi-header: trace id (64 or 128 bit, hex). */
export const X_B3_TRACEID = 'x-b3-traceid';
/** Zipkin B3 multi-header: span id (64 bit, hex). */
export const X_B3_SPANID = 'x-b3-spanid';
/** Zipkin B3 multi-header: parent span id (64 bit, hex). */
export const X_B3_PARENTSPANID = 'x-b3-parentspanid';
/** Zipkin B3 multi-header: sampling decision (`1`/`0`). */
export const X_B3_SAMPLED = 'x-b3-sampled';
/** Zipkin B3 multi-header: debug flag (`1` forces sampling). */
export const X_B3_FLAGS = 'x-b3-flags';
/** Jaeger trace context (`<trace-id>:<span-id>:<parent-span-id>:<flags>`). */
export const UBER_TRACE_ID = 'uber-trace-id';
/** Datadog trace id (decimal). */
export const X_DATADOG_TRACE_ID = 'x-datadog-trace-id';
/** Datadog parent span id (decimal). */
export const X_DATADOG_PARENT_ID = 'x-datadog-parent-id';
/** Datadog sampling priority (`-1`…`2`). */
export const X_DATADOG_SAMPLING_PRIORITY = 'x-datadog-sampling-priority';
/** Datadog origin of the trace (e.g. `synthetics`). */
export const X_DATADOG_ORIGIN = 'x-datadog-origin';
/** OpenTracing (LightStep) binary span context. */
export const X_OT_SPAN_CONTEXT = 'x-ot-span-context';

/** Every tracing header name above, in declaration order. */
export const TRACING_HEADER_NAMES: readonly string[] = Object.freeze([
  TRACEPARENT,
  TRACESTATE,
  BAGGAGE,
  B3,
  X_B3_TRACEID,
  X_B3_SPANID,
  X_B3_PARENTSPANID,
  X_B3_SAMPLED,
  X_B3_FLAGS,
  UBER_TRACE_ID,
  X_DATADOG_TRACE_ID,
  X_DATADOG_PARENT_ID,
  X_DATADOG_SAMPLING_PRIORITY,
  X_DATADOG_ORIGIN,
  X_OT_SPAN_CONTEXT,
]);
