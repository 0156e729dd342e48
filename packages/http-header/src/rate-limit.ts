// Rate-limit quota headers (IETF draft-ietf-httpapi-ratelimit-headers-03), written by Envoy's
// local rate limit filter when `enable_x_ratelimit_headers` is `DRAFT_VERSION_03`.

/** The quota of the window that applies. */
export const X_RATELIMIT_LIMIT = 'x-ratelimit-limit';
/** Requests left in the current window. */
export const X_RATELIMIT_REMAINING = 'x-ratelimit-remaining';
/** Seconds until the window resets; also read for rate-limited retry back-off. */
export const X_RATELIMIT_RESET = 'x-ratelimit-reset';

/** Every rate-limit header name above, in declaration order. */
export const RATE_LIMIT_HEADER_NAMES: readonly string[] = Object.freeze([
  X_RATELIMIT_LIMIT,
  X_RATELIMIT_REMAINING,
  X_RATELIMIT_RESET,
]);
