import { OrionError } from '@orion/error';
import { ORION_ERR_METRICS_INVALID_SNAPSHOT } from './error-codes.js';
import type { GaugeImportMode } from './gauge.js';
import type { HistogramBins } from './histogram-bins.js';

/** The snapshot format this version writes and reads. */
export const STATS_SNAPSHOT_VERSION = 1;

/** Which process a snapshot comes from: the primary's own stats decide `neverImport` gauges when aggregated. */
export type StatsOrigin = 'primary' | 'worker';

/** A counter in a snapshot. */
export interface CounterSnapshot {
  readonly name: string;
  readonly value: number;
  readonly used: boolean;
}

/** A gauge in a snapshot. */
export interface GaugeSnapshot {
  readonly name: string;
  readonly value: number;
  readonly used: boolean;
  readonly importMode: GaugeImportMode;
}

/** A histogram in a snapshot: its circllhist bins (see {@link HistogramBins}), never raw values. */
export interface HistogramSnapshot {
  readonly name: string;
  readonly used: boolean;
  /** Bucket bounds when they are not {@link DEFAULT_HISTOGRAM_BUCKETS}. */
  readonly buckets?: readonly number[];
  /** What was recorded between the last two merges. */
  readonly interval: HistogramBins;
  /** Everything merged so far. */
  readonly cumulative: HistogramBins;
}

/**
 * Every stat of one store (or an aggregate of several) as plain, JSON-serialisable data: what a worker sends the
 * primary over IPC, what {@link aggregateSnapshots} combines and what the renderers and the OTLP exporter read.
 */
export interface StatsSnapshot {
  readonly version: typeof STATS_SNAPSHOT_VERSION;
  readonly origin: StatsOrigin;
  /** When it was taken (ms since the epoch). */
  readonly timeUnixMs: number;
  readonly counters: readonly CounterSnapshot[];
  readonly gauges: readonly GaugeSnapshot[];
  readonly histograms: readonly HistogramSnapshot[];
}

/** A snapshot with no stats. */
export function emptySnapshot(origin: StatsOrigin = 'primary', timeUnixMs = Date.now()): StatsSnapshot {
  return { version: STATS_SNAPSHOT_VERSION, origin, timeUnixMs, counters: [], gauges: [], histograms: [] };
}

/**
 * Checks that `value` (e.g. a message received over IPC) is a {@link StatsSnapshot} of this version and returns it
 * typed. Throws `ORION_ERR_METRICS_INVALID_SNAPSHOT` naming the first offending path.
 */
export function parseStatsSnapshot(value: unknown): StatsSnapshot {
  const root = record(value, 'snapshot');
  if (root['version'] !== STATS_SNAPSHOT_VERSION) {
    fail('snapshot.version', `expected version ${STATS_SNAPSHOT_VERSION}, got ${JSON.stringify(root['version'])}`);
  }
  if (root['origin'] !== 'primary' && root['origin'] !== 'worker') fail('snapshot.origin', 'expected "primary" or "worker"');
  finite(root['timeUnixMs'], 'snapshot.timeUnixMs');
  list(root['counters'], 'snapshot.counters').forEach((c, i) => {
    const at = `snapshot.counters[${i}]`;
    const counter = record(c, at);
    name(counter['name'], `${at}.name`);
    finite(counter['value'], `${at}.value`);
    bool(counter['used'], `${at}.used`);
  });
  list(root['gauges'], 'snapshot.gauges').forEach((g, i) => {
    const at = `snapshot.gauges[${i}]`;
    const gauge = record(g, at);
    name(gauge['name'], `${at}.name`);
    finite(gauge['value'], `${at}.value`);
    bool(gauge['used'], `${at}.used`);
    if (gauge['importMode'] !== 'accumulate' && gauge['importMode'] !== 'neverImport') {
      fail(`${at}.importMode`, 'expected "accumulate" or "neverImport"');
    }
  });
  list(root['histograms'], 'snapshot.histograms').forEach((h, i) => {
    const at = `snapshot.histograms[${i}]`;
    const histogram = record(h, at);
    name(histogram['name'], `${at}.name`);
    bool(histogram['used'], `${at}.used`);
    if (histogram['buckets'] !== undefined) {
      list(histogram['buckets'], `${at}.buckets`).forEach((b, j) => finite(b, `${at}.buckets[${j}]`));
    }
    bins(histogram['interval'], `${at}.interval`);
    bins(histogram['cumulative'], `${at}.cumulative`);
  });
  return value as StatsSnapshot;
}

function fail(path: string, message: string): never {
  throw new OrionError(ORION_ERR_METRICS_INVALID_SNAPSHOT, `invalid stats snapshot at ${path}: ${message}`, { details: { path } });
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'expected an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  return value;
}

function finite(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'expected a finite number');
}

function bool(value: unknown, path: string): void {
  if (typeof value !== 'boolean') fail(path, 'expected a boolean');
}

function name(value: unknown, path: string): void {
  if (typeof value !== 'string' || value === '') fail(path, 'expected a non-empty string');
}

function bins(value: unknown, path: string): void {
  const flat = list(value, path);
  if (flat.length % 2 !== 0) fail(path, 'expected [key, count] pairs');
  let previous = -1;
  for (let i = 0; i < flat.length; i += 2) {
    const key = flat[i];
    const count = flat[i + 1];
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key <= previous) {
      fail(`${path}[${i}]`, 'expected ascending non-negative integer bin keys');
    }
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) fail(`${path}[${i + 1}]`, 'expected a count');
    previous = key;
  }
}
