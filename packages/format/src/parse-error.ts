import { OrionError } from '@orion/error';
import { ORION_ERR_FORMAT_PARSE } from './error-codes.js';

/** Details of an {@link ORION_ERR_FORMAT_PARSE} error. */
export interface FormatParseErrorDetails {
  /** 1-based column in the format string (in the `json_format` value for JSON formats). */
  readonly column: number;
  /** Why the format was rejected, without the position. */
  readonly reason: string;
  /** For `json_format`: the keys (and list indexes) leading to the offending value. */
  readonly path?: readonly (string | number)[];
}

/** The error every parse failure throws: message `<reason> at column <n>`, details `{ column, reason }`. */
export function formatParseError(reason: string, column: number): OrionError {
  const details: FormatParseErrorDetails = { column, reason };
  return new OrionError(ORION_ERR_FORMAT_PARSE, `${reason} at column ${column}`, { details: { ...details } });
}

/** Thrown inside the parser; converted to an {@link OrionError} with {@link formatParseError}. */
export class ParseFailure extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(reason);
  }
}
