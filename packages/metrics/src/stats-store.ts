import { OrionError } from '@orion/error';
import { globalInterner, type Interner } from '@orion/interner';
import { CounterImpl, type Counter } from './counter.js';
import { ORION_ERR_METRICS_INVALID_BUCKETS, ORION_ERR_METRICS_INVALID_NAME, ORION_ERR_METRICS_KIND_CONFLICT } from './error-codes.js';
import { GaugeImpl, type Gauge, type GaugeImportMode } from './gauge.js';
import { HistogramImpl, type Histogram } from './histogram.js';
import { DEFAULT_HISTOGRAM_BUCKETS } from './histogram-defaults.js';
import { NullCounter, NullGauge, NullHistogram } from './null-stats.js';
import { joinStatName, sanitizeStatName } from './stat-name.js';
import { compileStatNameMatcher, compileStatsMatcher, type CompiledStatNameMatcher, type StatNameMatcher, type StatsMatcher } from './stats-matcher.js';
import {
  STATS_SNAPSHOT_VERSION,
  type CounterSnapshot,
  type GaugeSnapshot,
  type HistogramSnapshot,
  type StatsOrigin,
  type StatsSnapshot,
} from './stats-snapshot.js';

/** Options of {@link StatsStore.histogram}. */
export interface HistogramOptions {
  /**
   * Bucket upper bounds, strictly ascending (Envoy `stats_config.histogram_bucket_settings`). Default
   * {@link DEFAULT_HISTOGRAM_BUCKETS}.
   */
  readonly buckets?: readonly number[];
}

/** Hands out stat handles under a name prefix (Envoy `Stats::Scope`). */
export interface StatsScope {
  /** The prefix of every name this scope hands out, without a trailing dot (`''` for the root). */
  readonly prefix: string;
  /** The counter `prefix.name`, created on first use and the same object afterwards. */
  counter(name: string): Counter;
  /**
   * The gauge `prefix.name`. `importMode` (default `accumulate`) is fixed by the first call; a later call naming
   * another mode throws, one naming none gets the gauge as it is.
   */
  gauge(name: string, importMode?: GaugeImportMode): Gauge;
  /** The histogram `prefix.name`; `options.buckets` are fixed by the first call. */
  histogram(name: string, options?: HistogramOptions): Histogram;
  /** A scope under `prefix.name` (the name sanitized as Envoy does: `:` → `_`, outer dots dropped). */
  scope(name: string): StatsScope;
}

/**
 * The stats of one process (Envoy's `Stats::Store`): a worker's, or the primary's own (`server.*`). Handles are
 * created once per name and reused, so the request path holds them and never looks a name up.
 */
export interface StatsStore extends StatsScope {
  /** Which process this store belongs to. */
  readonly origin: StatsOrigin;
  /** True when the store's `stats_matcher` rejects every name (`reject_all: true`): it never holds a stat. */
  readonly rejectsAll: boolean;
  /** The number of stats held. */
  readonly size: number;
  /** Every stat as plain data (histograms as of the last {@link mergeHistograms}). */
  snapshot(): StatsSnapshot;
  /**
   * Ends the current histogram interval (Envoy `mergeHistograms`, run every `stats_flush_interval`): values recorded
   * since the last merge become each histogram's interval and join its cumulative bins.
   */
  mergeHistograms(): void;
  /** Sets every counter to 0 (`POST /reset_counters`). Gauges and histograms are kept, as in Envoy. */
  resetCounters(): void;
}

/**
 * The buckets of the histograms whose name matches (Envoy `envoy.config.metrics.v3.HistogramBucketSettings`).
 */
export interface HistogramBucketSetting {
  /** `match`: the histogram names these buckets apply to. */
  readonly match: StatNameMatcher;
  /** `buckets`: upper bounds, strictly ascending. */
  readonly buckets: readonly number[];
}

/** Options of {@link createStatsStore}. */
export interface StatsStoreOptions {
  /**
   * `stats_config.stats_matcher`: names it rejects get handles that record nothing and never appear in a snapshot.
   * Checked once per name, when its handle is first asked for. Default: every stat is created.
   */
  readonly matcher?: StatsMatcher;
  /**
   * `stats_config.histogram_bucket_settings`: the first setting whose `match` matches a new histogram's name gives
   * its buckets, unless the caller names buckets itself. Default none ({@link DEFAULT_HISTOGRAM_BUCKETS}).
   */
  readonly histogramBuckets?: readonly HistogramBucketSetting[];
  /** Which process the store belongs to. Default `worker`; the primary's own store says `primary`. */
  readonly origin?: StatsOrigin;
  /** Where new names get their canonical copy. Default `globalInterner` of `@orion/interner`. */
  readonly interner?: Interner;
  /** Clock for snapshot times (tests). Default `Date.now`. */
  readonly now?: () => number;
}

