import type { FilterStateObject, FormatContext, JsonValue, Metadata } from '../format-context.js';
import { stringifyJson, valueToText } from '../json-value.js';
import { LENGTH_ALLOWED, PARAMS_OPTIONAL, PARAMS_REQUIRED, truncate, type Op, type OperatorArgs, type OperatorDefinition } from './op.js';

type MetadataSource = (ctx: FormatContext) => Metadata | undefined;

function lookup(metadata: Metadata | undefined, namespace: string, path: readonly string[]): JsonValue | undefined {
  if (metadata === undefined) return undefined;
  const struct = metadata[namespace];
  if (struct === undefined) return undefined;
  let value: JsonValue | undefined = struct;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as { readonly [k: string]: JsonValue })[key];
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * Envoy `MetadataFormatter`: the value at `namespace:key:…`, as text (strings verbatim, others as JSON) or typed.
 * `:Z` truncates the text form and typed strings; typed structs, lists, numbers and booleans keep their type.
 */
export function metadataOp(source: MetadataSource, namespace: string, path: readonly string[], max: number | undefined): Op {
  return {
    text: (ctx) => {
      const v = lookup(source(ctx), namespace, path);
      return v === undefined ? undefined : truncate(valueToText(v), max);
    },
    value: (ctx) => {
      const v = lookup(source(ctx), namespace, path);
      return typeof v === 'string' ? truncate(v, max) : v;
    },
  };
}

function metadataOperator(source: MetadataSource): OperatorDefinition {
  return {
    syntax: PARAMS_REQUIRED | LENGTH_ALLOWED,
    create: (a) => {
      const [namespace = '', ...path] = a.param.split(':');
      return metadataOp(source, namespace, path, a.maxLength);
    },
  };
}

const METADATA_TYPES: Readonly<Record<string, MetadataSource>> = {
  DYNAMIC: (c) => c.dynamicMetadata,
  CLUSTER: (c) => c.clusterMetadata,
  ROUTE: (c) => c.routeMetadata,
  UPSTREAM_HOST: (c) => c.upstreamHostMetadata,
  LISTENER: (c) => c.listenerMetadata,
  LISTENER_FILTER_CHAIN: (c) => c.listenerFilterChainMetadata,
  VIRTUAL_HOST: (c) => c.virtualHostMetadata,
};

function genericMetadata(a: OperatorArgs): Op {
  const [type = '', namespace, ...path] = a.param.split(':');
  const source = METADATA_TYPES[type];
  if (source === undefined) {
    a.fail(`METADATA type '${type}' is not supported: use ${Object.keys(METADATA_TYPES).join(', ')}`);
  }
  if (namespace === undefined) a.fail(`METADATA requires TYPE:NAMESPACE[:KEY…], got '${a.param}'`);
  return metadataOp(source, namespace, path, a.maxLength);
}

function isFilterStateObject(v: unknown): v is FilterStateObject {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return typeof o['serializeAsString'] === 'function' || typeof o['serializeAsJson'] === 'function' || typeof o['getField'] === 'function';
}

function asJson(v: unknown): JsonValue | undefined {
  if (isFilterStateObject(v)) return v.serializeAsJson?.();
  return v === undefined ? undefined : (v as JsonValue);
}

function asString(v: unknown): string | undefined {
  if (isFilterStateObject(v)) return v.serializeAsString?.();
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return stringifyJson(v as JsonValue);
}

function field(v: unknown, name: string): string | undefined {
  let f: unknown;
  if (isFilterStateObject(v)) f = v.getField?.(name);
  else if (v !== null && typeof v === 'object' && !Array.isArray(v)) f = (v as Record<string, unknown>)[name];
  return typeof f === 'string' ? f : typeof f === 'number' ? String(f) : undefined;
}

function filterStateOperator(upstream: boolean): OperatorDefinition {
  return {
    syntax: PARAMS_OPTIONAL | LENGTH_ALLOWED,
    create: (a) => {
      const [key = '', type = '', fieldName = ''] = a.param.split(':');
      if (key === '') a.fail('Invalid filter state configuration, key cannot be empty.');
      const serialize = type === '' ? 'TYPED' : type;
      if (serialize !== 'PLAIN' && serialize !== 'TYPED' && serialize !== 'FIELD') {
        a.fail('Invalid filter state serialize type, only support PLAIN/TYPED/FIELD.', a.paramColumn + key.length + 1);
      }
      if ((serialize === 'FIELD') !== (fieldName !== '')) {
        a.fail('Invalid filter state serialize type, FIELD should be used with the field name.', a.paramColumn + key.length + 1);
      }
      const max = a.maxLength;
      const get = upstream
        ? (c: FormatContext): unknown => (c.getUpstreamFilterState !== undefined ? c.getUpstreamFilterState(key) : c.upstreamFilterState?.[key])
        : (c: FormatContext): unknown => (c.getFilterState !== undefined ? c.getFilterState(key) : c.filterState?.[key]);
      if (serialize === 'TYPED') {
        return {
          text: (ctx) => {
            const v = asJson(get(ctx));
            return v === undefined ? undefined : truncate(stringifyJson(v), max);
          },
          // Typed output is not truncated (Envoy: "N.B. Does not truncate").
          value: (ctx) => asJson(get(ctx)),
        };
      }
      const f =
        serialize === 'PLAIN'
          ? (ctx: FormatContext): string | undefined => {
              const v = asString(get(ctx));
              return v === undefined ? undefined : truncate(v, max);
            }
          : (ctx: FormatContext): string | undefined => {
              const v = field(get(ctx), fieldName);
              return v === undefined ? undefined : truncate(v, max);
            };
      return { text: f, value: f };
    },
  };
}

/** Metadata and filter-state operators. */
export const METADATA_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  DYNAMIC_METADATA: metadataOperator((c) => c.dynamicMetadata),
  CLUSTER_METADATA: metadataOperator((c) => c.clusterMetadata),
  UPSTREAM_METADATA: metadataOperator((c) => c.upstreamHostMetadata),
  METADATA: { syntax: PARAMS_REQUIRED | LENGTH_ALLOWED, create: genericMetadata },
  FILTER_STATE: filterStateOperator(false),
  UPSTREAM_FILTER_STATE: filterStateOperator(true),
};
