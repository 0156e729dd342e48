import { OrionError } from '@orion/error';
import { LogFormatter } from '@orion/format';

/** Why an access-log command string is invalid: the 1-based column of the problem and the reason. */
export interface AccessLogFormatProblem {
  readonly column: number;
  readonly reason: string;
}

/**
 * Checks an Envoy access-log command string (`text_format`, or one value of `json_format`) with @orion/format's
 * parser, the one the data plane renders with. Returns undefined when it is valid.
 */
export function accessLogFormatProblem(format: string): AccessLogFormatProblem | undefined {
  try {
    LogFormatter.text(format);
    return undefined;
  } catch (err) {
    if (!OrionError.is(err, 'ORION_ERR_FORMAT_PARSE')) throw err;
    const column = err.details['column'];
    const reason = err.details['reason'];
    return { column: typeof column === 'number' ? column : 1, reason: typeof reason === 'string' ? reason : err.message };
  }
}
