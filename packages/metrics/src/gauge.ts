/**
 * How a gauge combines across processes (Envoy `Gauge::ImportMode`): `accumulate` gauges are summed over the primary
 * and every worker (`downstream_cx_active`); `neverImport` gauges describe the proxy as a whole and are not summed
 * (`server.live`, `server.uptime`, `server.concurrency`).
 */
export type GaugeImportMode = 'accumulate' | 'neverImport';

/** A value that goes up and down (Envoy `Stats::Gauge`), e.g. `cluster.backend.upstream_cx_active`. */
export interface Gauge {
  /** The full stat name. */
  readonly name: string;
  /** How the primary combines this gauge over processes. Fixed when the gauge is created. */
  readonly importMode: GaugeImportMode;
  /** The current value. */
  value: number;
  /** True once the gauge has been written. */
  readonly used: boolean;
  /** Sets the value. */
  set(value: number): void;
  /** Adds `amount` (default 1). */
  inc(amount?: number): void;
  /** Subtracts `amount` (default 1). */
  dec(amount?: number): void;
  /** Adds `amount`. */
  add(amount: number): void;
  /** Subtracts `amount`. */
  sub(amount: number): void;
}

/** The one implementation of {@link Gauge}. */
export class GaugeImpl implements Gauge {
  readonly name: string;
  readonly importMode: GaugeImportMode;
  value = 0;
  used = false;

  constructor(name: string, importMode: GaugeImportMode) {
    this.name = name;
    this.importMode = importMode;
  }

  set(value: number): void {
    this.value = value;
    this.used = true;
  }

  inc(amount = 1): void {
    this.value += amount;
    this.used = true;
  }

  dec(amount = 1): void {
    this.value -= amount;
    this.used = true;
  }

  add(amount: number): void {
    this.value += amount;
    this.used = true;
  }

  sub(amount: number): void {
    this.value -= amount;
    this.used = true;
  }
}
