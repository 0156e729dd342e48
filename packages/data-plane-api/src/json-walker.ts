import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import type { FieldPath } from './field-path.js';
import { closestName } from './closest-name.js';
import type { LazyTypeRegistry } from './type-registry.js';

/** A problem found by {@link checkJson}: where and what. */
export interface JsonProblem {
  readonly path: FieldPath;
  readonly message: string;
  /** Unknown-field problems can be downgraded to warnings (`--allow-unknown-static-fields`). */
  readonly unknownField?: boolean;
}

const WRAPPERS: Readonly<Record<string, ScalarType>> = {
  'google.protobuf.DoubleValue': ScalarType.DOUBLE,
  'google.protobuf.FloatValue': ScalarType.FLOAT,
  'google.protobuf.Int64Value': ScalarType.INT64,
  'google.protobuf.UInt64Value': ScalarType.UINT64,
  'google.protobuf.Int32Value': ScalarType.INT32,
  'google.protobuf.UInt32Value': ScalarType.UINT32,
  'google.protobuf.BoolValue': ScalarType.BOOL,
  'google.protobuf.StringValue': ScalarType.STRING,
  'google.protobuf.BytesValue': ScalarType.BYTES,
};

const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const DURATION_MAX_SECONDS = 315_576_000_000;

/** Where the label of a list element comes from: its `name` field, the Envoy convention. */
export function elementLabel(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const name = (value as Record<string, unknown>)['name'];
    if (typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}

/** Collects every `@type` string in a JSON tree (to load those types before decoding). */
export function collectTypeUrls(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) collectTypeUrls(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '@type' && typeof v === 'string') into.add(v);
      else collectTypeUrls(v, into);
    }
  }
  return into;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'object':
      return 'a mapping';
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    default:
      return `${typeof value} ${JSON.stringify(value)}`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const INT_RANGES: Partial<Record<ScalarType, readonly [bigint, bigint, string]>> = {
  [ScalarType.INT32]: [-(2n ** 31n), 2n ** 31n - 1n, 'int32'],
  [ScalarType.SINT32]: [-(2n ** 31n), 2n ** 31n - 1n, 'int32'],
  [ScalarType.SFIXED32]: [-(2n ** 31n), 2n ** 31n - 1n, 'int32'],
  [ScalarType.UINT32]: [0n, 2n ** 32n - 1n, 'uint32'],
  [ScalarType.FIXED32]: [0n, 2n ** 32n - 1n, 'uint32'],
  [ScalarType.INT64]: [-(2n ** 63n), 2n ** 63n - 1n, 'int64'],
  [ScalarType.SINT64]: [-(2n ** 63n), 2n ** 63n - 1n, 'int64'],
  [ScalarType.SFIXED64]: [-(2n ** 63n), 2n ** 63n - 1n, 'int64'],
  [ScalarType.UINT64]: [0n, 2n ** 64n - 1n, 'uint64'],
  [ScalarType.FIXED64]: [0n, 2n ** 64n - 1n, 'uint64'],
};

/**
 * Checks a JSON/YAML value against a message descriptor the way the proto3 JSON mapping reads it, but
 * reporting every problem with its path: unknown fields (with a suggestion), wrong types, out-of-range
 * integers, unknown enum names, invalid durations and timestamps, unknown `@type`s, two members of one oneof.
 */
export function checkJson(desc: DescMessage, value: unknown, path: FieldPath, registry: LazyTypeRegistry): JsonProblem[] {
  const problems: JsonProblem[] = [];
  checkMessage(desc, value, path, registry, problems);
  return problems;
}

