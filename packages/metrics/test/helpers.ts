import { binKeyOf, type HistogramBins } from '../src/histogram-bins.js';
import { STATS_SNAPSHOT_VERSION, type HistogramSnapshot, type StatsSnapshot } from '../src/stats-snapshot.js';
import type { Tag } from '../src/tag-extractor.js';
import type { TagProducer, TaggedStatName } from '../src/tag-producer.js';

/** Bins holding `value` `count` times for each `[value, count]` (as `hist_insert_intscale(h, value, 0, count)`). */
export function binsOf(...valueCounts: (readonly [number, number])[]): HistogramBins {
  const counts = new Map<number, number>();
  for (const [value, count] of valueCounts) {
    const key = binKeyOf(value);
    counts.set(key, (counts.get(key) ?? 0) + count);
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).flat();
}

/** Bins holding each value once. */
export function binsOfValues(values: readonly number[]): HistogramBins {
  return binsOf(...values.map((v) => [v, 1] as const));
}

/** A snapshot built by hand. */
export function snapshotOf(parts: Partial<Pick<StatsSnapshot, 'counters' | 'gauges' | 'histograms' | 'origin'>>): StatsSnapshot {
  return {
    version: STATS_SNAPSHOT_VERSION,
    origin: parts.origin ?? 'primary',
    timeUnixMs: 1_700_000_000_000,
    counters: parts.counters ?? [],
    gauges: parts.gauges ?? [],
    histograms: parts.histograms ?? [],
  };
}

/** A used histogram whose interval and cumulative bins are both `bins`. */
export function histogramOf(name: string, bins: HistogramBins, extra: Partial<HistogramSnapshot> = {}): HistogramSnapshot {
  return { name, used: true, interval: bins, cumulative: bins, ...extra };
}

/**
 * A tag producer that returns fixed answers, for reproducing Envoy's formatter tests (which build stats with
 * explicit tags rather than extracting them). Names it does not know keep their name and have no tags.
 */
export function fixedTagProducer(answers: Readonly<Record<string, { readonly tagExtractedName: string; readonly tags: readonly Tag[] }>>): TagProducer {
  return {
    produceTags(name: string): TaggedStatName {
      return answers[name] ?? { tagExtractedName: name, tags: [] };
    },
  };
}
