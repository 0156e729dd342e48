import { describe, expect, it } from 'vitest';
import { formatG, formatShortest, formatValue } from '../src/number-format.js';

describe('formatShortest', () => {
  it('prints what fmt::format("{}") prints for a double', () => {
    expect(formatShortest(200)).toBe('200');
    expect(formatShortest(202.5)).toBe('202.5');
    expect(formatShortest(200 + 0.999 * 10)).toBe('209.99');
    expect(formatShortest(Number.NaN)).toBe('nan');
    expect(formatShortest(Infinity)).toBe('inf');
    expect(formatShortest(1e16)).toBe('1e+16');
    expect(formatShortest(0.00001)).toBe('1e-05');
    expect(formatShortest(0)).toBe('0');
  });
});

describe('formatG', () => {
  it('prints what printf %g prints', () => {
    expect(formatG(0.5)).toBe('0.5');
    expect(formatG(300000)).toBe('300000');
    expect(formatG(1800000)).toBe('1.8e+06');
    expect(formatG(99.5)).toBe('99.5');
    expect(formatG(0.0001)).toBe('0.0001');
    expect(formatG(0.00001)).toBe('1e-05');
    expect(formatG(-2.5)).toBe('-2.5');
    expect(formatG(Number.NaN, 32)).toBe('nan');
  });

  it('prints the exact decimal expansion with %.32g', () => {
    expect(formatG(0.1, 32)).toBe('0.10000000000000000555111512312578');
    expect(formatG(3600000, 32)).toBe('3600000');
    expect(formatG(104866771428.57144, 32)).toBe('104866771428.571441650390625');
  });
});

describe('formatValue', () => {
  it('prints integers in full and other numbers shortest', () => {
    expect(formatValue(101100000)).toBe('101100000');
    expect(formatValue(2 ** 53)).toBe('9007199254740992');
    expect(formatValue(-3)).toBe('-3');
    expect(formatValue(0.25)).toBe('0.25');
  });
});
