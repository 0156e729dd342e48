/** {@link Interner.intern} was given a new string while the interner already holds `maxSize` strings. */
export const ORION_ERR_INTERNER_FULL = 'ORION_ERR_INTERNER_FULL';
/** {@link createInterner} was given an option outside its range (e.g. a `maxSize` below 1). */
export const ORION_ERR_INTERNER_INVALID_OPTIONS = 'ORION_ERR_INTERNER_INVALID_OPTIONS';

/** Every code this package throws, in README order. */
export const INTERNER_ERROR_CODES: readonly string[] = Object.freeze([ORION_ERR_INTERNER_FULL, ORION_ERR_INTERNER_INVALID_OPTIONS]);
