import { OrionError } from '@orion/error';
import { ORION_ERR_FORMAT_CONFIG, ORION_ERR_FORMAT_PARSE } from './error-codes.js';
import type { FormatContext, JsonValue } from './format-context.js';
import { compareKeys, formatG, stringifyJson } from './json-value.js';
import type { CompileEnv, Op } from './operators/op.js';
import { compileTemplate, type CompiledTemplate } from './compile.js';

/** A node of a compiled `json_format`. */
export type JsonNode =
  | { readonly kind: 'const'; readonly json: string; readonly isNull: boolean }
  | { readonly kind: 'template'; readonly template: CompiledTemplate }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly JsonNode[] }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[] };

/** How `json_format` values are typed. */
export type JsonMode = 'typed' | 'untyped';

type Path = (string | number)[];

function describePath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Compiles a `json_format` struct (a plain JS object in protobuf-JSON form). */
export function compileJson(struct: unknown, mode: JsonMode, env: CompileEnv): JsonNode {
  if (struct === null || typeof struct !== 'object' || Array.isArray(struct)) {
    throw new OrionError(ORION_ERR_FORMAT_CONFIG, 'json_format must be an object');
  }
  return compileValue(struct as JsonValue, mode, env, []);
}

function compileValue(value: unknown, mode: JsonMode, env: CompileEnv, path: Path): JsonNode {
  if (value === null) return { kind: 'const', json: 'null', isNull: true };
  switch (typeof value) {
    case 'string': {
      if (!value.includes('%')) return { kind: 'const', json: JSON.stringify(value), isNull: false };
      try {
        return { kind: 'template', template: compileTemplate(value, env) };
      } catch (err) {
        if (OrionError.is(err, ORION_ERR_FORMAT_PARSE)) {
          const { column, reason } = err.details as { column: number; reason: string };
          throw new OrionError(ORION_ERR_FORMAT_PARSE, `${err.message} in json_format.${describePath(path)}`, {
            details: { column, reason, path: [...path] },
          });
        }
        throw err;
      }
    }
    case 'number':
      if (mode === 'untyped') return { kind: 'const', json: JSON.stringify(formatG(value)), isNull: false };
      return { kind: 'const', json: stringifyJson(value), isNull: !Number.isFinite(value) };
    case 'boolean':
      return { kind: 'const', json: mode === 'untyped' ? `"${value}"` : String(value), isNull: false };
    case 'object': {
      if (Array.isArray(value)) return { kind: 'array', items: value.map((v, i) => compileValue(v, mode, env, [...path, i])) };
      const obj = value as Record<string, unknown>;
      const names = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort(compareKeys);
      return {
        kind: 'object',
        keys: names.map((k) => `${JSON.stringify(k)}:`),
        values: names.map((k) => compileValue(obj[k], mode, env, [...path, k])),
      };
    }
    default:
      throw new OrionError(
        ORION_ERR_FORMAT_CONFIG,
        `json_format.${describePath(path)}: only strings, numbers, booleans, nulls, objects and lists are supported, got ${typeof value}`,
        { details: { path: [...path] } },
      );
  }
}

/** A JSON node with per-worker operator instances. */
type LiveNode =
  | { readonly kind: 'const'; readonly json: string; readonly isNull: boolean }
  | {
      readonly kind: 'single';
      readonly text: (ctx: FormatContext) => string | undefined;
      readonly value: (ctx: FormatContext) => JsonValue | undefined;
    }
  | { readonly kind: 'multi'; readonly literals: readonly string[]; readonly texts: readonly ((ctx: FormatContext) => string | undefined)[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly values: readonly LiveNode[] }
  | { readonly kind: 'array'; readonly items: readonly LiveNode[] };

function instantiate(node: JsonNode, clone: (op: Op) => Op): LiveNode {
  switch (node.kind) {
    case 'const':
      return node;
    case 'template': {
      const { literals, ops } = node.template;
      const live = ops.map(clone);
      if (live.length === 1 && literals[0] === '' && literals[1] === '') {
        const op = live[0] as Op;
        return { kind: 'single', text: op.text, value: op.value };
      }
      return { kind: 'multi', literals, texts: live.map((o) => o.text) };
    }
    case 'object':
      return { kind: 'object', keys: node.keys, values: node.values.map((v) => instantiate(v, clone)) };
    case 'array':
      return { kind: 'array', items: node.items.map((v) => instantiate(v, clone)) };
  }
}

function typedJson(v: JsonValue): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : stringifyJson(v);
}

/** Renders a compiled `json_format` (Envoy `JsonFormatterImpl` / `OmitEmptyJsonFormatterImpl` / legacy struct formatter). */
export class JsonRenderer {
  private readonly root: LiveNode;

  constructor(
    node: JsonNode,
    clone: (op: Op) => Op,
    private readonly mode: JsonMode,
    private readonly omitEmpty: boolean,
  ) {
    this.root = instantiate(node, clone);
  }

  render(ctx: FormatContext): string {
    return `${this.node(this.root, ctx, true) ?? '{}'}\n`;
  }

  /** The JSON text of a node, or `undefined` when omit_empty_values drops it. */
  private node(n: LiveNode, ctx: FormatContext, root: boolean): string | undefined {
    switch (n.kind) {
      case 'const':
        return n.isNull && this.omitEmpty ? undefined : n.json;
      case 'single': {
        if (this.mode === 'typed') {
          const v = n.value(ctx);
          if (v === undefined || v === null) return this.omitEmpty ? undefined : 'null';
          return typedJson(v);
        }
        const t = n.text(ctx);
        if (t === undefined) return this.omitEmpty ? undefined : '"-"';
        return JSON.stringify(t);
      }
      case 'multi': {
        const unset = this.omitEmpty ? '' : '-';
        let s = n.literals[0] as string;
        for (let i = 0; i < n.texts.length; i++) {
          const v = (n.texts[i] as (ctx: FormatContext) => string | undefined)(ctx);
          s += (v === undefined ? unset : v) + (n.literals[i + 1] as string);
        }
        return JSON.stringify(s);
      }
      case 'object': {
        let out = '{';
        let empty = true;
        for (let i = 0; i < n.values.length; i++) {
          const v = this.node(n.values[i] as LiveNode, ctx, false);
          if (v === undefined) continue;
          out += (empty ? '' : ',') + (n.keys[i] as string) + v;
          empty = false;
        }
        // Typed omit_empty_values drops an object whose fields were all omitted (the root prints as {}).
        if (empty && this.omitEmpty && this.mode === 'typed') return root ? '{}' : undefined;
        return `${out}}`;
      }
      case 'array': {
        let out = '[';
        let empty = true;
        for (const item of n.items) {
          const v = this.node(item, ctx, false);
          if (v === undefined) continue;
          out += (empty ? '' : ',') + v;
          empty = false;
        }
        return `${out}]`;
      }
    }
  }
}
