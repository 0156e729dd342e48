import type { DescField, DescMessage, JsonObject, JsonValue, Registry } from '@bufbuild/protobuf';

const ANY = 'google.protobuf.Any';

/**
 * Puts `@type` first in every `Any` of `json` (the proto3 JSON of a `desc` message), where Envoy's printer puts it;
 * protobuf-es appends it after the fields. Guided by the schema, so `Struct` values are left as they are.
 */
export function hoistTypeUrls(desc: DescMessage, json: JsonObject, registry: Registry): JsonObject {
  if (desc.typeName === ANY) return hoistAny(json, registry);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(json)) {
    const field = desc.fields.find((f) => f.name === key);
    out[key] = field === undefined ? value : hoistField(field, value, registry);
  }
  return out;
}

function hoistAny(json: JsonObject, registry: Registry): JsonObject {
  const typeUrl = json['@type'];
  if (typeof typeUrl !== 'string') return json;
  const inner = registry.getMessage(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
  const { ['@type']: _type, ...fields } = json;
  return { '@type': typeUrl, ...(inner === undefined || 'value' in fields ? fields : hoistTypeUrls(inner, fields, registry)) };
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hoistField(field: DescField, value: JsonValue, registry: Registry): JsonValue {
  switch (field.fieldKind) {
    case 'message':
      return isObject(value) ? hoistTypeUrls(field.message, value, registry) : value;
    case 'list':
      if (field.listKind !== 'message' || !Array.isArray(value)) return value;
      return value.map((item) => (isObject(item) ? hoistTypeUrls(field.message, item, registry) : item));
    case 'map': {
      if (field.mapKind !== 'message' || !isObject(value)) return value;
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = isObject(v) ? hoistTypeUrls(field.message, v, registry) : v;
      return out;
    }
    default:
      return value;
  }
}
