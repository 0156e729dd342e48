import { describe, expect, it } from 'vitest';
import { HEX_BYTE, padHex, readHexId, scanHex } from '../src/hex.js';

describe('hex helpers', () => {
  it('formats every byte as two lower-case digits', () => {
    expect(HEX_BYTE).toHaveLength(256);
    expect([HEX_BYTE[0], HEX_BYTE[10], HEX_BYTE[255]]).toEqual(['00', '0a', 'ff']);
  });

  it.each([
    ['abc123', true, 1],
    ['ABC123', false, 2],
    ['ABC123', true, 0],
    ['000000', false, 3],
    ['00g0', false, 0],
  ] as const)('scanHex(%s, lowerOnly=%s) → %i', (s, lowerOnly, result) => {
    expect(scanHex(s, 0, s.length, lowerOnly)).toBe(result);
  });

  it('reads ids of up to the width, left-padded and lower-cased', () => {
    expect(readHexId('x:ABC:y', 2, 5, 16, false)).toBe('0000000000000abc');
    expect(readHexId('abc', 0, 3, 32, false)).toBe(`${'0'.repeat(29)}abc`);
    expect(readHexId('f'.repeat(17), 0, 17, 16, false)).toBeUndefined();
    expect(readHexId('', 0, 0, 16, false)).toBeUndefined();
    expect(readHexId('0000', 0, 4, 16, false)).toBeUndefined();
    expect(padHex('1'.repeat(16), 16)).toBe('1'.repeat(16));
    expect(padHex('1'.repeat(20), 32)).toBe(`${'0'.repeat(12)}${'1'.repeat(20)}`);
  });
});
