import { describe, expect, it } from 'vitest';
import {
  binKeyOf,
  binLowerBound,
  binWidth,
  binsApproxQuantiles,
  binsApproxSum,
  binsCountAtOrBelow,
  binsSampleCount,
  mergeBins,
  ZERO_BIN_KEY,
} from '../src/histogram-bins.js';
import { SUPPORTED_QUANTILES } from '../src/histogram-defaults.js';
import { formatG } from '../src/number-format.js';
import { binsOf, binsOfValues } from './helpers.js';

function bounds(value: number): [number, number] {
  const key = binKeyOf(value);
  return [binLowerBound(key), binWidth(key)];
}

describe('binKeyOf', () => {
  it('bins a value by its two significant digits, as circllhist does', () => {
    expect(bounds(200)).toEqual([200, 10]);
    expect(bounds(209)).toEqual([200, 10]);
    expect(bounds(5)).toEqual([5, 0.1]);
    expect(bounds(50)).toEqual([50, 1]);
    expect(bounds(1000)).toEqual([1000, 100]);
    expect(bounds(999)).toEqual([990, 10]);
    expect(bounds(12.7)).toEqual([12, 1]);
    // circllhist's own example: 0.11 lands in [0.11, 0.12) thanks to its 1e-13 rounding allowance; the bound is
    // computed as val/10 · 10^exp, exactly as the C code does.
    expect(bounds(0.11)).toEqual([(11 / 10) * 0.1, 0.01]);
    expect(bounds(3_600_000)).toEqual([3_600_000, 100_000]);
  });

  it('puts zero, negatives and tiny values in the zero bin and refuses NaN and infinities', () => {
    expect(binKeyOf(0)).toBe(ZERO_BIN_KEY);
    expect(binKeyOf(-3)).toBe(ZERO_BIN_KEY);
    expect(binKeyOf(1e-200)).toBe(ZERO_BIN_KEY);
    expect(binKeyOf(Number.NaN)).toBe(-1);
    expect(binKeyOf(Infinity)).toBe(-1);
    expect(binKeyOf(-Infinity)).toBe(-1);
    expect(binKeyOf(1e200)).toBe(-1);
  });

  it('orders keys as the values they hold', () => {
    const values = [0, 1e-9, 0.0051, 0.5, 0.99, 1, 1.05, 9.9, 10, 11, 99, 100, 101, 1e6, 1e100];
    const keys = values.map(binKeyOf);
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
  });
});

describe('binsApproxQuantiles', () => {
  it('interpolates inside the bin, as Envoy shows one value of 200 (P0(200) … P100(210))', () => {
    const quantiles = binsApproxQuantiles(binsOfValues([200]), SUPPORTED_QUANTILES);
    expect(quantiles.map((q) => String(q))).toEqual(['200', '202.5', '205', '207.5', '209', '209.5', '209.9', '209.95', '209.99', '210']);
  });

  it('gives the quantiles Envoy gives for 200 then 100 merged (100, 105, 110, 205, …, 210)', () => {
    const quantiles = binsApproxQuantiles(binsOfValues([200, 100]), SUPPORTED_QUANTILES);
    expect(quantiles.map((q) => String(q))).toEqual(['100', '105', '110', '205', '208', '209', '209.8', '209.9', '209.98', '210']);
  });

  it('is NaN for every quantile of an empty histogram', () => {
    expect(binsApproxQuantiles([], [0, 0.5, 1]).every(Number.isNaN)).toBe(true);
  });
});

describe('binsApproxSum', () => {
  // Expected values are the `_sum` lines of Envoy's prometheus_stats_test.cc, printed with %.32g.
  it('sums each bin at the harmonic mean of its bounds, as Envoy (50, 20, 30, 70, 100, 5000, 200)', () => {
    expect(formatG(binsApproxSum(binsOfValues([50, 20, 30, 70, 100, 5000, 200])), 32)).toBe('5531.1160155998386471765115857124');
  });

  it('matches Envoy for large counts', () => {
    const bins = binsOf([1, 100_000], [100, 1_000_000], [1000, 100_000_000]);
    expect(binsSampleCount(bins)).toBe(101_100_000);
    expect(formatG(binsApproxSum(bins), 32)).toBe('104866771428.571441650390625');
  });

  it('matches Envoy for percent histograms scaled by 1e6', () => {
    const bins = binsOfValues([250_000, 750_000, 1_250_000]);
    expect(formatG(binsApproxSum(bins) / 1e6, 32)).toBe('2.2578688482015323302221077028662');
  });
});

describe('binsCountAtOrBelow', () => {
  it('counts every bin starting at or below the bound, as current Envoy does (50 counts in le=50)', () => {
    const bins = binsOfValues([50, 20, 30, 70, 100, 5000, 200]);
    expect([10, 25, 50, 100, 250, 2500, 5000].map((b) => binsCountAtOrBelow(bins, b))).toEqual([0, 1, 3, 5, 6, 6, 7]);
    expect(binsCountAtOrBelow([], 10)).toBe(0);
  });
});

describe('mergeBins', () => {
  it('adds bins key by key', () => {
    expect(mergeBins(binsOfValues([1, 200]), binsOfValues([200, 3000]))).toEqual(binsOfValues([1, 200, 200, 3000]));
    expect(mergeBins([], binsOfValues([5]))).toEqual(binsOfValues([5]));
  });
});
