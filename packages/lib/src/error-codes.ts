/** The error codes of @orion/lib (listed in its README's Errors table). */
export const LibErrorCode = {
  /** An access-log file cannot be opened. */
  ACCESS_LOG_OPEN: 'ORION_ERR_LIB_ACCESS_LOG_OPEN',
} as const;

/** One of {@link LibErrorCode}'s values. */
export type LibErrorCode = (typeof LibErrorCode)[keyof typeof LibErrorCode];
