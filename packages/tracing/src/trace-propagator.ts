import { OrionError } from '@orion/error';
import { b3MultiCodec } from './b3-multi-codec.js';
import { b3SingleCodec } from './b3-single-codec.js';
import { ORION_ERR_TRACING_INVALID_OPTIONS } from './error-codes.js';
import { jaegerCodec } from './jaeger-codec.js';
import type { HeaderDeleter, HeaderGetter, HeaderSetter, TraceCodec, TraceFormat } from './trace-codec.js';
import { childContext, newRootContext } from './trace-context.js';
import type { TraceContext } from './trace-context.js';
import { w3cCodec } from './w3c-codec.js';

/** Every format, in the default priority order: W3C, then B3 single, then B3 multi, then Jaeger. */
export const DEFAULT_TRACE_FORMATS: readonly TraceFormat[] = Object.freeze(['w3c', 'b3Single', 'b3Multi', 'jaeger'] as const);

const CODECS: Readonly<Record<TraceFormat, TraceCodec>> = Object.freeze({
  w3c: w3cCodec,
  b3Single: b3SingleCodec,
  b3Multi: b3MultiCodec,
  jaeger: jaegerCodec,
});

/** Options for {@link createTracePropagator}. */
export interface TracePropagatorOptions {
  /**
   * Formats read from requests, highest priority first; the first one that yields a context wins.
   * Default: {@link DEFAULT_TRACE_FORMATS}. (Envoy reads one format per tracer provider: Zipkin
   * B3, OpenTelemetry W3C; B3 single is read before B3 multi, as Envoy's Zipkin extractor does.)
   */
  readonly formats?: readonly TraceFormat[];
  /** Formats always written, in addition to those the request came in with. Default: none. */
  readonly alsoEmit?: readonly TraceFormat[];
  /** Formats written for a request that carried none of `formats`. Default: the first of `formats`. */
  readonly rootFormats?: readonly TraceFormat[];
  /** Trace-id size of new traces (Envoy Zipkin `trace_id_128bit`, default false there). Default: 128. */
  readonly traceIdBits?: 64 | 128;
}

/** What {@link TracePropagator.extract} found on a request. */
export interface TraceExtraction {
  /** The incoming context (the caller's span), or undefined when no format yielded a valid one. */
  readonly context: TraceContext | undefined;
  /** The format `context` (or the sampling-only decision) was read from. */
  readonly format: TraceFormat | undefined;
  /** Configured formats with at least one header on the request, valid or not, in priority order. */
  readonly present: readonly TraceFormat[];
  /** `context.sampled`, or a sampling-only decision (B3 `b3: 0`), or undefined. */
  readonly sampled: boolean | undefined;
  /** `context.debug`, or a sampling-only debug decision (`b3: d`). */
  readonly debug: boolean;
}

/**
 * Extracts trace context from requests and injects the proxy's child context upstream, in the
 * same format(s) the request came in with. Built once per connection manager; allocation-light
 * per request: header access goes through the caller's accessor functions.
 */
export interface TracePropagator {
  /** The formats read, in priority order. */
  readonly formats: readonly TraceFormat[];
  /** Reads the request's trace headers; `names` (lower-case header names) enables Jaeger baggage. */
  extract(get: HeaderGetter, names?: Iterable<string>): TraceExtraction;
  /**
   * The formats to write upstream for a request: every configured format present on it (so stale
   * or invalid headers of a present format are overwritten), else `rootFormats`; plus `alsoEmit`.
   */
  outgoingFormats(extraction: TraceExtraction): readonly TraceFormat[];
  /** Writes `context` in {@link TracePropagator.outgoingFormats} of `extraction`. */
  inject(context: TraceContext, extraction: TraceExtraction, set: HeaderSetter, del?: HeaderDeleter): void;
  /**
   * The per-request step: extract, derive the proxy's span context (a child of the incoming one, or
   * a new root), inject it, and return it. `sampled` is the proxy's own decision, used when the
   * request carries none (a new trace, or a deferred B3 decision); an incoming decision is kept.
   */
  propagate(get: HeaderGetter, set: HeaderSetter, del?: HeaderDeleter, sampled?: boolean): TraceContext;
}

const FORMAT_BITS: Readonly<Record<TraceFormat, number>> = Object.freeze({ w3c: 1, b3Single: 2, b3Multi: 4, jaeger: 8 });
const MASKS = 16;

function invalid(message: string, details: Record<string, unknown>): OrionError {
  return new OrionError(ORION_ERR_TRACING_INVALID_OPTIONS, message, { details });
}

