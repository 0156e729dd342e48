import { FieldPath } from '@orion/data-plane-api';

/**
 * Keys that exist only in Orion's Rust-native configuration schema, never in an Envoy bootstrap. A file using them
 * is refused with one error naming the first one.
 */
export const NATIVE_ONLY_KEYS: ReadonlySet<string> = new Set([
  'bootstrap',
  'terminal_filter',
  'with_tls_inspector',
  'route_specifier',
  'route_match',
  'cluster_specifier',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The first native-only key in document order (depth first), with its path, or undefined. */
export function findNativeKey(value: unknown, at: FieldPath = FieldPath.root): { readonly key: string; readonly path: FieldPath } | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const name = isRecord(item) && typeof item['name'] === 'string' ? item['name'] : undefined;
      const found = findNativeKey(item, at.index(i, name));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    // `typed_config` payloads belong to their extension's own schema.
    if (key === 'typed_config' || key === 'typedConfig' || key === 'metadata') continue;
    if (NATIVE_ONLY_KEYS.has(key)) return { key, path: at.field(key) };
    const found = findNativeKey(item, at.field(key));
    if (found !== undefined) return found;
  }
  return undefined;
}
