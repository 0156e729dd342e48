export { OrionError, ORION_ERR_UNKNOWN, withContext, withContextData } from './orion-error.js';
export type { ContextData, ContextFrame, OrionErrorCode, OrionErrorOptions } from './orion-error.js';
export { printError } from './print-error.js';
export type { PrintErrorOptions } from './print-error.js';
export { assertNever } from './assert-never.js';
export { readErrorCodesTable } from './error-codes-table.js';
