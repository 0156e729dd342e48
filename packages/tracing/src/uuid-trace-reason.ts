/**
 * Why a request is traced, as Envoy's `Tracing::Reason` (less `HealthCheck`, which no request id
 * carries): `notTraceable`, `sampling` (random sampling), `serviceForced` (`x-envoy-force-trace`)
 * or `clientForced` (`x-client-trace-id`).
 */
export type TraceReason = 'notTraceable' | 'sampling' | 'serviceForced' | 'clientForced';

/** Length of a formatted UUID; only ids of this length carry a packed trace reason. */
const UUID_LENGTH = 36;
/**
 * Index of the UUID version nibble (`xxxxxxxx-xxxx-Mxxx-…`), fixed to `4` in a UUIDv4, which Envoy's
 * `UuidRequestIdConfig` re-purposes for the trace reason.
 */
export const UUID_TRACE_REASON_INDEX = 14;

const CHAR_BY_REASON: Readonly<Record<TraceReason, string>> = Object.freeze({
  notTraceable: '4',
  sampling: '9',
  serviceForced: 'a',
  clientForced: 'b',
});

/**
 * The trace reason packed in a UUID request id (`UuidRequestIdConfig.pack_trace_reason`): the
 * character at index 14 is `9` for sampled, `a` for forced by the service, `b` for forced by the
 * client (`x-client-trace-id`); anything else, or an id that is not 36 characters, is
 * `notTraceable`.
 */
export function uuidTraceReason(requestId: string | undefined): TraceReason {
  if (requestId === undefined || requestId.length !== UUID_LENGTH) return 'notTraceable';
  switch (requestId.charCodeAt(UUID_TRACE_REASON_INDEX)) {
    case 57 /* 9 */:
      return 'sampling';
    case 97 /* a */:
      return 'serviceForced';
    case 98 /* b */:
      return 'clientForced';
    default:
      return 'notTraceable';
  }
}

/**
 * `requestId` with `reason` packed at index 14 (`4` for `notTraceable`), as Envoy does with
 * `pack_trace_reason` (default true). An id that is not 36 characters is returned unchanged.
 */
export function setUuidTraceReason(requestId: string, reason: TraceReason): string {
  if (requestId.length !== UUID_LENGTH) return requestId;
  const char = CHAR_BY_REASON[reason];
  if (requestId[UUID_TRACE_REASON_INDEX] === char) return requestId;
  return requestId.slice(0, UUID_TRACE_REASON_INDEX) + char + requestId.slice(UUID_TRACE_REASON_INDEX + 1);
}
