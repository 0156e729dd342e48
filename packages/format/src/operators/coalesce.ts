import { ParseFailure } from '../parse-error.js';
import type { FormatContext, JsonValue } from '../format-context.js';
import { LENGTH_ALLOWED, PARAMS_REQUIRED, truncate, type Op, type OperatorArgs, type OperatorDefinition } from './op.js';

function operatorAt(a: OperatorArgs, entry: unknown, index: number): Op {
  const fail = (reason: string): never => a.fail(`COALESCE: failed to parse operator at index ${index}: ${reason}`);
  let command: unknown;
  let param: unknown = '';
  let maxLength: unknown;
  if (typeof entry === 'string') command = entry;
  else if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    const o = entry as Record<string, unknown>;
    command = o['command'];
    if ('param' in o) param = o['param'];
    maxLength = o['max_length'];
  } else fail('an operator must be a command name or an object');
  if (typeof command !== 'string' || command === '') fail("'command' field is required and must be a string");
  if (typeof param !== 'string') fail("'param' field must be a string");
  if (maxLength !== undefined && (typeof maxLength !== 'number' || !Number.isInteger(maxLength))) {
    fail("'max_length' field must be an integer");
  }
  if (typeof maxLength === 'number' && maxLength <= 0) fail("'max_length' must be positive");
  try {
    return a.env.build(command as string, param as string, maxLength as number | undefined, a.paramColumn);
  } catch (err) {
    if (err instanceof ParseFailure) fail(err.reason);
    throw err;
  }
}

function coalesce(a: OperatorArgs): Op {
  let config: unknown;
  try {
    config = JSON.parse(a.param);
  } catch (err) {
    a.fail(`COALESCE: failed to parse JSON configuration: ${(err as Error).message}`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config) || !('operators' in config)) {
    a.fail("COALESCE: JSON configuration must contain 'operators' array");
  }
  const list = (config as Record<string, unknown>)['operators'];
  if (!Array.isArray(list)) a.fail("COALESCE: 'operators' must be an array");
  if ((list as unknown[]).length === 0) a.fail("COALESCE: 'operators' array must not be empty");
  const ops = (list as unknown[]).map((entry, i) => operatorAt(a, entry, i));
  const texts = ops.map((o) => o.text);
  const values = ops.map((o) => o.value);
  const max = a.maxLength;
  return {
    text: (ctx: FormatContext) => {
      for (const text of texts) {
        const v = text(ctx);
        if (v !== undefined) return truncate(v, max);
      }
      return undefined;
    },
    value: (ctx: FormatContext): JsonValue | undefined => {
      for (const value of values) {
        const v = value(ctx);
        if (v !== undefined && v !== null) return typeof v === 'string' ? truncate(v, max) : v;
      }
      return undefined;
    },
  };
}

/** `%COALESCE({"operators": [...]}):Z%`: the first operator that has a value. */
export const COALESCE_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  COALESCE: { syntax: PARAMS_REQUIRED | LENGTH_ALLOWED, create: coalesce },
};
