import { createInterner, type Interner } from './interner.js';

/**
 * The process-wide interner, created on first import with the default options. Every package of one
 * process shares it, so an id names the same string everywhere in that process; worker processes each
 * have their own, so ids never travel between processes (send the strings).
 */
export const globalInterner: Interner = /* @__PURE__ */ createInterner();
