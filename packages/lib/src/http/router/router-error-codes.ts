/**
 * The error codes the router raises while compiling a route table (never per request). They belong in
 * `LibErrorCode` and the README's Errors table of @orion/lib.
 */
export const RouterErrorCode = {
  /** A route table cannot be compiled: an invalid RE2 pattern or substitution, a header format, a forbidden header. */
  ROUTE_CONFIG: 'ORION_ERR_LIB_ROUTE_CONFIG',
  /** A `direct_response` body cannot be read (missing file or environment variable) or is too large. */
  DIRECT_RESPONSE_BODY: 'ORION_ERR_LIB_ROUTE_DIRECT_RESPONSE_BODY',
} as const;

/** One of {@link RouterErrorCode}'s values. */
export type RouterErrorCode = (typeof RouterErrorCode)[keyof typeof RouterErrorCode];
