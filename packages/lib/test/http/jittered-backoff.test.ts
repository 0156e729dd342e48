import { describe, expect, it } from 'vitest';
import { JitteredBackoff } from '../../src/http/jittered-backoff.js';

describe('JitteredBackoff', () => {
  it('draws from [0, (2^n - 1) × base) and stops growing at max, as Envoy does', () => {
    const nearlyOne = new JitteredBackoff(25, 250, () => 0.999_999);
    expect([1, 2, 3, 4, 5].map(() => nearlyOne.nextMs())).toEqual([24, 74, 174, 250, 250]);
    const half = new JitteredBackoff(25, 250, () => 0.5);
    expect([1, 2, 3, 4].map(() => half.nextMs())).toEqual([12, 37, 87, 187]);
  });

  it('jitters down to zero', () => {
    const zero = new JitteredBackoff(25, 250, () => 0);
    expect(zero.nextMs()).toBe(0);
  });
});
