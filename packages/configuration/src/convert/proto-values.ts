import type { Duration } from '@bufbuild/protobuf/wkt';

/** A `google.protobuf.Duration` in milliseconds (rounded), or `fallback` when unset. */
export function durationMs(duration: Duration | undefined, fallback: number): number;
export function durationMs(duration: Duration | undefined, fallback?: undefined): number | undefined;
export function durationMs(duration: Duration | undefined, fallback?: number): number | undefined {
  if (duration === undefined) return fallback;
  return Math.round(Number(duration.seconds) * 1000 + duration.nanos / 1e6);
}

/** A 64-bit proto integer as a number (the values Orion reads are far below 2^53). */
export function int64(value: bigint): number {
  return Number(value);
}
