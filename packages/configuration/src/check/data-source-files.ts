import { accessSync, constants } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { DescMessage, Message } from '@bufbuild/protobuf';
import { anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import type { FieldPath, LazyTypeRegistry } from '@orion/data-plane-api';

/** A data source that names something absent. */
export interface MissingDataSource {
  readonly path: FieldPath;
  readonly message: string;
}

/** Options for {@link findMissingDataSources}. */
export interface FindMissingDataSourcesOptions {
  readonly registry: LazyTypeRegistry;
  /** Relative file names are resolved against this directory (Envoy: the working directory). */
  readonly baseDirectory: string;
  /** The environment `environment_variable` sources read. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Finds every `envoy.config.core.v3.DataSource` in a message tree (inside `typed_config`s too, even ones that are
 * not implemented) whose `filename` cannot be read or whose `environment_variable` is unset, as Envoy does when
 * it loads them at startup.
 */
export function findMissingDataSources(desc: DescMessage, message: Message, path: FieldPath, options: FindMissingDataSourcesOptions): MissingDataSource[] {
  const out: MissingDataSource[] = [];
  walk(desc, message, path, options, out);
  return out;
}

function walk(desc: DescMessage, message: Message, path: FieldPath, options: FindMissingDataSourcesOptions, out: MissingDataSource[]): void {
  if (desc.typeName === 'google.protobuf.Any') {
    const any = message as Any;
    const inner = any.typeUrl === '' ? undefined : options.registry.getMessage(any.typeUrl);
    const unpacked = inner === undefined ? undefined : anyUnpack(any, options.registry.registry);
    if (inner !== undefined && unpacked !== undefined) walk(inner, unpacked, path, options, out);
    return;
  }
  if (desc.typeName.startsWith('google.protobuf.')) return;
  const record = message as unknown as Record<string, unknown>;
  if (desc.typeName === 'envoy.config.core.v3.DataSource') {
    const specifier = record['specifier'] as { case?: string; value?: unknown } | undefined;
    if (specifier?.case === 'filename' && typeof specifier.value === 'string') {
      const file = isAbsolute(specifier.value) ? specifier.value : resolve(options.baseDirectory, specifier.value);
      try {
        accessSync(file, constants.R_OK);
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
        out.push({ path: path.field('filename'), message: `file ${JSON.stringify(specifier.value)} ${reason}` });
      }
    } else if (specifier?.case === 'environmentVariable' && typeof specifier.value === 'string' && options.env[specifier.value] === undefined) {
      out.push({ path: path.field('environment_variable'), message: `environment variable ${specifier.value} is not set` });
    }
    return;
  }
  for (const field of desc.fields) {
    let value: unknown;
    if (field.oneof !== undefined) {
      const oneof = record[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      if (oneof?.case !== field.localName) continue;
      value = oneof.value;
    } else {
      value = record[field.localName];
    }
    const at = path.field(field.name);
    if (field.fieldKind === 'message' && value !== undefined) walk(field.message, value as Message, at, options, out);
    else if (field.fieldKind === 'list' && field.listKind === 'message') {
      (value as Message[]).forEach((item, i) => walk(field.message, item, at.index(i, labelOf(item)), options, out));
    } else if (field.fieldKind === 'map' && field.mapKind === 'message') {
      for (const [k, v] of Object.entries(value as Record<string, Message>)) walk(field.message, v, at.mapKey(k), options, out);
    }
  }
}

function labelOf(item: Message): string | undefined {
  const name = (item as unknown as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