function checkMessage(desc: DescMessage, value: unknown, path: FieldPath, registry: LazyTypeRegistry, out: JsonProblem[]): void {
  if (value === null) return;
  switch (desc.typeName) {
    case 'google.protobuf.Duration':
      checkDuration(value, path, out);
      return;
    case 'google.protobuf.Timestamp':
      if (typeof value !== 'string' || !TIMESTAMP.test(value)) out.push({ path, message: `invalid timestamp ${JSON.stringify(value)} (expected RFC 3339, e.g. "2024-01-01T00:00:00Z")` });
      return;
    case 'google.protobuf.FieldMask':
      if (typeof value !== 'string') out.push({ path, message: `expected a field mask string, got ${describeJson(value)}` });
      return;
    case 'google.protobuf.Struct':
      if (!isObject(value)) out.push({ path, message: `expected a mapping, got ${describeJson(value)}` });
      return;
    case 'google.protobuf.Value':
      return;
    case 'google.protobuf.ListValue':
      if (!Array.isArray(value)) out.push({ path, message: `expected a list, got ${describeJson(value)}` });
      return;
    case 'google.protobuf.Any':
      checkAny(value, path, registry, out);
      return;
    default:
      break;
  }
  const wrapped = WRAPPERS[desc.typeName];
  if (wrapped !== undefined) {
    checkScalar(wrapped, value, path, out);
    return;
  }
  if (!isObject(value)) {
    out.push({ path, message: `expected a mapping for ${desc.typeName}, got ${describeJson(value)}` });
    return;
  }
  checkFields(desc, value, path, registry, out, undefined);
}

