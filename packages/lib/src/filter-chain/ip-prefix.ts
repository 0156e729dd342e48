import type { CidrRange } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../error-codes.js';
import { parseIp, type IpFamily } from './ip-address.js';

/**
 * A compiled CIDR range. Envoy: `envoy.config.core.v3.CidrRange`. Bits past `length` are cleared, so two ranges
 * naming the same network compare equal by {@link IpPrefix.key}.
 */
export interface IpPrefix {
  /** 4 or 6. */
  readonly family: 4 | 6;
  /** Prefix length in bits (0–32 or 0–128). */
  readonly length: number;
  /** The network, masked, as in {@link parseIp}. */
  readonly words: Uint32Array;
  /** Canonical text, e.g. `10.0.0.0/8`, for de-duplication and messages. */
  readonly key: string;
}

const scratch = new Uint32Array(4);

function maskWord(word: number, bits: number): number {
  if (bits >= 32) return word >>> 0;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

/**
 * Compiles a model `CidrRange`. IPv4-mapped IPv6 prefixes (`::ffff:10.0.0.0/104`) become IPv4 prefixes
 * (`10.0.0.0/8`), matching how {@link parseIp} reports mapped addresses. Throws `ORION_ERR_LIB_FILTER_CHAIN_INVALID`
 * for an address that is not an IP literal or a length out of range.
 */
export function compileIpPrefix(range: CidrRange): IpPrefix {
  const text = range.addressPrefix;
  const family: IpFamily = parseIp(text, scratch);
  let length = range.prefixLen;
  if (family === 4 && text.includes(':')) {
    // A mapped prefix: its length counts the 96 bits of the ::ffff: part.
    length = Math.max(0, length - 96);
  }
  if (family === 0) {
    throw new OrionError(LibErrorCode.FILTER_CHAIN_INVALID, `prefix ${JSON.stringify(text)} is not an IP address`);
  }
  const max = family === 4 ? 32 : 128;
  if (!Number.isInteger(length) || length < 0 || length > max) {
    throw new OrionError(LibErrorCode.FILTER_CHAIN_INVALID, `prefix length ${range.prefixLen} of ${text} is out of range`);
  }
  const words = new Uint32Array(4);
  const count = family === 4 ? 1 : 4;
  for (let w = 0; w < count; w++) words[w] = maskWord(scratch[w] as number, length - 32 * w);
  return { family, length, words, key: `${prefixText(family, words)}/${length}` };
}

/** The whole IPv4 space (`0.0.0.0/0`). */
export const ANY_IPV4: IpPrefix = { family: 4, length: 0, words: new Uint32Array(4), key: '0.0.0.0/0' };
/** The whole IPv6 space (`::/0`). */
export const ANY_IPV6: IpPrefix = { family: 6, length: 0, words: new Uint32Array(4), key: '::/0' };

/** True when the address (`family`, `words` from {@link parseIp}) lies inside `prefix`. */
export function prefixContains(prefix: IpPrefix, family: IpFamily, words: Uint32Array): boolean {
  if (prefix.family !== family) return false;
  const count = family === 4 ? 1 : 4;
  for (let w = 0; w < count; w++) {
    const bits = prefix.length - 32 * w;
    if (bits <= 0) return true;
    if (maskWord(words[w] as number, bits) !== prefix.words[w]) return false;
  }
  return true;
}

function prefixText(family: 4 | 6, words: Uint32Array): string {
  if (family === 4) {
    const v = words[0] as number;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const parts: string[] = [];
  for (let w = 0; w < 4; w++) {
    const v = words[w] as number;
    parts.push(((v >>> 16) & 0xffff).toString(16), (v & 0xffff).toString(16));
  }
  return parts.join(':');
}
