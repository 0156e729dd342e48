import { hostname as osHostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { CompileEnv, Op } from './operators/op.js';
import { buildOperator } from './operators/registry.js';
import { ParseFailure, formatParseError } from './parse-error.js';
import { tokenizeFormat, type CommandToken } from './tokenizer.js';

/** A parsed format string: `literals.length === ops.length + 1`, rendered as `l0 op0 l1 op1 … ln`. */
export interface CompiledTemplate {
  readonly literals: readonly string[];
  readonly ops: readonly Op[];
}

/** Process-level inputs of the parser (all optional; defaults read the real process). */
export interface CompileOptions {
  /** `%HOSTNAME%`. Default: `os.hostname()`. */
  readonly hostname?: string | undefined;
  /** `%ENVIRONMENT(X)%`. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** `%UNIQUE_ID%`. Default: `crypto.randomUUID`. */
  readonly uuid?: (() => string) | undefined;
}

/** Builds the parser environment from options. */
export function compileEnv(options: CompileOptions = {}): CompileEnv {
  const env: CompileEnv = {
    hostname: () => {
      if (options.hostname !== undefined) return options.hostname;
      try {
        return osHostname();
      } catch {
        return undefined;
      }
    },
    environment: options.environment ?? process.env,
    uuid: options.uuid ?? randomUUID,
    build: (name, param, maxLength, column) =>
      buildOperator(name, param, maxLength, { nameColumn: column, paramColumn: column, lengthColumn: column, hasParens: false }, env),
  };
  return env;
}

/** Parses a format string; throws `ORION_ERR_FORMAT_PARSE` with the column and reason. */
export function compileTemplate(format: string, env: CompileEnv): CompiledTemplate {
  try {
    const tokens = tokenizeFormat(format);
    const literals: string[] = [];
    const ops: Op[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (i % 2 === 0) literals.push(tokens[i] as string);
      else {
        const t = tokens[i] as CommandToken;
        ops.push(buildOperator(t.name, t.param, t.maxLength, t, env));
      }
    }
    return { literals, ops };
  } catch (err) {
    if (err instanceof ParseFailure) throw formatParseError(err.reason, err.column);
    throw err;
  }
}
