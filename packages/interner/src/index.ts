export { INTERNER_ERROR_CODES, ORION_ERR_INTERNER_FULL, ORION_ERR_INTERNER_INVALID_OPTIONS } from './error-codes.js';
export type { InternedString } from './interned-string.js';
export { DEFAULT_INTERNER_MAX_SIZE, createInterner } from './interner.js';
export type { Interner, InternerOptions } from './interner.js';
export { globalInterner } from './global-interner.js';
