import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { ORION_ERR_METRICS_INVALID_SNAPSHOT } from '../src/error-codes.js';
import { emptySnapshot, parseStatsSnapshot } from '../src/stats-snapshot.js';

function pathOf(value: unknown): unknown {
  try {
    parseStatsSnapshot(value);
  } catch (err) {
    expect(err).toBeInstanceOf(OrionError);
    expect((err as OrionError).code).toBe(ORION_ERR_METRICS_INVALID_SNAPSHOT);
    return (err as OrionError).details['path'];
  }
  return undefined;
}

describe('parseStatsSnapshot', () => {
  const good = { ...emptySnapshot('worker', 1), counters: [{ name: 'c', value: 1, used: true }] };

  it('accepts a snapshot', () => {
    expect(parseStatsSnapshot(good)).toBe(good);
  });

  it('names the first offending path', () => {
    expect(pathOf(null)).toBe('snapshot');
    expect(pathOf({ ...good, version: 2 })).toBe('snapshot.version');
    expect(pathOf({ ...good, origin: 'x' })).toBe('snapshot.origin');
    expect(pathOf({ ...good, counters: [{ name: '', value: 1, used: true }] })).toBe('snapshot.counters[0].name');
    expect(pathOf({ ...good, counters: [{ name: 'c', value: 'x', used: true }] })).toBe('snapshot.counters[0].value');
    expect(pathOf({ ...good, gauges: [{ name: 'g', value: 1, used: true, importMode: 'sum' }] })).toBe('snapshot.gauges[0].importMode');
    expect(pathOf({ ...good, histograms: [{ name: 'h', used: true, interval: [1], cumulative: [] }] })).toBe('snapshot.histograms[0].interval');
    expect(pathOf({ ...good, histograms: [{ name: 'h', used: true, interval: [], cumulative: [5, 1, 3, 1] }] })).toBe(
      'snapshot.histograms[0].cumulative[2]',
    );
    expect(pathOf({ ...good, histograms: [{ name: 'h', used: true, interval: [], cumulative: [], buckets: ['a'] }] })).toBe(
      'snapshot.histograms[0].buckets[0]',
    );
  });
});
