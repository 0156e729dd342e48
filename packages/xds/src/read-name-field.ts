import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * Reads the last occurrence of string field `fieldNo` of an encoded message without decoding the rest:
 * cheap enough to name every resource of a large SotW response before decoding any of them.
 * Returns '' when the field is absent (proto3 default). Bytes that break after the name still yield the
 * name, so the decode failure that follows is reported against the right resource; bytes that break
 * before it throw.
 */
export function readNameField(bytes: Uint8Array, fieldNo: number): string {
  const reader = new BinaryReader(bytes);
  let name = '';
  try {
    while (reader.pos < reader.len) {
      const [no, wireType] = reader.tag();
      if (no === fieldNo && wireType === WireType.LengthDelimited) name = reader.string();
      else reader.skip(wireType, no);
    }
  } catch (err) {
    if (name === '') throw err;
  }
  return name;
}