type Stat = CounterImpl | GaugeImpl | HistogramImpl;
type NullStat = NullCounter | NullGauge | NullHistogram;

/** A new, empty {@link StatsStore}. */
export function createStatsStore(options: StatsStoreOptions = {}): StatsStore {
  return new Store(options);
}

class Store implements StatsStore {
  readonly origin: StatsOrigin;
  readonly prefix = '';
  readonly #interner: Interner;
  readonly #now: () => number;
  readonly #byName = new Map<string, Stat>();
  readonly #counters: CounterImpl[] = [];
  readonly #gauges: GaugeImpl[] = [];
  readonly #histograms: HistogramImpl[] = [];
  readonly #rejects: (name: string) => boolean;
  readonly #rejectsAll: boolean;
  readonly #rejected = new Map<string, NullStat>();
  readonly #bucketSettings: readonly { readonly test: CompiledStatNameMatcher; readonly buckets: readonly number[] }[];

  constructor(options: StatsStoreOptions) {
    this.origin = options.origin ?? 'worker';
    this.#interner = options.interner ?? globalInterner;
    this.#now = options.now ?? Date.now;
    this.#rejects = compileStatsMatcher(options.matcher);
    this.#rejectsAll = options.matcher?.type === 'rejectAll';
    this.#bucketSettings = (options.histogramBuckets ?? []).map((s, i) => ({
      test: compileStatNameMatcher(s.match),
      buckets: validBuckets(`histogram_bucket_settings[${i}]`, s.buckets),
    }));
  }

  /** True when `stats_matcher` rejects every name (`reject_all: true`). */
  get rejectsAll(): boolean {
    return this.#rejectsAll;
  }

  /**
   * The null handle of a rejected name (made by `create` the first time), or undefined when `name` is accepted. The
   * matcher runs once per new name: accepted names are in `#byName` from then on, rejected ones in `#rejected`.
   */
  #rejectedHandle<T extends NullStat>(name: string, kind: new (...args: never[]) => T, create: (canonical: string) => T): T | undefined {
    const known = this.#rejected.get(name);
    if (known instanceof kind) return known;
    if (known === undefined) {
      if (!this.#rejects(name)) return undefined;
      this.#canonical(name);
    }
    // A rejected name asked for as another kind gets a null handle of that kind: nothing is recorded either way.
    const handle = create(this.#interner.intern(name).value);
    this.#rejected.set(handle.name, handle);
    return handle;
  }

  get size(): number {
    return this.#byName.size;
  }

  counter(name: string): Counter {
    const existing = this.#byName.get(name);
    if (existing instanceof CounterImpl) return existing;
    if (existing !== undefined) throw conflict(name, 'counter', existing);
    const rejected = this.#rejectedHandle(name, NullCounter, (n) => new NullCounter(n));
    if (rejected !== undefined) return rejected;
    const counter = new CounterImpl(this.#canonical(name));
    this.#byName.set(counter.name, counter);
    this.#counters.push(counter);
    return counter;
  }

  gauge(name: string, importMode?: GaugeImportMode): Gauge {
    const existing = this.#byName.get(name);
    if (existing instanceof GaugeImpl) {
      if (importMode !== undefined && existing.importMode !== importMode) {
        throw new OrionError(
          ORION_ERR_METRICS_KIND_CONFLICT,
          `gauge ${JSON.stringify(name)} exists with import mode ${existing.importMode}, asked for ${importMode}`,
          { details: { name, existing: existing.importMode, requested: importMode } },
        );
      }
      return existing;
    }
    if (existing !== undefined) throw conflict(name, 'gauge', existing);
    const rejected = this.#rejectedHandle(name, NullGauge, (n) => new NullGauge(n, importMode ?? 'accumulate'));
    if (rejected !== undefined) return rejected;
    const gauge = new GaugeImpl(this.#canonical(name), importMode ?? 'accumulate');
    this.#byName.set(gauge.name, gauge);
    this.#gauges.push(gauge);
    return gauge;
  }

  histogram(name: string, options: HistogramOptions = {}): Histogram {
    const existing = this.#byName.get(name);
    if (existing instanceof HistogramImpl) {
      if (options.buckets !== undefined && !sameNumbers(options.buckets, existing.buckets)) {
        throw new OrionError(ORION_ERR_METRICS_KIND_CONFLICT, `histogram ${JSON.stringify(name)} exists with other buckets`, {
          details: { name },
        });
      }
      return existing;
    }
    if (existing !== undefined) throw conflict(name, 'histogram', existing);
    const buckets = options.buckets === undefined ? this.#configuredBuckets(name) : validBuckets(name, options.buckets);
    const rejected = this.#rejectedHandle(name, NullHistogram, (n) => new NullHistogram(n, buckets));
    if (rejected !== undefined) return rejected;
    const histogram = new HistogramImpl(this.#canonical(name), buckets);
    this.#byName.set(histogram.name, histogram);
    this.#histograms.push(histogram);
    return histogram;
  }

  scope(name: string): StatsScope {
    return new Scope(this, sanitizeStatName(name));
  }

  /** The buckets of the first `histogram_bucket_settings` entry matching `name`, else Envoy's defaults. */
  #configuredBuckets(name: string): readonly number[] {
    for (const setting of this.#bucketSettings) if (setting.test(name)) return setting.buckets;
    return DEFAULT_HISTOGRAM_BUCKETS;
  }

  snapshot(): StatsSnapshot {
    const counters: CounterSnapshot[] = this.#counters.map((c) => ({
      name: c.name,
      value: c.value,
      used: c.used || c.value !== 0,
    }));
    const gauges: GaugeSnapshot[] = this.#gauges.map((g) => ({
      name: g.name,
      value: g.value,
      used: g.used || g.value !== 0,
      importMode: g.importMode,
    }));
    const histograms: HistogramSnapshot[] = this.#histograms.map((h) => ({
      name: h.name,
      used: h.used,
      ...(h.buckets === DEFAULT_HISTOGRAM_BUCKETS ? {} : { buckets: h.buckets }),
      interval: h.interval,
      cumulative: h.cumulativeBins(),
    }));
    return { version: STATS_SNAPSHOT_VERSION, origin: this.origin, timeUnixMs: this.#now(), counters, gauges, histograms };
  }

  mergeHistograms(): void {
    for (const histogram of this.#histograms) histogram.merge();
  }

  resetCounters(): void {
    for (const counter of this.#counters) counter.reset();
  }

  #canonical(name: string): string {
    if (typeof name !== 'string' || name === '') {
      throw new OrionError(ORION_ERR_METRICS_INVALID_NAME, 'a stat name must be a non-empty string', { details: { name: String(name) } });
    }
    return this.#interner.intern(name).value;
  }
}