function checkFields(
  desc: DescMessage,
  value: Record<string, unknown>,
  path: FieldPath,
  registry: LazyTypeRegistry,
  out: JsonProblem[],
  skipKey: string | undefined,
): void {
  const oneofSeen = new Map<string, string>();
  for (const [key, fieldValue] of Object.entries(value)) {
    if (key === skipKey) continue;
    const field = desc.fields.find((f) => f.name === key || f.jsonName === key);
    if (field === undefined) {
      const suggestion = closestName(key, desc.fields.map((f) => f.name));
      out.push({
        path: path.field(key),
        message: `unknown field${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`} in ${desc.typeName}`,
        unknownField: true,
      });
      scanUnknownTypes(fieldValue, path.field(key), registry, out);
      continue;
    }
    const fieldPath = path.field(field.name);
    if (field.oneof !== undefined && fieldValue === null && field.fieldKind === 'message' && !field.message.typeName.startsWith('google.protobuf.')) {
      // An empty YAML value (`http_protocol_options:`) selects that oneof member with its defaults, as Envoy reads it.
      value[key] = {};
    }
    if (field.oneof !== undefined && value[key] !== null) {
      const other = oneofSeen.get(field.oneof.name);
      if (other !== undefined) {
        out.push({ path: fieldPath, message: `"${field.name}" and "${other}" are both set, but only one of ${field.oneof.name} may be` });
      }
      oneofSeen.set(field.oneof.name, field.name);
    }
    checkField(field, value[key], fieldPath, registry, out);
  }
}

/** Reports `@type`s Orion cannot decode inside a value that is not checked otherwise (e.g. under an unknown field). */
function scanUnknownTypes(value: unknown, path: FieldPath, registry: LazyTypeRegistry, out: JsonProblem[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => scanUnknownTypes(v, path.index(i, elementLabel(v)), registry, out));
  } else if (isObject(value)) {
    const typeUrl = value['@type'];
    if (typeof typeUrl === 'string' && registry.getMessage(typeUrl) === undefined) out.push({ path, message: `unknown type ${typeUrl}` });
    for (const [k, v] of Object.entries(value)) if (k !== '@type') scanUnknownTypes(v, path.field(k), registry, out);
  }
}

function checkField(field: DescField, value: unknown, path: FieldPath, registry: LazyTypeRegistry, out: JsonProblem[]): void {
  if (value === null) return;
  switch (field.fieldKind) {
    case 'scalar':
      checkScalar(field.scalar, value, path, out);
      return;
    case 'enum':
      checkEnum(field.enum, value, path, out);
      return;
    case 'message':
      checkMessage(field.message, value, path, registry, out);
      return;
    case 'list': {
      if (!Array.isArray(value)) {
        out.push({ path, message: `expected a list, got ${describeJson(value)}` });
        return;
      }
      value.forEach((item, i) => {
        const itemPath = path.index(i, elementLabel(item));
        switch (field.listKind) {
          case 'scalar':
            checkScalar(field.scalar, item, itemPath, out);
            break;
          case 'enum':
            checkEnum(field.enum, item, itemPath, out);
            break;
          case 'message':
            if (item === null) out.push({ path: itemPath, message: 'a list element may not be null' });
            else checkMessage(field.message, item, itemPath, registry, out);
            break;
        }
      });
      return;
    }
    case 'map': {
      if (!isObject(value)) {
        out.push({ path, message: `expected a mapping, got ${describeJson(value)}` });
        return;
      }
      for (const [k, v] of Object.entries(value)) {
        const entryPath = path.mapKey(k);
        if (field.mapKey !== ScalarType.STRING) checkScalar(field.mapKey, k, entryPath, out);
        switch (field.mapKind) {
          case 'scalar':
            checkScalar(field.scalar, v, entryPath, out);
            break;
          case 'enum':
            checkEnum(field.enum, v, entryPath, out);
            break;
          case 'message':
            checkMessage(field.message, v, entryPath, registry, out);
            break;
        }
      }
      return;
    }
  }
}

function checkAny(value: unknown, path: FieldPath, registry: LazyTypeRegistry, out: JsonProblem[]): void {
  if (!isObject(value)) {
    out.push({ path, message: `expected a mapping with "@type", got ${describeJson(value)}` });
    return;
  }
  const typeUrl = value['@type'];
  if (typeof typeUrl !== 'string' || typeUrl === '') {
    if (Object.keys(value).length > 0) out.push({ path, message: 'missing "@type"' });
    return;
  }
  const inner = registry.getMessage(typeUrl);
  if (inner === undefined) {
    out.push({ path, message: `unknown type ${typeUrl}` });
    return;
  }
  if (inner.typeName.startsWith('google.protobuf.') && (inner.typeName in WRAPPERS || SPECIAL_WKT.has(inner.typeName))) {
    checkMessage(inner, value['value'] ?? null, path.field('value'), registry, out);
    return;
  }
  checkFields(inner, value, path, registry, out, '@type');
}

const SPECIAL_WKT = new Set([
  'google.protobuf.Duration',
  'google.protobuf.Timestamp',
  'google.protobuf.FieldMask',
  'google.protobuf.Struct',
  'google.protobuf.Value',
  'google.protobuf.ListValue',
  'google.protobuf.Any',
]);

function checkDuration(value: unknown, path: FieldPath, out: JsonProblem[]): void {
  const match = typeof value === 'string' ? DURATION.exec(value) : null;
  if (match === null) {
    out.push({ path, message: `invalid duration ${JSON.stringify(value)} (expected seconds with an "s" suffix, e.g. "0.25s" or "60s")` });
    return;
  }
  if (Number(match[2]) > DURATION_MAX_SECONDS) out.push({ path, message: `duration ${JSON.stringify(value)} is out of range` });
}

function checkEnum(desc: DescEnum, value: unknown, path: FieldPath, out: JsonProblem[]): void {
  if (typeof value === 'string') {
    if (desc.values.some((v) => v.name === value)) return;
    const suggestion = closestName(value, desc.values.map((v) => v.name));
    out.push({ path, message: `unknown ${desc.typeName} value ${JSON.stringify(value)}${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}` });
    return;
  }
  if (typeof value === 'number' && Number.isInteger(value)) return;
  out.push({ path, message: `expected a ${desc.typeName} name, got ${describeJson(value)}` });
}

function checkScalar(type: ScalarType, value: unknown, path: FieldPath, out: JsonProblem[]): void {
  switch (type) {
    case ScalarType.STRING:
      if (typeof value !== 'string') out.push({ path, message: `expected a string, got ${describeJson(value)}` });
      return;
    case ScalarType.BOOL:
      if (typeof value !== 'boolean') out.push({ path, message: `expected true or false, got ${describeJson(value)}` });
      return;
    case ScalarType.BYTES:
      if (typeof value !== 'string' || !BASE64.test(value)) out.push({ path, message: `expected base64 bytes, got ${describeJson(value)}` });
      return;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      if (typeof value === 'number') return;
      if (typeof value === 'string' && (value === 'NaN' || value === 'Infinity' || value === '-Infinity' || (value.trim() !== '' && !Number.isNaN(Number(value))))) return;
      out.push({ path, message: `expected a number, got ${describeJson(value)}` });
      return;
    default: {
      const range = INT_RANGES[type];
      if (range === undefined) return;
      let n: bigint;
      if (typeof value === 'number' && Number.isInteger(value)) n = BigInt(value);
      else if (typeof value === 'string' && /^-?\d+$/.test(value)) n = BigInt(value);
      else {
        out.push({ path, message: `expected an integer, got ${describeJson(value)}` });
        return;
      }
      if (n < range[0] || n > range[1]) out.push({ path, message: `${String(n)} is out of range for ${range[2]}` });
    }
  }
}
