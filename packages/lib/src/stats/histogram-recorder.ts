import type { Histogram } from '@orion/metrics';

/** What the data path needs of a histogram handle: `record(value)`. */
export type HistogramRecorder = Pick<Histogram, 'record'>;

/** A histogram that records nothing, for components built without a stats store. */
export const NOOP_HISTOGRAM: HistogramRecorder = Object.freeze({
  record(): void {
    // No store: nothing to record.
  },
});
