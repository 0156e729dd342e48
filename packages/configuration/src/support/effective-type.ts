import type { Message } from '@bufbuild/protobuf';
import { typeNameFromUrl } from '@orion/data-plane-api';
import type { Any } from '@bufbuild/protobuf/wkt';

/** The wrapper messages whose `type_url` names the real extension type (Istio uses them for filters it configures). */
export const TYPED_STRUCT_TYPES: ReadonlySet<string> = new Set(['udpa.type.v1.TypedStruct', 'xds.type.v3.TypedStruct']);

/**
 * The extension type an `Any` carries: its type name, or for a `TypedStruct` the type its `type_url` names.
 * Returns `""` for an empty `Any`.
 */
export function effectiveTypeName(any: Any, unpacked: Message | undefined): string {
  const outer = typeNameFromUrl(any.typeUrl);
  if (TYPED_STRUCT_TYPES.has(outer) && unpacked !== undefined) {
    const inner = (unpacked as unknown as { typeUrl?: unknown }).typeUrl;
    if (typeof inner === 'string' && inner !== '') return typeNameFromUrl(inner);
  }
  return outer;
}
