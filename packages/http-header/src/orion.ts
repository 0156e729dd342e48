// Headers of Orion's own, outside Envoy's vocabulary.

/** Set on responses refused by Orion's local rate limiter, next to Envoy's `x-envoy-ratelimited`. */
export const X_ORION_RATELIMITED = 'x-orion-ratelimited';

/** Every Orion header name above, in declaration order. */
export const ORION_HEADER_NAMES: readonly string[] = Object.freeze([X_ORION_RATELIMITED]);
