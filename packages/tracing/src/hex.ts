// Hexadecimal helpers shared by the codecs and the id generator. Everything here works on char codes
// so that parsing a header allocates nothing until a value is known to be valid.

/** `HEX_BYTE[b]` is the two lower-case hex digits of the byte `b`. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const ZERO_16 = '0000000000000000';

/** The value of one hex digit, or -1. `lowerOnly` rejects `A`-`F`. */
export function hexDigit(code: number, lowerOnly: boolean): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (!lowerOnly && code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Checks `s[start, end)` for hex digits. Returns 0 when some digit is not hex, 1 when all are hex and
 * lower case, 2 when all are hex and at least one is upper case (the caller lower-cases it), 3 when
 * the range is all zeros (invalid as an id in every format here).
 */
export function scanHex(s: string, start: number, end: number, lowerOnly: boolean): 0 | 1 | 2 | 3 {
  let upper = false;
  let nonZero = false;
  for (let i = start; i < end; i++) {
    const code = s.charCodeAt(i);
    if (code === 48) continue;
    nonZero = true;
    if ((code >= 49 && code <= 57) || (code >= 97 && code <= 102)) continue;
    if (!lowerOnly && code >= 65 && code <= 70) {
      upper = true;
      continue;
    }
    return 0;
  }
  if (!nonZero) return 3;
  return upper ? 2 : 1;
}

/**
 * Reads `s[start, end)` as an id of `width` lower-case hex digits, left-padding shorter input with
 * zeros. Returns undefined unless the range is 1..width hex digits and not all zeros; upper-case
 * digits are accepted (and lower-cased) unless `lowerOnly`.
 */
export function readHexId(s: string, start: number, end: number, width: 16 | 32, lowerOnly: boolean): string | undefined {
  const length = end - start;
  if (length < 1 || length > width) return undefined;
  const scan = scanHex(s, start, end, lowerOnly);
  if (scan === 0 || scan === 3) return undefined;
  let id = start === 0 && end === s.length ? s : s.slice(start, end);
  if (scan === 2) id = id.toLowerCase();
  return length === width ? id : padHex(id, width);
}

/** Left-pads a hex string with zeros to `width` (16 or 32) characters. */
export function padHex(id: string, width: 16 | 32): string {
  const missing = width - id.length;
  if (missing <= 0) return id;
  return missing <= 16 ? ZERO_16.slice(0, missing) + id : ZERO_16 + ZERO_16.slice(0, missing - 16) + id;
}
