import { OrionError } from '@orion/error';
import { ORION_ERR_METRICS_INVALID_SNAPSHOT } from './error-codes.js';
import type { GaugeImportMode } from './gauge.js';
import { mergeBins, type HistogramBins } from './histogram-bins.js';
import {
  STATS_SNAPSHOT_VERSION,
  type CounterSnapshot,
  type GaugeSnapshot,
  type HistogramSnapshot,
  type StatsSnapshot,
} from './stats-snapshot.js';

interface GaugeAccumulator {
  readonly name: string;
  readonly importMode: GaugeImportMode;
  sum: number;
  used: boolean;
  primary: number | undefined;
  max: number | undefined;
}

interface HistogramAccumulator {
  readonly name: string;
  readonly buckets: readonly number[] | undefined;
  used: boolean;
  interval: HistogramBins;
  cumulative: HistogramBins;
}

/**
 * Combines the snapshots of several processes into the one the primary renders and exports, as Envoy's main
 * thread combines its workers' stats:
 *
 * - counters are summed;
 * - `accumulate` gauges are summed; a `neverImport` gauge takes the primary's value (a snapshot with
 *   `origin: 'primary'`) and, when no primary snapshot has it, the largest worker value;
 * - histograms add their interval and cumulative bins bin by bin (so quantiles are those of all values together);
 * - a stat is `used` when it is used in any snapshot.
 *
 * Stats keep the order in which they are first met; a stat's import mode and buckets are those of its first
 * occurrence. The result's origin is `primary` when any input is, and its time is the latest input time.
 */
export function aggregateSnapshots(snapshots: readonly StatsSnapshot[]): StatsSnapshot {
  const counters = new Map<string, { name: string; value: number; used: boolean }>();
  const gauges = new Map<string, GaugeAccumulator>();
  const histograms = new Map<string, HistogramAccumulator>();
  let time = 0;
  let anyPrimary = false;
  for (const snapshot of snapshots) {
    if (snapshot.version !== STATS_SNAPSHOT_VERSION) {
      throw new OrionError(ORION_ERR_METRICS_INVALID_SNAPSHOT, `cannot aggregate a stats snapshot of version ${String(snapshot.version)}`, {
        details: { path: 'snapshot.version' },
      });
    }
    const isPrimary = snapshot.origin === 'primary';
    anyPrimary ||= isPrimary;
    time = Math.max(time, snapshot.timeUnixMs);
    for (const c of snapshot.counters) {
      const acc = counters.get(c.name);
      if (acc === undefined) counters.set(c.name, { name: c.name, value: c.value, used: c.used });
      else {
        acc.value += c.value;
        acc.used ||= c.used;
      }
    }
    for (const g of snapshot.gauges) {
      let acc = gauges.get(g.name);
      if (acc === undefined) {
        acc = { name: g.name, importMode: g.importMode, sum: 0, used: false, primary: undefined, max: undefined };
        gauges.set(g.name, acc);
      }
      acc.sum += g.value;
      acc.used ||= g.used;
      if (isPrimary) acc.primary = g.value;
      else acc.max = acc.max === undefined ? g.value : Math.max(acc.max, g.value);
    }
    for (const h of snapshot.histograms) {
      const acc = histograms.get(h.name);
      if (acc === undefined) {
        histograms.set(h.name, { name: h.name, buckets: h.buckets, used: h.used, interval: h.interval, cumulative: h.cumulative });
      } else {
        acc.used ||= h.used;
        acc.interval = mergeBins(acc.interval, h.interval);
        acc.cumulative = mergeBins(acc.cumulative, h.cumulative);
      }
    }
  }
  return {
    version: STATS_SNAPSHOT_VERSION,
    origin: anyPrimary ? 'primary' : 'worker',
    timeUnixMs: time,
    counters: [...counters.values()].map((c): CounterSnapshot => ({ name: c.name, value: c.value, used: c.used })),
    gauges: [...gauges.values()].map(
      (g): GaugeSnapshot => ({
        name: g.name,
        value: g.importMode === 'accumulate' ? g.sum : (g.primary ?? g.max ?? 0),
        used: g.used,
        importMode: g.importMode,
      }),
    ),
    histograms: [...histograms.values()].map(
      (h): HistogramSnapshot => ({
        name: h.name,
        used: h.used,
        ...(h.buckets === undefined ? {} : { buckets: h.buckets }),
        interval: h.interval,
        cumulative: h.cumulative,
      }),
    ),
  };
}
