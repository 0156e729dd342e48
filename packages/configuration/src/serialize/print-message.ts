import { toJson, type DescField, type DescMessage, type JsonObject, type JsonValue, type Message, type Registry } from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import { lazyAnyContent } from './lazy-any.js';
import { reachTest } from './type-reach.js';

const ANY = 'google.protobuf.Any';
const WKT_PREFIX = 'google.protobuf.';

/** Whether an `Any` can be reached from a message type (else its JSON is final as protobuf-es prints it). */
const mayHoldAny = reachTest((desc) => desc.typeName === ANY);

/** Fields by their proto (snake_case) name, per message type. */
const fieldsByName = new WeakMap<DescMessage, ReadonlyMap<string, DescField>>();

function fieldNamed(desc: DescMessage, name: string): DescField | undefined {
  let fields = fieldsByName.get(desc);
  if (fields === undefined) {
    fields = new Map(desc.fields.map((f) => [f.name, f]));
    fieldsByName.set(desc, fields);
  }
  return fields.get(name);
}

/**
 * `message` in proto3 JSON as Envoy's printer writes it: original field names, fields in field-number order,
 * defaults left out, and every `Any` with `@type` first followed by its message's fields. An `Any` made by
 * `packLazy` prints the message it stands for; another is unpacked with `registry`.
 */
export function printMessage(desc: DescMessage, message: Message, registry: Registry): JsonObject {
  const json = toJson(desc, message, { useProtoFieldName: true, registry }) as JsonObject;
  return expand(desc, message, json, registry);
}

/** A well-known type other than `Any`: printed in its special form, nothing to expand. */
function isPlainWkt(desc: DescMessage): boolean {
  return desc.typeName !== ANY && desc.typeName.startsWith(WKT_PREFIX);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expand(desc: DescMessage, message: Message, json: JsonObject, registry: Registry): JsonObject {
  if (desc.typeName === ANY) return expandAny(message as Any, json, registry);
  if (!mayHoldAny(desc)) return json;
  const reflected = reflect(desc, message);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    const field = fieldNamed(desc, key);
    out[key] = field === undefined ? value : expandField(reflected, field, value, registry);
  }
  return out;
}

function expandAny(any: Any, json: JsonObject, registry: Registry): JsonObject {
  const lazy = lazyAnyContent(any);
  if (lazy !== undefined) {
    if (lazy.desc.typeName.startsWith(WKT_PREFIX)) return { '@type': any.typeUrl, value: toJson(lazy.desc, lazy.message, { registry }) };
    return { '@type': any.typeUrl, ...printMessage(lazy.desc, lazy.message, registry) };
  }
  const { ['@type']: typeUrl, ...fields } = json;
  if (typeof typeUrl !== 'string') return json;
  const desc = registry.getMessage(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
  const inner = desc === undefined ? undefined : anyUnpack(any, desc);
  if (desc === undefined || inner === undefined || isPlainWkt(desc)) return { '@type': typeUrl, ...fields };
  return { '@type': typeUrl, ...expand(desc, inner, fields, registry) };
}

function expandField(message: ReflectMessage, field: DescField, value: JsonValue, registry: Registry): JsonValue {
  switch (field.fieldKind) {
    case 'message': {
      if (!isObject(value) || isPlainWkt(field.message) || !mayHoldAny(field.message)) return value;
      const child = message.get(field);
      return expand(field.message, child.message, value, registry);
    }
    case 'list': {
      if (field.listKind !== 'message' || !Array.isArray(value) || isPlainWkt(field.message) || !mayHoldAny(field.message)) return value;
      const list = message.get(field);
      return (value as readonly JsonValue[]).map((item, i) => {
        const child = list.get(i) as ReflectMessage | undefined;
        return isObject(item) && child !== undefined ? expand(field.message, child.message, item, registry) : item;
      });
    }
    case 'map': {
      if (field.mapKind !== 'message' || !isObject(value) || isPlainWkt(field.message) || !mayHoldAny(field.message)) return value;
      const out: JsonObject = {};
      for (const [key, child] of message.get(field)) {
        const item = value[String(key)];
        if (item !== undefined) out[String(key)] = isObject(item) ? expand(field.message, (child as ReflectMessage).message, item, registry) : item;
      }
      return out;
    }
    default:
      return value;
  }
}
