import { LibErrorCode } from '../../error-codes.js';

/** The router's error codes (a subset of {@link LibErrorCode}). */
export const RouterErrorCode = {
  /** A route table cannot be compiled. */
  ROUTE_CONFIG: LibErrorCode.ROUTE_CONFIG,
  /** A direct response body cannot be read or is too large. */
  DIRECT_RESPONSE_BODY: LibErrorCode.ROUTE_DIRECT_RESPONSE_BODY,
} as const;

/** One of {@link RouterErrorCode}'s values. */
export type RouterErrorCode = (typeof RouterErrorCode)[keyof typeof RouterErrorCode];