class Scope implements StatsScope {
  readonly prefix: string;
  readonly #store: Store;

  constructor(store: Store, prefix: string) {
    this.#store = store;
    this.prefix = prefix;
  }

  counter(name: string): Counter {
    return this.#store.counter(joinStatName(this.prefix, name));
  }

  gauge(name: string, importMode?: GaugeImportMode): Gauge {
    return this.#store.gauge(joinStatName(this.prefix, name), importMode);
  }

  histogram(name: string, options?: HistogramOptions): Histogram {
    return this.#store.histogram(joinStatName(this.prefix, name), options);
  }

  scope(name: string): StatsScope {
    return new Scope(this.#store, joinStatName(this.prefix, sanitizeStatName(name)));
  }
}

function conflict(name: string, requested: string, existing: Stat): OrionError {
  const kind = existing instanceof CounterImpl ? 'counter' : existing instanceof GaugeImpl ? 'gauge' : 'histogram';
  return new OrionError(ORION_ERR_METRICS_KIND_CONFLICT, `${JSON.stringify(name)} is a ${kind}, asked for a ${requested}`, {
    details: { name, existing: kind, requested },
  });
}

function validBuckets(name: string, buckets: readonly number[]): readonly number[] {
  const ok = buckets.length > 0 && buckets.every((b, i) => Number.isFinite(b) && (i === 0 || b > (buckets[i - 1] as number)));
  if (!ok) {
    throw new OrionError(ORION_ERR_METRICS_INVALID_BUCKETS, `histogram ${JSON.stringify(name)}: buckets must be finite and strictly ascending`, {
      details: { name, buckets: [...buckets] },
    });
  }
  return Object.freeze([...buckets]);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
