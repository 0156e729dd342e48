import { hexDigit } from './hex.js';
import type { TraceReason } from './uuid-trace-reason.js';
import { setUuidTraceReason, uuidTraceReason } from './uuid-trace-reason.js';

/**
 * The integer Envoy samples a request by (`UUIDRequestIDExtension::getInteger`): the request id's
 * first 8 characters read as a hexadecimal number, so every proxy on the path draws the same
 * number for the same request. Undefined when the id is missing, shorter than 8 characters, or
 * does not start with 8 hex digits.
 */
export function requestIdToInteger(requestId: string | undefined): number | undefined {
  if (requestId === undefined || requestId.length < 8) return undefined;
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const digit = hexDigit(requestId.charCodeAt(i), false);
    if (digit < 0) return undefined;
    value = value * 16 + digit;
  }
  return value;
}

/** The request facts {@link decideTraceReason} needs. */
export interface TraceSamplingInput {
  /** The request's final `x-request-id` (after {@link decideRequestId}). */
  readonly requestId: string | undefined;
  /** Whether the request carries `x-client-trace-id`. */
  readonly clientTraceId: boolean;
  /** Whether the request carries `x-envoy-force-trace` (after internal-header sanitising). */
  readonly forceTrace: boolean;
}

/** Sampling settings: HCM `tracing` and `UuidRequestIdConfig` fields. */
export interface TraceSamplingOptions {
  /** HCM `tracing.client_sampling`, percent of `x-client-trace-id` requests force-traced. Default: 100. */
  readonly clientSampling?: number;
  /** HCM `tracing.random_sampling`, percent (0.01 steps) of requests sampled. Default: 100. */
  readonly randomSampling?: number;
  /** HCM `tracing.overall_sampling`, percent (0.01 steps) applied after the others. Default: 100. */
  readonly overallSampling?: number;
  /**
   * `UuidRequestIdConfig.use_request_id_for_trace_sampling`. Default: true. When false the request id
   * plays no part: the decision is `sampling`, left to the tracer's own sampler, as in Envoy.
   */
  readonly useRequestIdForTraceSampling?: boolean;
  /** `UuidRequestIdConfig.pack_trace_reason`: write the reason into the request id. Default: true. */
  readonly packTraceReason?: boolean;
  /** Uniform random number in [0, 1) for `client_sampling`. Default: `Math.random`. */
  readonly random?: () => number;
}

/** Result of {@link decideTraceReason}. */
export interface TraceSamplingDecision {
  /** Why the request is traced, or `notTraceable`. */
  readonly reason: TraceReason;
  /** The request id to forward: the input one, with the reason packed when `packTraceReason`. */
  readonly requestId: string | undefined;
}

/** Envoy turns a Percent into a FractionalPercent over 10,000 by rounding (`random_sampling`, `overall_sampling`). */
function perTenThousand(percent: number | undefined): number {
  return percent === undefined ? 10_000 : Math.round(percent * 100);
}

/**
 * Decides whether a request is traced, and why, as Envoy's connection manager does
 * (`mutateTracingRequestHeader`): a reason already packed in the request id is kept; otherwise
 * `x-client-trace-id` (subject to `client_sampling`) gives `clientForced`, `x-envoy-force-trace`
 * gives `serviceForced`, and `random_sampling` against the request id's integer modulo 10,000
 * gives `sampling`; finally `overall_sampling`, against the same number, can veto it. The reason is
 * packed into the returned request id when it changed and `pack_trace_reason` is on.
 */
export function decideTraceReason(input: TraceSamplingInput, options: TraceSamplingOptions = {}): TraceSamplingDecision {
  const requestId = input.requestId;
  if (options.useRequestIdForTraceSampling === false) return { reason: 'sampling', requestId };
  const integer = requestIdToInteger(requestId);
  if (integer === undefined || requestId === undefined) return { reason: 'notTraceable', requestId };
  const result = integer % 10_000;
  const pack = options.packTraceReason !== false;
  let reason = uuidTraceReason(requestId);
  let id = requestId;
  if (reason === 'notTraceable') {
    let chosen: TraceReason = 'notTraceable';
    if (input.clientTraceId && Math.floor((options.random ?? Math.random)() * 100) < Math.trunc(options.clientSampling ?? 100)) {
      chosen = 'clientForced';
    } else if (input.forceTrace) {
      chosen = 'serviceForced';
    } else if (result < perTenThousand(options.randomSampling)) {
      chosen = 'sampling';
    }
    if (chosen !== 'notTraceable') {
      reason = chosen;
      if (pack) id = setUuidTraceReason(id, reason);
    }
  }
  if (reason !== 'notTraceable' && !(result < perTenThousand(options.overallSampling))) {
    reason = 'notTraceable';
    if (pack) id = setUuidTraceReason(id, reason);
  }
  return { reason, requestId: id };
}
