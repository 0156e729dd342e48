export { ORION_ERR_TRACING_INVALID_OPTIONS, TRACING_ERROR_CODES } from './error-codes.js';
export { generateSpanId, generateTraceId, generateUuid } from './random-id.js';
export { decideRequestId, isEdgeRequest, requestIdForResponse } from './request-id.js';
export type { EdgeRequestInput, RequestIdDecision, RequestIdInput, ResponseRequestIdInput } from './request-id.js';
export { UUID_TRACE_REASON_INDEX, setUuidTraceReason, uuidTraceReason } from './uuid-trace-reason.js';
export type { TraceReason } from './uuid-trace-reason.js';
export { decideTraceReason, requestIdToInteger } from './trace-sampling.js';
export type { TraceSamplingDecision, TraceSamplingInput, TraceSamplingOptions } from './trace-sampling.js';
