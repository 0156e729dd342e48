import { describe, expect, it } from 'vitest';
import { backoffDelayMs, ORION_ERR_XDS_INVALID_ARGUMENT } from '../src/index.js';
import { validateBackoff } from '../src/backoff.js';

describe('backoffDelayMs', () => {
  it('doubles the ceiling from baseMs up to maxMs', () => {
    const top = (attempt: number): number => backoffDelayMs(attempt, { baseMs: 100, maxMs: 1000, random: () => 0.9999 });
    expect([0, 1, 2, 3, 4, 5, 40].map(top)).toEqual([99, 199, 399, 799, 999, 999, 999]);
  });

  it('jitters uniformly below the ceiling and defaults to 500 ms / 30 s', () => {
    expect(backoffDelayMs(0, { random: () => 0 })).toBe(0);
    expect(backoffDelayMs(0, { random: () => 0.5 })).toBe(250);
    expect(backoffDelayMs(100, { random: () => 0.5 })).toBe(15_000);
    for (let attempt = 0; attempt < 20; attempt++) {
      const delay = backoffDelayMs(attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(30_000);
    }
  });

  it('rejects a backoff that is not 0 < baseMs <= maxMs', () => {
    expect(() => validateBackoff({ baseMs: 0 })).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_INVALID_ARGUMENT }));
    expect(() => validateBackoff({ baseMs: 100, maxMs: 50 })).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_INVALID_ARGUMENT }));
    expect(() => validateBackoff({ baseMs: 100, maxMs: Infinity })).toThrow();
    expect(() => validateBackoff({})).not.toThrow();
  });
});
