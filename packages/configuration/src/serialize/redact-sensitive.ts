import { hasOption, ScalarType, type DescField, type DescMessage, type Message, type Registry } from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import { anyPack, anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import { sensitive } from '@orion/data-plane-api/gen/udpa/annotations/sensitive_pb.js';
import { lazyAnyContent } from './lazy-any.js';
import { reachTest } from './type-reach.js';

/** What Envoy prints in place of a sensitive value. */
export const REDACTED = '[redacted]';

const REDACTED_BYTES = new TextEncoder().encode(REDACTED);
const DATA_SOURCE = 'envoy.config.core.v3.DataSource';
const ANY = 'google.protobuf.Any';

/**
 * Redacts, in place, every field of `message` marked `udpa.annotations.sensitive`, looking inside `Any`s (those
 * made by `packLazy` directly, others unpacked with `registry`, redacted and packed again), as Envoy's admin does
 * before printing a configuration:
 * - a sensitive `envoy.config.core.v3.DataSource` keeps a `filename` and becomes `inline_string: "[redacted]"`
 *   otherwise (Envoy's secrets dump);
 * - a sensitive string or bytes field becomes `"[redacted]"` (bytes: its UTF-8), a sensitive message has all its
 *   strings redacted, any other sensitive scalar is cleared (`MessageUtil::redact`).
 */
export function redactSensitive(desc: DescMessage, message: Message, registry: Registry): void {
  redactMessage(reflect(desc, message), false, registry);
}

/** Whether a sensitive field or an `Any` can be reached from a message type (else its fields are skipped). */
const mayHoldSensitive = reachTest((desc) => desc.typeName === ANY || desc.fields.some((f) => hasOption(f, sensitive)));

function redactMessage(msg: ReflectMessage, ancestorSensitive: boolean, registry: Registry): void {
  if (msg.desc.typeName === ANY) {
    redactAny(msg.message as Any, ancestorSensitive, registry);
    return;
  }
  if (!ancestorSensitive && !mayHoldSensitive(msg.desc)) return;
  for (const field of msg.fields) {
    if (!msg.isSet(field)) continue;
    const isSensitive = ancestorSensitive || hasOption(field, sensitive);
    redactField(msg, field, isSensitive, registry);
  }
}

function redactAny(any: Any, ancestorSensitive: boolean, registry: Registry): void {
  const lazy = lazyAnyContent(any);
  if (lazy !== undefined) {
    redactMessage(reflect(lazy.desc, lazy.message), ancestorSensitive, registry);
    return;
  }
  const desc = registry.getMessage(any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1));
  if (desc === undefined || (!ancestorSensitive && !mayHoldSensitive(desc))) return;
  const inner = anyUnpack(any, desc);
  if (inner === undefined) return;
  redactMessage(reflect(desc, inner), ancestorSensitive, registry);
  anyPack(desc, inner, any);
}

function redactField(msg: ReflectMessage, field: DescField, isSensitive: boolean, registry: Registry): void {
  switch (field.fieldKind) {
    case 'message': {
      const value = msg.get(field);
      if (isSensitive && field.message.typeName === DATA_SOURCE) {
        redactDataSource(value);
        return;
      }
      redactMessage(value, isSensitive, registry);
      return;
    }
    case 'list': {
      const list = msg.get(field);
      if (field.listKind === 'message') {
        for (const item of list) {
          if (isSensitive && field.message.typeName === DATA_SOURCE) redactDataSource(item as ReflectMessage);
          else redactMessage(item as ReflectMessage, isSensitive, registry);
        }
      } else if (isSensitive) {
        if (field.listKind === 'scalar' && (field.scalar === ScalarType.STRING || field.scalar === ScalarType.BYTES)) {
          for (let i = 0; i < list.size; i++) list.set(i, field.scalar === ScalarType.STRING ? REDACTED : REDACTED_BYTES);
        } else {
          msg.clear(field);
        }
      }
      return;
    }
    case 'map': {
      // Values only: redacting keys would collapse the map onto one key.
      const map = msg.get(field);
      for (const [key, value] of map) {
        if (field.mapKind === 'message') redactMessage(value as ReflectMessage, isSensitive, registry);
        else if (isSensitive && field.mapKind === 'scalar' && field.scalar === ScalarType.STRING) map.set(key, REDACTED);
        else if (isSensitive && field.mapKind === 'scalar' && field.scalar === ScalarType.BYTES) map.set(key, REDACTED_BYTES);
        else if (isSensitive) map.delete(key);
      }
      return;
    }
    default:
      if (!isSensitive) return;
      if (field.fieldKind === 'scalar' && field.scalar === ScalarType.STRING) msg.set(field, REDACTED);
      else if (field.fieldKind === 'scalar' && field.scalar === ScalarType.BYTES) msg.set(field, REDACTED_BYTES);
      else msg.clear(field);
  }
}

/** A `DataSource` naming a file keeps it; anything else (inline string or bytes, environment variable) is replaced. */
function redactDataSource(source: ReflectMessage): void {
  const filename = source.desc.field['filename'];
  if (filename !== undefined && source.isSet(filename)) return;
  const inline = source.desc.field['inlineString'];
  if (inline !== undefined) source.set(inline, REDACTED);
}
