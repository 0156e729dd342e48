/**
 * A monotonic count (Envoy `Stats::Counter`), e.g. `http.ingress_http.downstream_rq_total`. Get it once from
 * {@link StatsStore.counter} and keep it: recording is a property increment.
 */
export interface Counter {
  /** The full stat name. */
  readonly name: string;
  /** The current value. Writable for code that keeps its own arithmetic; {@link inc} is the usual way in. */
  value: number;
  /** True once the counter has been written (Envoy's `used` flag, shown by `/stats?usedonly`). */
  readonly used: boolean;
  /** Adds `amount` (default 1). */
  inc(amount?: number): void;
  /** Adds `amount` (Envoy `add`). */
  add(amount: number): void;
  /** Sets the value back to 0 (`/reset_counters`); the `used` flag stays. */
  reset(): void;
}

/** The one implementation of {@link Counter}; a class so that every handle has the same shape. */
export class CounterImpl implements Counter {
  readonly name: string;
  value = 0;
  used = false;

  constructor(name: string) {
    this.name = name;
  }

  inc(amount = 1): void {
    this.value += amount;
    this.used = true;
  }

  add(amount: number): void {
    this.value += amount;
    this.used = true;
  }

  reset(): void {
    this.value = 0;
  }
}