function checkFormats(list: readonly unknown[], option: string, allowEmpty: boolean): number {
  if (!Array.isArray(list)) throw invalid(`${option} must be an array of trace formats`, { option });
  if (!allowEmpty && list.length === 0) throw invalid(`${option} must name at least one trace format`, { option });
  let mask = 0;
  for (const format of list) {
    const bit = typeof format === 'string' && Object.hasOwn(FORMAT_BITS, format) ? FORMAT_BITS[format as TraceFormat] : undefined;
    if (bit === undefined) throw invalid(`${option}: unknown trace format ${JSON.stringify(format)}`, { option, format });
    if ((mask & bit) !== 0) throw invalid(`${option}: trace format ${format} is listed twice`, { option, format });
    mask |= bit;
  }
  return mask;
}

const NOTHING: readonly TraceFormat[] = Object.freeze([]);

/**
 * Creates a {@link TracePropagator}. Throws `ORION_ERR_TRACING_INVALID_OPTIONS` for an empty or
 * repeated format list, an unknown format or a bad `traceIdBits`.
 */
export function createTracePropagator(options: TracePropagatorOptions = {}): TracePropagator {
  const formats = Object.freeze([...(options.formats ?? DEFAULT_TRACE_FORMATS)]);
  checkFormats(formats, 'formats', false);
  const alsoEmitMask = checkFormats(options.alsoEmit ?? NOTHING, 'alsoEmit', true);
  const rootMask = checkFormats(options.rootFormats ?? formats.slice(0, 1), 'rootFormats', false);
  const traceIdBits = options.traceIdBits ?? 128;
  if (traceIdBits !== 64 && traceIdBits !== 128) throw invalid('traceIdBits must be 64 or 128', { traceIdBits });

  const codecs = formats.map((format) => CODECS[format]);
  // Output order: the configured formats by priority, then any other format in default order.
  const order = [...formats, ...DEFAULT_TRACE_FORMATS.filter((format) => !formats.includes(format))];
  // Precomputed per set of formats (a 4-bit mask), so that no request allocates a list.
  const formatsByMask: (readonly TraceFormat[])[] = [];
  const codecsByMask: (readonly TraceCodec[])[] = [];
  for (let mask = 0; mask < MASKS; mask++) {
    const list = Object.freeze(order.filter((format) => (mask & FORMAT_BITS[format]) !== 0));
    formatsByMask.push(list);
    codecsByMask.push(Object.freeze(list.map((format) => CODECS[format])));
  }
  const none: TraceExtraction = Object.freeze({ context: undefined, format: undefined, present: NOTHING, sampled: undefined, debug: false });

  function maskOf(list: readonly TraceFormat[]): number {
    let mask = 0;
    for (const format of list) mask |= FORMAT_BITS[format];
    return mask;
  }

  function outgoingMask(extraction: TraceExtraction): number {
    const present = maskOf(extraction.present);
    return (present === 0 ? rootMask : present) | alsoEmitMask;
  }

  function extract(get: HeaderGetter, names?: Iterable<string>): TraceExtraction {
    let present = 0;
    let context: TraceContext | undefined;
    let format: TraceFormat | undefined;
    let sampled: boolean | undefined;
    let debug = false;
    for (const codec of codecs) {
      if (!codec.isPresent(get)) continue;
      present |= FORMAT_BITS[codec.format];
      if (context !== undefined) continue;
      const found = codec.extract(get, names);
      if (found !== undefined) {
        context = found;
        format = codec.format;
        sampled = found.sampled;
        debug = found.debug;
      } else if (format === undefined && codec.extractSampling !== undefined) {
        const decision = codec.extractSampling(get);
        if (decision !== undefined) {
          format = codec.format;
          sampled = decision.sampled;
          debug = decision.debug;
        }
      }
    }
    if (present === 0) return none;
    return { context, format, present: formatsByMask[present]!, sampled, debug };
  }

  function inject(context: TraceContext, extraction: TraceExtraction, set: HeaderSetter, del?: HeaderDeleter): void {
    for (const codec of codecsByMask[outgoingMask(extraction)]!) codec.inject(context, set, del);
  }

  return Object.freeze({
    formats,
    extract,
    inject,
    outgoingFormats(extraction: TraceExtraction): readonly TraceFormat[] {
      return formatsByMask[outgoingMask(extraction)]!;
    },
    propagate(get: HeaderGetter, set: HeaderSetter, del?: HeaderDeleter, sampled?: boolean): TraceContext {
      const incoming = extract(get);
      let context: TraceContext;
      if (incoming.context !== undefined) {
        context = childContext(incoming.context);
        if (context.sampled === undefined && sampled !== undefined) context = { ...context, sampled };
      } else {
        context = newRootContext(incoming.sampled ?? sampled, { traceIdBits, debug: incoming.debug });
      }
      inject(context, incoming, set, del);
      return context;
    },
  });
}
