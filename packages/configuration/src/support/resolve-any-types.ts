import { fromJson, toBinary, type DescMessage, type JsonValue, type Message } from '@bufbuild/protobuf';
import { anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import type { FieldPath, LazyTypeRegistry } from '@orion/data-plane-api';
import { TYPED_STRUCT_TYPES } from './effective-type.js';
import { EXTENSION_POINTS } from './support-table.js';

const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(EXTENSION_POINTS).flatMap((p) => p.supported));

/** A `TypedStruct` naming an implemented extension whose value does not decode as that extension. */
export interface AnyProblem {
  readonly path: FieldPath;
  readonly message: string;
}

function typeName(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}

/**
 * Prepares a message decoded from binary (an xDS resource) for the checks and converters: loads the type of every
 * `Any` inside it, depth first, and rewrites each `TypedStruct` that names an extension Orion implements into
 * that extension's own `Any` (as the JSON path does). Mutates `message`.
 */
export async function resolveAnyTypes(desc: DescMessage, message: Message, at: FieldPath, registry: LazyTypeRegistry): Promise<AnyProblem[]> {
  const problems: AnyProblem[] = [];
  await resolve(desc, message, at, registry, problems);
  return problems;
}

/** Resolves the `Any`s under `message`; true when one of them was rewritten (the caller then re-packs). */
async function resolve(desc: DescMessage, message: Message, at: FieldPath, registry: LazyTypeRegistry, problems: AnyProblem[]): Promise<boolean> {
  const anys: { readonly any: Any; readonly path: FieldPath }[] = [];
  collectAnys(desc, message, at, anys);
  if (anys.length === 0) return false;
  await registry.load(anys.map((a) => a.any.typeUrl));
  let changed = false;
  for (const { any, path } of anys) {
    if (TYPED_STRUCT_TYPES.has(typeName(any.typeUrl))) {
      const inner = (anyUnpack(any, registry.registry) as unknown as { typeUrl?: string } | undefined)?.typeUrl;
      if (inner !== undefined) await registry.load([inner]);
      changed = rewriteTypedStruct(any, path, registry, problems) || changed;
    }
    const d = registry.getMessage(any.typeUrl);
    const unpacked = d === undefined || d.typeName.startsWith('google.protobuf.') ? undefined : anyUnpack(any, registry.registry);
    if (d !== undefined && unpacked !== undefined && (await resolve(d, unpacked, path, registry, problems))) {
      any.value = toBinary(d, unpacked);
      changed = true;
    }
  }
  return changed;
}

function rewriteTypedStruct(any: Any, path: FieldPath, registry: LazyTypeRegistry, problems: AnyProblem[]): boolean {
  const struct = anyUnpack(any, registry.registry) as unknown as { typeUrl?: string; value?: JsonValue } | undefined;
  const url = struct?.typeUrl ?? '';
  const desc = registry.getMessage(url);
  if (desc === undefined || !SUPPORTED_EXTENSIONS.has(desc.typeName)) return false;
  try {
    const inner = fromJson(desc, struct?.value ?? {}, { registry: registry.registry });
    any.typeUrl = `type.googleapis.com/${desc.typeName}`;
    any.value = toBinary(desc, inner);
    return true;
  } catch (err) {
    problems.push({ path, message: `TypedStruct value is not a valid ${desc.typeName}: ${err instanceof Error ? err.message : String(err)}` });
    return false;
  }
}

function collectAnys(desc: DescMessage, message: Message, path: FieldPath, out: { readonly any: Any; readonly path: FieldPath }[]): void {
  const record = message as unknown as Record<string, unknown>;
  for (const field of desc.fields) {
    let value: unknown;
    if (field.oneof !== undefined) {
      const oneof = record[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      if (oneof?.case !== field.localName) continue;
      value = oneof.value;
    } else {
      value = record[field.localName];
    }
    if (value === undefined) continue;
    const at = path.field(field.name);
    const visit = (d: DescMessage, v: Message, p: FieldPath): void => {
      if (d.typeName === 'google.protobuf.Any') out.push({ any: v as Any, path: p });
      else if (!d.typeName.startsWith('google.protobuf.')) collectAnys(d, v, p, out);
    };
    if (field.fieldKind === 'message') visit(field.message, value as Message, at);
    else if (field.fieldKind === 'list' && field.listKind === 'message') (value as Message[]).forEach((v, i) => visit(field.message, v, at.index(i)));
    else if (field.fieldKind === 'map' && field.mapKind === 'message') for (const [k, v] of Object.entries(value as Record<string, Message>)) visit(field.message, v, at.mapKey(k));
  }
}
