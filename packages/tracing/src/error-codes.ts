/** {@link createTracePropagator} was given options it cannot use (an unknown or repeated format, no format at all, a bad `traceIdBits`). */
export const ORION_ERR_TRACING_INVALID_OPTIONS = 'ORION_ERR_TRACING_INVALID_OPTIONS';

/** Every code this package throws, in README order. */
export const TRACING_ERROR_CODES: readonly string[] = Object.freeze([ORION_ERR_TRACING_INVALID_OPTIONS]);
