import { describe, expect, it } from 'vitest';
import { binKeyOf } from '../src/histogram-bins.js';
import { LogLinearHistogram } from '../src/log-linear-histogram.js';
import { binsOfValues } from './helpers.js';

describe('LogLinearHistogram', () => {
  it('records values into the bins binKeyOf names, across decades in any order', () => {
    const values = [200, 0.5, 3_600_000, 0, 12, 12.9, 1e-3, 99, 100, 7, -4, 250_000];
    const histogram = new LogLinearHistogram();
    for (const v of values) histogram.record(v);
    expect(histogram.toBins()).toEqual(binsOfValues(values));
  });

  it('drops NaN and infinities', () => {
    const histogram = new LogLinearHistogram();
    for (const v of [Number.NaN, Infinity, -Infinity, 1e300]) histogram.record(v);
    expect(histogram.isEmpty).toBe(true);
    expect(histogram.toBins()).toEqual([]);
  });

  it('adds bins and forgets them on clear', () => {
    const histogram = new LogLinearHistogram();
    histogram.record(5);
    histogram.addBins([binKeyOf(5), 2, binKeyOf(1e9), 1]);
    expect(histogram.toBins()).toEqual([binKeyOf(5), 3, binKeyOf(1e9), 1]);
    histogram.clear();
    expect(histogram.isEmpty).toBe(true);
    histogram.record(5);
    expect(histogram.toBins()).toEqual([binKeyOf(5), 1]);
  });

  it('puts a value within the rounding allowance of a bin boundary in the bin above, as circllhist does', () => {
    const histogram = new LogLinearHistogram();
    histogram.record(999.9999999999999);
    expect(histogram.toBins()).toEqual([binKeyOf(1000), 1]);
  });
});
