import { describe, expect, it } from 'vitest';
import { compileIpPrefix, parseIp, prefixContains } from '../../src/filter-chain/index.js';

function words(text: string): { family: number; words: number[] } {
  const out = new Uint32Array(4);
  const family = parseIp(text, out);
  return { family, words: family === 4 ? [out[0] as number] : family === 6 ? [...out] : [] };
}

describe('parseIp', () => {
  it.each([
    ['127.0.0.1', 4, [0x7f000001]],
    ['255.255.255.255', 4, [0xffffffff]],
    ['::1', 6, [0, 0, 0, 1]],
    ['::', 6, [0, 0, 0, 0]],
    ['2001:db8::ff00:42:8329', 6, [0x20010db8, 0, 0xff00, 0x428329]],
    ['fe80::1%eth0', 6, [0xfe800000, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', 6, [0x10002, 0x30004, 0x50006, 0x70008]],
    ['::ffff:10.1.2.3', 4, [0x0a010203]],
    ['::ffff:a01:203', 4, [0x0a010203]],
    ['64:ff9b::10.1.2.3', 6, [0x0064ff9b, 0, 0, 0x0a010203]],
  ])('parses %s', (text, family, expected) => {
    expect(words(text)).toEqual({ family, words: expected });
  });

  it.each(['', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.1.1.1', '1::2::3', ':1', '1:2:3:4:5:6:7:8:9', '12345::', '1:'])(
    'rejects %j',
    (text) => {
      expect(parseIp(text, new Uint32Array(4))).toBe(0);
    },
  );
});

describe('compileIpPrefix', () => {
  it('masks host bits and compares by network', () => {
    const p = compileIpPrefix({ addressPrefix: '10.1.2.3', prefixLen: 8 });
    expect(p.key).toBe('10.0.0.0/8');
    const out = new Uint32Array(4);
    expect(prefixContains(p, parseIp('10.200.0.1', out), out)).toBe(true);
    expect(prefixContains(p, parseIp('11.0.0.1', out), out)).toBe(false);
  });

  it('handles IPv6 prefixes that end inside a word', () => {
    const p = compileIpPrefix({ addressPrefix: '2001:db8:abcd::', prefixLen: 36 });
    const out = new Uint32Array(4);
    expect(prefixContains(p, parseIp('2001:db8:a000::1', out), out)).toBe(true);
    expect(prefixContains(p, parseIp('2001:db8:b000::1', out), out)).toBe(false);
  });
});
