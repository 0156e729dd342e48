/**
 * Allocation-free IP address parsing for the connection hot path. A parsed address is written into a caller-owned
 * `Uint32Array(4)`: an IPv4 address fills `words[0]`, an IPv6 address fills all four words (most significant
 * first). IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, what Node reports for IPv4 peers of a dual-stack
 * listener) are returned as IPv4.
 */

/** The family of a parsed address: 4, 6, or 0 when the text is not an IP address. */
export type IpFamily = 0 | 4 | 6;

const groups = new Uint16Array(8);

/** Parses dotted-quad `text[start, end)` into a uint32; returns -1 when it is not one. */
function parseV4(text: string, start: number, end: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // A leading zero followed by more digits is ambiguous (octal in some parsers): reject it like Node does.
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 `text[start, end)` into {@link groups}; returns false when it is not an IPv6 address. */
function parseV6(text: string, start: number, end: number): boolean {
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start < 2) return false;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === end) {
      groups.fill(0);
      return true;
    }
  }
  while (i < end) {
    if (count === 8) return false;
    const groupStart = i;
    let value = 0;
    let digits = 0;
    while (i < end) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      digits++;
      i++;
    }
    if (i < end && text.charCodeAt(i) === 46) {
      // Embedded IPv4 in the last 32 bits.
      if (count > 6) return false;
      const v4 = parseV4(text, groupStart, end);
      if (v4 < 0) return false;
      groups[count++] = Math.floor(v4 / 65536);
      groups[count++] = v4 % 65536;
      break;
    }
    if (digits === 0 || digits > 4) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0) return count === 8;
  if (count === 8) return false;
  const tail = count - gap;
  const shift = 8 - count;
  for (let k = tail - 1; k >= 0; k--) groups[gap + shift + k] = groups[gap + k] as number;
  for (let k = gap; k < gap + shift; k++) groups[k] = 0;
  return true;
}

/**
 * Parses an IP address (IPv4 dotted quad or IPv6, with an optional `%zone`) into `out` without allocating.
 * IPv4-mapped IPv6 addresses come back as family 4.
 */
export function parseIp(text: string, out: Uint32Array): IpFamily {
  let end = text.length;
  const percent = text.indexOf('%');
  if (percent >= 0) end = percent;
  if (text.indexOf(':') < 0) {
    const v4 = parseV4(text, 0, end);
    if (v4 < 0) return 0;
    out[0] = v4;
    return 4;
  }
  if (!parseV6(text, 0, end)) return 0;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    out[0] = ((groups[6] as number) * 65536 + (groups[7] as number)) >>> 0;
    return 4;
  }
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w] as number) * 65536 + (groups[2 * w + 1] as number)) >>> 0;
  return 6;
}

/** True for 127.0.0.0/8 and ::1 (the loopback ranges). `words` as filled by {@link parseIp}. */
export function isLoopback(family: IpFamily, words: Uint32Array): boolean {
  if (family === 4) return (words[0] as number) >>> 24 === 127;
  if (family === 6) return words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 1;
  return false;
}
