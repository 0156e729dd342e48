import { ParseFailure } from '../parse-error.js';
import { ADDRESS_OPERATORS } from './address.js';
import { COALESCE_OPERATORS } from './coalesce.js';
import { HTTP_OPERATORS } from './http.js';
import { METADATA_OPERATORS } from './metadata.js';
import { COMMAND_ONLY, LENGTH_ALLOWED, PARAMS_REQUIRED, type CompileEnv, type Op, type OperatorDefinition } from './op.js';
import { STREAM_INFO_OPERATORS } from './stream-info.js';
import { TIME_OPERATORS } from './time.js';
import { TLS_OPERATORS } from './tls.js';

/** Every supported command operator by name. */
export const OPERATORS: ReadonlyMap<string, OperatorDefinition> = new Map(
  Object.entries({
    ...STREAM_INFO_OPERATORS,
    ...TIME_OPERATORS,
    ...ADDRESS_OPERATORS,
    ...TLS_OPERATORS,
    ...HTTP_OPERATORS,
    ...METADATA_OPERATORS,
    ...COALESCE_OPERATORS,
  }),
);

/** Names of every supported operator, sorted. */
export const SUPPORTED_OPERATORS: readonly string[] = [...OPERATORS.keys()].sort();

const UNSUPPORTED: Readonly<Record<string, string>> = {
  CEL: 'CEL needs a CEL engine, which Orion does not embed',
  TYPED_CEL: 'TYPED_CEL needs a CEL engine, which Orion does not embed',
  PER_REQUEST_STATE: "PER_REQUEST_STATE was removed from Envoy: use FILTER_STATE(key:PLAIN)",
};

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

function suggestion(name: string): string {
  let best = '';
  let bestDistance = Infinity;
  for (const candidate of SUPPORTED_OPERATORS) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean '${best}'?)` : '';
}

/** Columns of one command, for errors. */
export interface CommandColumns {
  readonly nameColumn: number;
  readonly paramColumn: number;
  readonly lengthColumn: number;
  readonly hasParens: boolean;
}

/** Checks a command's syntax against the operator table (Envoy `CommandSyntaxChecker`) and builds it. */
export function buildOperator(
  name: string,
  param: string,
  maxLength: number | undefined,
  columns: CommandColumns,
  env: CompileEnv,
): Op {
  const def = OPERATORS.get(name);
  if (def === undefined) {
    throw new ParseFailure(UNSUPPORTED[name] ?? `unknown operator '${name}'${suggestion(name)}`, columns.nameColumn);
  }
  const parenColumn = columns.hasParens ? columns.paramColumn - 1 : columns.nameColumn;
  if (def.syntax === COMMAND_ONLY && (param !== '' || maxLength !== undefined)) {
    throw new ParseFailure(`${name} does not take any parameters or length`, param !== '' ? parenColumn : columns.lengthColumn);
  }
  if ((def.syntax & PARAMS_REQUIRED) !== 0 && param === '') {
    throw new ParseFailure(`${name} requires parameters`, parenColumn);
  }
  if ((def.syntax & LENGTH_ALLOWED) === 0 && maxLength !== undefined) {
    throw new ParseFailure(`${name} does not allow length to be specified`, columns.lengthColumn);
  }
  const paramColumn = columns.hasParens ? columns.paramColumn : columns.nameColumn;
  return def.create({
    name,
    param,
    maxLength,
    paramColumn,
    env,
    fail: (reason: string, column?: number): never => {
      throw new ParseFailure(reason, column ?? paramColumn);
    },
  });
}
