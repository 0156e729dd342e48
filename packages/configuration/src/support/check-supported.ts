import type { DescField, DescMessage, Message } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import type { FieldPath, LazyTypeRegistry } from '@orion/data-plane-api';
import { effectiveTypeName } from './effective-type.js';
import type { ExtensionPoint, MessageSupport } from './message-support.js';
import { EXTENSION_POINTS, SUPPORTED_FIELDS } from './support-table.js';

/** What the support check found at one path. */
export interface SupportFinding {
  /** `rejected`: an error; `ignored`: accepted without effect (debug); `skipped`: an optional or disabled extension left out (warning). */
  readonly kind: 'rejected' | 'ignored' | 'skipped';
  readonly path: FieldPath;
  readonly message: string;
}

/** Options for {@link checkSupported}. */
export interface CheckSupportedOptions {
  /** Resolves `typed_config` types. */
  readonly registry: LazyTypeRegistry;
  /** The table of supported fields. Default: Orion's. */
  readonly fields?: Readonly<Record<string, MessageSupport>>;
  /** The table of extension points. Default: Orion's. */
  readonly extensions?: Readonly<Record<string, ExtensionPoint>>;
}

/**
 * Walks a decoded Envoy message against the table of supported fields and extension points, reporting every field
 * that is set to a non-default value but not implemented (`<path>: <message>.<field> is not implemented`), every
 * unimplemented extension (`<path>: HTTP filter <type> is not implemented`) and every ignored field.
 * Descriptor-driven: one walk for every message type, no per-field code.
 */
export function checkSupported(desc: DescMessage, message: Message, path: FieldPath, options: CheckSupportedOptions): SupportFinding[] {
  const out: SupportFinding[] = [];
  const walker = new SupportWalker(options.registry, options.fields ?? SUPPORTED_FIELDS, options.extensions ?? EXTENSION_POINTS, out);
  walker.message(desc, message, path);
  return out;
}

function label(item: unknown): string | undefined {
  const name = (item as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

class SupportWalker {
  constructor(
    private readonly registry: LazyTypeRegistry,
    private readonly fields: Readonly<Record<string, MessageSupport>>,
    private readonly extensions: Readonly<Record<string, ExtensionPoint>>,
    private readonly out: SupportFinding[],
  ) {}

  message(desc: DescMessage, message: Message, path: FieldPath): void {
    if (desc.typeName.startsWith('google.protobuf.')) return;
    const support = this.fields[desc.typeName];
    if (support === undefined) {
      this.out.push({ kind: 'rejected', path, message: `${desc.typeName} is not implemented` });
      return;
    }
    const r = reflect(desc, message);
    for (const field of desc.fields) {
      if (!r.isSet(field)) continue;
      const value = fieldValue(message, field);
      if (countsAsUnset(support, field, value)) continue;
      const fieldPath = path.field(field.name);
      if (support.ignored?.includes(field.name) === true) {
        this.out.push({ kind: 'ignored', path: fieldPath, message: `${desc.typeName}.${field.name} is ignored (no effect on traffic)` });
        continue;
      }
      if (!support.supported.includes(field.name)) {
        this.out.push({ kind: 'rejected', path: fieldPath, message: `${desc.typeName}.${field.name} is not implemented` });
        continue;
      }
      const extension = this.extensions[`${desc.typeName}.${field.name}`];
      this.field(field, value, fieldPath, path, message, extension);
    }
  }

  private field(field: DescField, value: unknown, fieldPath: FieldPath, ownerPath: FieldPath, owner: Message, extension: ExtensionPoint | undefined): void {
    switch (field.fieldKind) {
      case 'message':
        if (extension !== undefined) this.extension(extension, value as Any, ownerPath, fieldPath, owner);
        else this.message(field.message, value as Message, fieldPath);
        return;
      case 'list':
        if (field.listKind !== 'message') return;
        (value as Message[]).forEach((item, i) => this.message(field.message, item, fieldPath.index(i, label(item))));
        return;
      case 'map':
        if (field.mapKind !== 'message') return;
        for (const [key, item] of Object.entries(value as Record<string, Message>)) {
          const entryPath = fieldPath.mapKey(key);
          if (extension !== undefined) this.extension(extension, item as Any, entryPath, entryPath, undefined);
          else this.message(field.message, item, entryPath);
        }
        return;
      case 'scalar':
      case 'enum':
        return;
    }
  }

  /** `reportPath`: where an unimplemented type is reported (the filter element); `valuePath`: where its fields are. */
  private extension(point: ExtensionPoint, any: Any, reportPath: FieldPath, valuePath: FieldPath, owner: Message | undefined): void {
    const flag = (name: string | undefined): boolean => name !== undefined && owner !== undefined && (owner as unknown as Record<string, unknown>)[toLocalName(name)] === true;
    const inner = this.registry.getMessage(any.typeUrl);
    const unpacked = inner === undefined ? undefined : anyUnpack(any, this.registry.registry);
    const typeName = effectiveTypeName(any, unpacked);
    if (flag(point.disabledFlag)) {
      this.out.push({ kind: 'skipped', path: reportPath, message: `${point.kind} ${typeName} is disabled and left out` });
      return;
    }
    if (point.ignored?.includes(typeName) === true) {
      this.out.push({ kind: 'ignored', path: reportPath, message: `${point.kind} ${typeName} is ignored (no effect on traffic)` });
      return;
    }
    if (!point.supported.includes(typeName) || inner === undefined || unpacked === undefined || inner.typeName !== typeName) {
      if (flag(point.optionalFlag)) {
        this.out.push({ kind: 'skipped', path: reportPath, message: `optional ${point.kind} ${typeName} is not implemented and left out` });
      } else {
        this.out.push({ kind: 'rejected', path: reportPath, message: `${point.kind} ${typeName === '' ? '(no typed_config)' : typeName} is not implemented` });
      }
      return;
    }
    this.message(inner, unpacked, valuePath);
  }
}

function toLocalName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The value of a set field (a oneof member's value, or the field's own). */
function fieldValue(message: Message, field: DescField): unknown {
  const record = message as unknown as Record<string, unknown>;
  if (field.oneof !== undefined) return (record[field.oneof.localName] as { value?: unknown } | undefined)?.value;
  return record[field.localName];
}

function countsAsUnset(support: MessageSupport, field: DescField, value: unknown): boolean {
  const unset = support.unsetWhen?.[field.name];
  if (unset === undefined) return false;
  const raw = typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value;
  return raw === unset;
}
