import type { Message } from '@bufbuild/protobuf';
import { anyUnpack, type Any } from '@bufbuild/protobuf/wkt';
import { effectiveTypeName } from '../support/effective-type.js';
import type { ConversionContext } from './conversion-context.js';

/** An unpacked `typed_config`: the extension type's name and its message. */
export interface UnpackedExtension {
  readonly typeName: string;
  readonly message: Message | undefined;
}

/** Unpacks a `typed_config` with the registry (the message is undefined for types Orion does not know). */
export function unpackExtension(any: Any | undefined, ctx: ConversionContext): UnpackedExtension {
  if (any === undefined || any.typeUrl === '') return { typeName: '', message: undefined };
  const message = ctx.registry.getMessage(any.typeUrl) === undefined ? undefined : anyUnpack(any, ctx.registry.registry);
  return { typeName: effectiveTypeName(any, message), message };
}
