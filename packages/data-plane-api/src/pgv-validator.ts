import { getOption, isMessage, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { anyUnpack, type Any, type Duration } from '@bufbuild/protobuf/wkt';
import type { FieldPath } from './field-path.js';
import { FieldRulesSchema, KnownRegex, disabled, required as oneofRequired, rules as fieldRules, type FieldRules } from './gen/validate/validate_pb.js';
import type { LazyTypeRegistry } from './type-registry.js';

/** A PGV rule broken by a decoded message. */
export interface RuleViolation {
  readonly path: FieldPath;
  readonly message: string;
}

type Rules = FieldRules['type'];
type RuleMessage = NonNullable<Rules['value']>;

const HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
// PGV's HTTP header value rules are defined over control characters.
// eslint-disable-next-line no-control-regex
const HEADER_VALUE_STRICT = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
// eslint-disable-next-line no-control-regex
const HEADER_VALUE_LOOSE = /^[^\u0000\u000A\u000D]*$/;
const patternCache = new Map<string, RegExp | null>();

/**
 * Enforces the protoc-gen-validate (`validate.rules`) annotations of Envoy's protos on a decoded message,
 * reporting each broken rule with its path: required messages and oneofs, string lengths and patterns,
 * numeric and duration ranges, list and map sizes, defined enum values. `Any` fields are unpacked through
 * `registry` and validated too.
 */
export function validateRules(desc: DescMessage, message: Message, path: FieldPath, registry: LazyTypeRegistry): RuleViolation[] {
  const out: RuleViolation[] = [];
  validateMessage(desc, message, path, registry, out);
  return out;
}

function validateMessage(desc: DescMessage, message: Message, path: FieldPath, registry: LazyTypeRegistry, out: RuleViolation[]): void {
  if (desc.typeName === 'google.protobuf.Any') {
    const any = message as Any;
    if (any.typeUrl === '') return;
    const inner = registry.getMessage(any.typeUrl);
    if (inner === undefined) return;
    const unpacked = anyUnpack(any, registry.registry);
    if (unpacked !== undefined) validateMessage(inner, unpacked, path, registry, out);
    return;
  }
  if (desc.typeName.startsWith('google.protobuf.')) return;
  if (getOption(desc, disabled)) return;
  const record = message as unknown as Record<string, unknown>;
  if (desc.typeName === 'envoy.config.cluster.v3.Cluster') fillEmbeddedClusterName(record);
  for (const oneof of desc.oneofs) {
    if (getOption(oneof, oneofRequired) && (record[oneof.localName] as { case?: string } | undefined)?.case === undefined) {
      out.push({ path: path.field(oneof.name), message: `one of ${oneof.fields.map((f) => `"${f.name}"`).join(', ')} is required` });
    }
  }
  for (const field of desc.fields) {
    const { set, value } = fieldValue(record, field);
    // Rules on a oneof member apply only when that member is the one set.
    if (field.oneof !== undefined && !set) continue;
    const rules = getOption(field, fieldRules);
    validateField(field, set, value, rules, path.field(field.name), registry, out);
  }
}

/**
 * A cluster's embedded `load_assignment` may omit `cluster_name` (its cluster names it); Orion fills it in
 * rather than failing the `min_len: 1` rule, so configurations that omit it load (see the README).
 */
function fillEmbeddedClusterName(cluster: Record<string, unknown>): void {
  const assignment = cluster['loadAssignment'] as { clusterName?: string } | undefined;
  const name = cluster['name'];
  if (assignment !== undefined && assignment.clusterName === '' && typeof name === 'string') assignment.clusterName = name;
}

function fieldValue(record: Record<string, unknown>, field: DescField): { set: boolean; value: unknown } {
  if (field.oneof !== undefined) {
    const oneof = record[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
    return oneof?.case === field.localName ? { set: true, value: oneof.value } : { set: false, value: undefined };
  }
  const value = record[field.localName];
  if (field.fieldKind === 'message') return { set: value !== undefined, value };
  return { set: true, value };
}

function validateField(
  field: DescField,
  set: boolean,
  value: unknown,
  rules: FieldRules,
  path: FieldPath,
  registry: LazyTypeRegistry,
  out: RuleViolation[],
): void {
  if (rules.message?.required === true && !set) {
    out.push({ path, message: 'value is required' });
    return;
  }
  if (field.fieldKind === 'list') {
    const list = value as unknown[];
    if (rules.type.case === 'repeated') {
      const r = rules.type.value;
      if (isSet(r, 'minItems') && BigInt(list.length) < r.minItems) out.push({ path, message: `must have at least ${r.minItems} item(s)` });
      if (isSet(r, 'maxItems') && BigInt(list.length) > r.maxItems) out.push({ path, message: `must have at most ${r.maxItems} item(s)` });
      if (r.unique && new Set(list.map((v) => (typeof v === 'object' ? JSON.stringify(v) : v))).size !== list.length) out.push({ path, message: 'items must be unique' });
    }
    const itemRules = rules.type.case === 'repeated' ? rules.type.value.items : undefined;
    list.forEach((item, i) => {
      const itemPath = path.index(i, labelOf(item));
      if (itemRules !== undefined) checkValue(itemRules.type, item, itemPath, out, field.listKind === 'enum' ? field.enum.values.map((v) => v.number) : undefined);
      if (field.listKind === 'message' && isMessage(item)) validateMessage(field.message, item, itemPath, registry, out);
    });
    return;
  }
  if (field.fieldKind === 'map') {
    const map = value as Record<string, unknown>;
    const keys = Object.keys(map);
    if (rules.type.case === 'map') {
      const r = rules.type.value;
      if (isSet(r, 'minPairs') && BigInt(keys.length) < r.minPairs) out.push({ path, message: `must have at least ${r.minPairs} entr(ies)` });
      if (isSet(r, 'maxPairs') && BigInt(keys.length) > r.maxPairs) out.push({ path, message: `must have at most ${r.maxPairs} entr(ies)` });
    }
    for (const k of keys) {
      const v = map[k];
      const entryPath = path.mapKey(k);
      if (rules.type.case === 'map') {
        if (rules.type.value.keys !== undefined) checkValue(rules.type.value.keys.type, k, entryPath, out, undefined);
        if (rules.type.value.values !== undefined) checkValue(rules.type.value.values.type, v, entryPath, out, undefined);
      }
      if (field.mapKind === 'message' && isMessage(v)) validateMessage(field.message, v, entryPath, registry, out);
    }
    return;
  }
  if (field.fieldKind === 'message') {
    if (!set) return;
    checkValue(rules.type, value, path, out, undefined);
    if (rules.message?.skip !== true && isMessage(value)) validateMessage(field.message, value, path, registry, out);
    return;
  }
  checkValue(rules.type, value, path, out, field.fieldKind === 'enum' ? field.enum.values.map((v) => v.number) : undefined);
}

function labelOf(item: unknown): string | undefined {
  if (isMessage(item)) {
    const name = (item as unknown as Record<string, unknown>)['name'];
    if (typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}

/** True when a proto2 field of a rules message is explicitly set. */
function isSet(rule: RuleMessage, localName: string): boolean {
  const desc = ruleDesc(rule);
  const field = desc?.fields.find((f) => f.localName === localName);
  if (desc === undefined || field === undefined) return false;
  return reflect(desc, rule).isSet(field);
}

function ruleDesc(rule: RuleMessage): DescMessage | undefined {
  for (const f of FieldRulesSchema.fields) {
    if (f.message?.typeName === rule.$typeName) return f.message;
  }
  return undefined;
}

function unwrap(value: unknown): unknown {
  // Wrapper messages (google.protobuf.UInt32Value, …) carry their rules on the inner value.
  if (isMessage(value) && typeof value.$typeName === 'string' && value.$typeName.startsWith('google.protobuf.') && value.$typeName.endsWith('Value')) {
    return (value as unknown as { value: unknown }).value;
  }
  return value;
}

function durationNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

function formatDuration(d: Duration): string {
  const nanos = durationNanos(d);
  return `${Number(nanos) / 1e9}s`;
}

function checkValue(rules: Rules, raw: unknown, path: FieldPath, out: RuleViolation[], enumNumbers: readonly number[] | undefined): void {
  if (rules.case === undefined) return;
  const value = unwrap(raw);
  switch (rules.case) {
    case 'string': {
      const r = rules.value;
      const s = typeof value === 'string' ? value : '';
      if (r.ignoreEmpty && s === '') return;
      const chars = [...s].length;
      const bytes = Buffer.byteLength(s);
      if (isSet(r, 'const') && s !== r.const) out.push({ path, message: `value must equal ${JSON.stringify(r.const)}` });
      if (isSet(r, 'len') && BigInt(chars) !== r.len) out.push({ path, message: `value length must be ${r.len} characters` });
      if (isSet(r, 'minLen') && BigInt(chars) < r.minLen) out.push({ path, message: s === '' ? 'value is required (must not be empty)' : `value length must be at least ${r.minLen} characters` });
      if (isSet(r, 'maxLen') && BigInt(chars) > r.maxLen) out.push({ path, message: `value length must be at most ${r.maxLen} characters` });
      if (isSet(r, 'minBytes') && BigInt(bytes) < r.minBytes) out.push({ path, message: s === '' ? 'value is required (must not be empty)' : `value must be at least ${r.minBytes} bytes` });
      if (isSet(r, 'maxBytes') && BigInt(bytes) > r.maxBytes) out.push({ path, message: `value must be at most ${r.maxBytes} bytes` });
      if (isSet(r, 'prefix') && !s.startsWith(r.prefix)) out.push({ path, message: `value must start with ${JSON.stringify(r.prefix)}` });
      if (isSet(r, 'suffix') && !s.endsWith(r.suffix)) out.push({ path, message: `value must end with ${JSON.stringify(r.suffix)}` });
      if (isSet(r, 'contains') && !s.includes(r.contains)) out.push({ path, message: `value must contain ${JSON.stringify(r.contains)}` });
      if (r.in.length > 0 && !r.in.includes(s)) out.push({ path, message: `value must be one of ${r.in.map((x) => JSON.stringify(x)).join(', ')}` });
      if (r.notIn.includes(s)) out.push({ path, message: `value must not be ${JSON.stringify(s)}` });
      if (isSet(r, 'pattern')) {
        let re = patternCache.get(r.pattern);
        if (re === undefined) {
          try {
            re = new RegExp(r.pattern, 'u');
          } catch {
            re = null;
          }
          patternCache.set(r.pattern, re);
        }
        if (re !== null && !re.test(s)) out.push({ path, message: `value does not match the pattern ${JSON.stringify(r.pattern)}` });
      }
      if (r.wellKnown.case === 'wellKnownRegex' && s !== '') {
        const strict = !isSet(r, 'strict') || r.strict;
        const re =
          r.wellKnown.value === KnownRegex.HTTP_HEADER_NAME ? HEADER_NAME : r.wellKnown.value === KnownRegex.HTTP_HEADER_VALUE ? (strict ? HEADER_VALUE_STRICT : HEADER_VALUE_LOOSE) : undefined;
        if (re !== undefined && !re.test(s)) out.push({ path, message: `value ${JSON.stringify(s)} is not a valid HTTP header ${r.wellKnown.value === KnownRegex.HTTP_HEADER_NAME ? 'name' : 'value'}` });
      }
      return;
    }
    case 'bytes': {
      const r = rules.value;
      const b = value instanceof Uint8Array ? value : new Uint8Array();
      if (isSet(r, 'minLen') && BigInt(b.length) < r.minLen) out.push({ path, message: `value must be at least ${r.minLen} bytes` });
      if (isSet(r, 'maxLen') && BigInt(b.length) > r.maxLen) out.push({ path, message: `value must be at most ${r.maxLen} bytes` });
      return;
    }
    case 'enum': {
      const r = rules.value;
      if (r.definedOnly && enumNumbers !== undefined && typeof value === 'number' && !enumNumbers.includes(value)) out.push({ path, message: `${value} is not a defined enum value` });
      if (r.in.length > 0 && typeof value === 'number' && !r.in.includes(value)) out.push({ path, message: `value must be one of ${r.in.join(', ')}` });
      if (typeof value === 'number' && r.notIn.includes(value)) out.push({ path, message: `value must not be ${value}` });
      return;
    }
    case 'duration': {
      const r = rules.value;
      if (r.required && value === undefined) {
        out.push({ path, message: 'value is required' });
        return;
      }
      if (!isMessage(value)) return;
      const n = durationNanos(value as unknown as Duration);
      const shown = formatDuration(value as unknown as Duration);
      if (r.const !== undefined && n !== durationNanos(r.const)) out.push({ path, message: `duration must equal ${formatDuration(r.const)}` });
      if (r.lt !== undefined && !(n < durationNanos(r.lt))) out.push({ path, message: `duration ${shown} must be less than ${formatDuration(r.lt)}` });
      if (r.lte !== undefined && !(n <= durationNanos(r.lte))) out.push({ path, message: `duration ${shown} must be at most ${formatDuration(r.lte)}` });
      if (r.gt !== undefined && !(n > durationNanos(r.gt))) out.push({ path, message: `duration ${shown} must be greater than ${formatDuration(r.gt)}` });
      if (r.gte !== undefined && !(n >= durationNanos(r.gte))) out.push({ path, message: `duration ${shown} must be at least ${formatDuration(r.gte)}` });
      return;
    }
    case 'any': {
      const r = rules.value;
      if (r.required && value === undefined) out.push({ path, message: 'value is required' });
      const typeUrl = isMessage(value) ? (value as unknown as Any).typeUrl : undefined;
      if (typeUrl !== undefined && r.in.length > 0 && !r.in.includes(typeUrl)) out.push({ path, message: `type ${typeUrl} is not allowed here` });
      return;
    }
    case 'timestamp':
    case 'repeated':
    case 'map':
    case 'bool':
      return;
    default: {
      if (value === undefined) return;
      checkNumber(rules.value as NumericRules, value, path, out);
    }
  }
}

interface NumericRules {
  readonly $typeName: string;
  readonly const?: number | bigint;
  readonly lt?: number | bigint;
  readonly lte?: number | bigint;
  readonly gt?: number | bigint;
  readonly gte?: number | bigint;
  readonly in: readonly (number | bigint)[];
  readonly notIn: readonly (number | bigint)[];
}

function checkNumber(r: NumericRules, raw: unknown, path: FieldPath, out: RuleViolation[]): void {
  if (typeof raw !== 'number' && typeof raw !== 'bigint') return;
  const rule = r as unknown as RuleMessage;
  const v = Number(raw);
  const has = (name: string): boolean => isSet(rule, name);
  const lt = has('lt') ? Number(r.lt) : undefined;
  const lte = has('lte') ? Number(r.lte) : undefined;
  const gt = has('gt') ? Number(r.gt) : undefined;
  const gte = has('gte') ? Number(r.gte) : undefined;
  if (has('const') && v !== Number(r.const)) out.push({ path, message: `value must equal ${String(r.const)}` });
  const upper = lt !== undefined ? v < lt : lte !== undefined ? v <= lte : true;
  const lower = gt !== undefined ? v > gt : gte !== undefined ? v >= gte : true;
  const exclusiveRange = (lt !== undefined || lte !== undefined) && (gt !== undefined || gte !== undefined) && (lt ?? lte ?? 0) < (gt ?? gte ?? 0);
  const ok = exclusiveRange ? upper || lower : upper && lower;
  if (!ok) {
    const parts: string[] = [];
    if (gt !== undefined) parts.push(`greater than ${gt}`);
    if (gte !== undefined) parts.push(`at least ${gte}`);
    if (lt !== undefined) parts.push(`less than ${lt}`);
    if (lte !== undefined) parts.push(`at most ${lte}`);
    out.push({ path, message: `value ${v} is out of range: must be ${parts.join(exclusiveRange ? ' or ' : ' and ')}` });
  }
  if (r.in.length > 0 && !r.in.some((x) => Number(x) === v)) out.push({ path, message: `value must be one of ${r.in.join(', ')}` });
  if (r.notIn.some((x) => Number(x) === v)) out.push({ path, message: `value must not be ${v}` });
}
