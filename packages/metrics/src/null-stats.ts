import type { Counter } from './counter.js';
import type { Gauge, GaugeImportMode } from './gauge.js';
import type { Histogram } from './histogram.js';

// The handles of names rejected by `stats_matcher` (Envoy's null stats): recording does nothing and they never
// appear in a snapshot. `value` stays writable, as on a real handle, but is never read by the store.

/** A {@link Counter} that records nothing. */
export class NullCounter implements Counter {
  readonly name: string;
  value = 0;
  readonly used = false;

  constructor(name: string) {
    this.name = name;
  }

  inc(): void {}

  add(): void {}

  reset(): void {}
}

/** A {@link Gauge} that records nothing. */
export class NullGauge implements Gauge {
  readonly name: string;
  readonly importMode: GaugeImportMode;
  value = 0;
  readonly used = false;

  constructor(name: string, importMode: GaugeImportMode) {
    this.name = name;
    this.importMode = importMode;
  }

  set(): void {}

  inc(): void {}

  dec(): void {}

  add(): void {}

  sub(): void {}
}

/** A {@link Histogram} that records nothing. */
export class NullHistogram implements Histogram {
  readonly name: string;
  readonly buckets: readonly number[];
  readonly used = false;

  constructor(name: string, buckets: readonly number[]) {
    this.name = name;
    this.buckets = buckets;
  }

  record(): void {}
}
