import type { Counter, Gauge, GaugeImportMode, StatsStore } from '@orion/metrics';

/**
 * Which fields of a plain counters object (`ClusterCounters`, `ListenerCounters`, …) are Envoy counters and which
 * gauges. Fields named in neither are not copied.
 */
export interface PlainStatsLayout {
  /** Monotonic counters: the store gets the increase since the last sync. */
  readonly counters: readonly string[];
  /** Gauges that describe the object itself (membership, weights): only live objects contribute them. */
  readonly gauges: readonly string[];
  /**
   * Gauges of work in flight (active connections, requests): objects that were replaced or removed keep contributing
   * them while they drain, and are forgotten once all of them are 0.
   */
  readonly drainGauges: readonly string[];
  /**
   * Gauges (of {@link gauges} or {@link drainGauges}) Envoy declares `NeverImport`: every process holds the whole
   * value (a cluster's membership), so aggregating processes takes one process's value rather than the sum. The
   * others are registered `accumulate` (Envoy's `Accumulate`). Default none.
   */
  readonly neverImport?: readonly string[];
}

function importModeOf(layout: PlainStatsLayout, name: string): GaugeImportMode {
  return layout.neverImport?.includes(name) === true ? 'neverImport' : 'accumulate';
}

interface Source {
  readonly values: Readonly<Record<string, number>>;
  readonly layout: PlainStatsLayout;
  readonly counters: readonly Counter[];
  readonly last: Float64Array;
  readonly gauges: readonly Gauge[];
  readonly drainGauges: readonly Gauge[];
  /** Seen in the latest {@link StatsSync.beginRound} … {@link StatsSync.sync} round. */
  live: boolean;
}

/**
 * Copies plain-number counters and gauges into a {@link StatsStore}. Components keep their own plain numbers on the
 * hot path (a property increment); {@link sync} runs when stats are read.
 *
 * - Counters are monotonic totals in the store: each sync adds what every source gained since the previous sync, so
 *   objects of the same stat name (a cluster and its rebuilt replacement, two connection managers sharing a
 *   `stat_prefix`) add up, and a removed object's counts stay in the store.
 * - Gauges are set to the sum over the objects that hold them now: live objects, plus replaced or removed ones for
 *   their in-flight gauges while those are not 0. A gauge no object holds any more is set to 0.
 */
export class StatsSync {
  readonly #store: StatsStore;
  readonly #sources = new Map<object, Source>();
  /** What was copied of objects forgotten after they drained, should one be tracked again (never counted twice). */
  readonly #forgotten = new WeakMap<object, Float64Array>();
  /** Every gauge ever written by a sync, so that ones no source holds any more drop to 0. */
  readonly #gauges = new Set<Gauge>();

  constructor(store: StatsStore) {
    this.#store = store;
  }

  /** Starts a round: every source counts as gone until {@link track} names it again. */
  beginRound(): void {
    for (const source of this.#sources.values()) source.live = false;
  }

  /**
   * Names a live object whose fields `layout` describes, under `prefix` (e.g. `cluster.backend`). The first call
   * for an object creates its handles; later calls only mark it live. An object keeps the prefix it was first
   * tracked with.
   */
  track(values: Readonly<object>, prefix: string, layout: PlainStatsLayout): void {
    const existing = this.#sources.get(values);
    if (existing !== undefined) {
      existing.live = true;
      return;
    }
    const scope = this.#store.scope(prefix);
    const record = values as Readonly<Record<string, number>>;
    const source: Source = {
      values: record,
      layout,
      counters: layout.counters.map((name) => scope.counter(name)),
      last: this.#forgotten.get(values) ?? new Float64Array(layout.counters.length),
      gauges: layout.gauges.map((name) => scope.gauge(name, importModeOf(layout, name))),
      drainGauges: layout.drainGauges.map((name) => scope.gauge(name, importModeOf(layout, name))),
      live: true,
    };
    this.#sources.set(values, source);
  }

  /** Copies every tracked object's values into the store (see the class comment) and forgets drained ones. */
  sync(): void {
    const sums = new Map<Gauge, number>();
    for (const gauge of this.#gauges) sums.set(gauge, 0);
    for (const [key, source] of this.#sources) {
      const { values, layout } = source;
      for (let i = 0; i < source.counters.length; i++) {
        const now = values[layout.counters[i] as string] ?? 0;
        const delta = now - (source.last[i] as number);
        if (delta > 0) (source.counters[i] as Counter).add(delta);
        source.last[i] = now;
      }
      let inFlight = 0;
      for (let i = 0; i < source.drainGauges.length; i++) {
        const gauge = source.drainGauges[i] as Gauge;
        const value = values[layout.drainGauges[i] as string] ?? 0;
        inFlight += value;
        sums.set(gauge, (sums.get(gauge) ?? 0) + value);
      }
      if (source.live) {
        for (let i = 0; i < source.gauges.length; i++) {
          const gauge = source.gauges[i] as Gauge;
          sums.set(gauge, (sums.get(gauge) ?? 0) + (values[layout.gauges[i] as string] ?? 0));
        }
      } else if (inFlight === 0) {
        this.#sources.delete(key);
        this.#forgotten.set(key, source.last);
      }
    }
    for (const [gauge, value] of sums) {
      this.#gauges.add(gauge);
      // A gauge that never left 0 stays unused (`/stats?usedonly` leaves it out), as in Envoy.
      if (gauge.value !== value) gauge.set(value);
    }
  }

  /** The number of objects tracked (live, or replaced and still draining). */
  get size(): number {
    return this.#sources.size;
  }
}
