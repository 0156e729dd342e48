import type { FormatContext, HeaderRecord, JsonValue } from '../format-context.js';

/**
 * A compiled command operator. `text` returns the text form, `value` the typed JSON form; both return
 * `undefined` for Envoy's "unset" (`-` / `null`). Both are plain closures (no `this`), so the renderer can call
 * them from flat arrays.
 */
export interface Op {
  readonly text: (ctx: FormatContext) => string | undefined;
  readonly value: (ctx: FormatContext) => JsonValue | undefined;
  /** Operators with per-worker caches (the time formats) return an independent copy. */
  readonly clone?: () => Op;
}

/** What the parser hands an operator factory. */
export interface OperatorArgs {
  readonly name: string;
  /** The parameter text; empty when none was given. */
  readonly param: string;
  readonly maxLength: number | undefined;
  /** Column of the parameter (for errors about it). */
  readonly paramColumn: number;
  /** Throws a parse error at `column` (default: the parameter's column). */
  readonly fail: (reason: string, column?: number) => never;
  readonly env: CompileEnv;
}

/** Process-level inputs read at parse time, overridable for tests and embedding. */
export interface CompileEnv {
  readonly hostname: () => string | undefined;
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly uuid: () => string;
  /** Builds a nested operator (COALESCE). Throws a `ParseFailure` like a top-level one. */
  readonly build: (name: string, param: string, maxLength: number | undefined, column: number) => Op;
}

/** The operator takes neither a parameter nor a length. */
export const COMMAND_ONLY = 0;
/** The operator requires a parameter. */
export const PARAMS_REQUIRED = 1;
/** The operator accepts a parameter. */
export const PARAMS_OPTIONAL = 2;
/** The operator accepts `:N`. */
export const LENGTH_ALLOWED = 4;

/** One row of the operator table. */
export interface OperatorDefinition {
  readonly syntax: number;
  readonly create: (args: OperatorArgs) => Op;
}

/** Truncates to `max` UTF-16 code units (Envoy truncates bytes; the two agree on ASCII). */
export function truncate(s: string, max: number | undefined): string {
  return max !== undefined && s.length > max ? s.slice(0, max) : s;
}

function fromRecord(record: HeaderRecord | undefined, name: string): string | undefined {
  if (record === undefined) return undefined;
  const v = record[name];
  if (v === undefined || typeof v === 'string') return v;
  return v[0];
}

type HeaderReader = (ctx: FormatContext) => string | undefined;

/**
 * A reader of one header (lower-case name) from the context's lookup method or record, with the name as a constant
 * property access (generated code: a monomorphic property load instead of a megamorphic keyed load).
 */
export function headerReader(kind: 'request' | 'response' | 'trailer', name: string): HeaderReader {
  const [method, record] =
    kind === 'request'
      ? ['getRequestHeader', 'requestHeaders']
      : kind === 'response'
        ? ['getResponseHeader', 'responseHeaders']
        : ['getResponseTrailer', 'responseTrailers'];
  try {
    const key = JSON.stringify(name);
    return new Function(
      'ctx',
      `'use strict';
const get = ctx.${method};
if (get !== undefined) return get.call(ctx, ${key});
const r = ctx.${record};
if (r === undefined) return undefined;
const v = r[${key}];
return v === undefined || typeof v === 'string' ? v : v[0];`,
    ) as HeaderReader;
  } catch {
    const read = kind === 'request' ? requestHeader : kind === 'response' ? responseHeader : responseTrailer;
    return (ctx) => read(ctx, name);
  }
}

/** A request header (lower-case name) from the context's lookup or record. */
export function requestHeader(ctx: FormatContext, name: string): string | undefined {
  const get = ctx.getRequestHeader;
  return get !== undefined ? get.call(ctx, name) : fromRecord(ctx.requestHeaders, name);
}

/** A response header (lower-case name). */
export function responseHeader(ctx: FormatContext, name: string): string | undefined {
  const get = ctx.getResponseHeader;
  return get !== undefined ? get.call(ctx, name) : fromRecord(ctx.responseHeaders, name);
}

/** A response trailer (lower-case name). */
export function responseTrailer(ctx: FormatContext, name: string): string | undefined {
  const get = ctx.getResponseTrailer;
  return get !== undefined ? get.call(ctx, name) : fromRecord(ctx.responseTrailers, name);
}

/** Envoy `HeaderMap::byteSize()`: the sum of name and value bytes of every entry. */
export function headerRecordBytes(record: HeaderRecord | undefined): number {
  if (record === undefined) return 0;
  let total = 0;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v === undefined) continue;
    if (typeof v === 'string') total += Buffer.byteLength(key) + Buffer.byteLength(v);
    else for (const item of v) total += Buffer.byteLength(key) + Buffer.byteLength(item);
  }
  return total;
}

/** An operator whose text and typed value are the same optional string. */
export function stringOp(get: (ctx: FormatContext) => string | undefined): Op {
  return { text: get, value: get };
}

/** Like {@link stringOp}, but an empty string is unset too. */
export function nonEmptyStringOp(get: (ctx: FormatContext) => string | undefined): Op {
  const f = (ctx: FormatContext): string | undefined => {
    const v = get(ctx);
    return v === '' ? undefined : v;
  };
  return { text: f, value: f };
}

/** A number that Envoy renders as `0` when unknown. */
export function counterOp(get: (ctx: FormatContext) => number | undefined): Op {
  return {
    text: (ctx) => {
      const v = get(ctx);
      return v === undefined ? '0' : String(v);
    },
    value: (ctx) => get(ctx) ?? 0,
  };
}

/** A nanosecond duration rendered as whole milliseconds (truncated); unset when unknown or negative. */
export function durationOp(getNs: (ctx: FormatContext) => number | undefined): Op {
  const ms = (ctx: FormatContext): number | undefined => {
    const ns = getNs(ctx);
    return ns === undefined ? undefined : Math.trunc(ns / 1_000_000);
  };
  return {
    text: (ctx) => {
      const v = ms(ctx);
      return v === undefined ? undefined : String(v);
    },
    value: ms,
  };
}

/** Replaces spaces with `_` (Envoy does this for failure reasons), caching the last input. */
export function underscoreSpaces(): (s: string) => string {
  let lastIn = '';
  let lastOut = '';
  return (s) => {
    if (s === lastIn) return lastOut;
    lastIn = s;
    lastOut = s.includes(' ') ? s.replaceAll(' ', '_') : s;
    return lastOut;
  };
}
