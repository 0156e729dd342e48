import { describe, expect, it } from 'vitest';
import { generateSpanId, generateTraceId, generateUuid } from '../src/index.js';

describe('generateUuid', () => {
  it('makes distinct RFC 9562 version-4 UUIDs, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const uuid = generateUuid();
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(uuid);
    }
    expect(seen.size).toBe(5000);
  });
});

describe('generateSpanId / generateTraceId', () => {
  it('make distinct, non-zero lower-case hex ids of the right width', () => {
    const spans = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const span = generateSpanId();
      expect(span).toMatch(/^[0-9a-f]{16}$/);
      expect(span).not.toBe('0'.repeat(16));
      spans.add(span);
      expect(generateTraceId()).toMatch(/^[0-9a-f]{32}$/);
      expect(generateTraceId(64)).toMatch(/^0{16}[0-9a-f]{16}$/);
    }
    expect(spans.size).toBe(3000);
  });

  it('uses every hex digit in every position (no formatting bias)', () => {
    const digits = Array.from({ length: 16 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) [...generateSpanId()].forEach((c, at) => digits[at]!.add(c));
    expect(digits.map((s) => s.size)).toEqual(Array(16).fill(16));
  });
});
