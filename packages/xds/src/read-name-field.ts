import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * Reads the last occurrence of string field `fieldNo` of an encoded message without decoding the rest:
 * cheap enough to name every resource of a large SotW response before decoding any of them.
 * Returns '' when the field is absent (proto3 default).
 */
export function readNameField(bytes: Uint8Array, fieldNo: number): string {
  const reader = new BinaryReader(bytes);
  let name = '';
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (no === fieldNo && wireType === WireType.LengthDelimited) name = reader.string();
    else reader.skip(wireType, no);
  }
  return name;
}
