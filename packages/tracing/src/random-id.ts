import { randomFillSync } from 'node:crypto';

// One pool of cryptographically random bytes per process, refilled in one call when used up (a
// 16 KiB refill costs a few ns per id). Ids are formatted by writing their ASCII hex digits into a
// small scratch buffer and decoding it once as latin1, which yields a flat string without the
// chain of concatenations a lookup table of strings builds. bench/random-id.bench.mjs measures
// a UUID at about half the time of `crypto.randomUUID()` (itself batched and cached) on Node 20.
const POOL_SIZE = 16 * 1024;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let offset = POOL_SIZE;

/** `HEX_ASCII[2b]`, `HEX_ASCII[2b + 1]`: the char codes of the two lower-case hex digits of byte `b`. */
const HEX_ASCII = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  HEX_ASCII[2 * b] = '0123456789abcdef'.charCodeAt(b >> 4);
  HEX_ASCII[2 * b + 1] = '0123456789abcdef'.charCodeAt(b & 15);
}

/** Scratch for a UUID; the dashes at 8, 13, 18 and 23 are never overwritten. */
const uuidText = Buffer.alloc(36, '-', 'latin1');
/** Scratch for span and trace ids. */
const idText = Buffer.alloc(32);

function take(bytes: number): number {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += bytes;
  return at;
}

/** Writes the hex digits of `count` pool bytes from `from` into `text` at `to`. */
function writeHex(text: Buffer, to: number, from: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const twice = pool[from + i]! << 1;
    text[to] = HEX_ASCII[twice]!;
    text[to + 1] = HEX_ASCII[twice + 1]!;
    to += 2;
  }
}

function isZero8(at: number): boolean {
  return pool.readUInt32LE(at) === 0 && pool.readUInt32LE(at + 4) === 0;
}

/**
 * A random RFC 9562 version-4 UUID in lower case (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`), as
 * Envoy's `envoy.request_id.uuid` extension generates for `x-request-id`. Its 15th character (index
 * 14) is `4`, which the extension reads as "no trace reason packed" (see {@link uuidTraceReason}).
 */
export function generateUuid(): string {
  const at = take(16);
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x40;
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80;
  writeHex(uuidText, 0, at, 4);
  writeHex(uuidText, 9, at + 4, 2);
  writeHex(uuidText, 14, at + 6, 2);
  writeHex(uuidText, 19, at + 8, 2);
  writeHex(uuidText, 24, at + 10, 6);
  return uuidText.toString('latin1', 0, 36);
}

/** A random, non-zero 64-bit span id as 16 lower-case hex digits (W3C `parent-id`, B3/Jaeger span id). */
export function generateSpanId(): string {
  let at = take(8);
  while (isZero8(at)) at = take(8);
  writeHex(idText, 0, at, 8);
  return idText.toString('latin1', 0, 16);
}

/**
 * A random, non-zero trace id as 32 lower-case hex digits. With `bits` 64 the upper half is zeros,
 * which is how a 64-bit B3/Jaeger trace id is held in a {@link TraceContext}. Default: 128 bits.
 */
export function generateTraceId(bits: 64 | 128 = 128): string {
  if (bits === 64) return '0000000000000000' + generateSpanId();
  let at = take(16);
  while (isZero8(at) && isZero8(at + 8)) at = take(16);
  writeHex(idText, 0, at, 16);
  return idText.toString('latin1', 0, 32);
}
