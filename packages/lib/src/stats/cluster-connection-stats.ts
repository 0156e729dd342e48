import type { StatsScope } from '@orion/metrics';
import type { ClusterCounters } from '../clusters/cluster-counters.js';
import { NOOP_HISTOGRAM, type HistogramRecorder } from './histogram-recorder.js';

/**
 * What a cluster's connection pools and tcp_proxy record per connection and per waiting request, beyond the per-host
 * counters: the cluster's `upstream_rq_pending_total` / `_active` (plain fields of {@link ClusterCounters}) and the
 * `upstream_cx_connect_ms` / `upstream_cx_length_ms` histograms, created with the cluster (so `/stats` lists them
 * before the first connection, as Envoy does). Fits the transport's `ConnectionPoolStats`.
 */
export class ClusterConnectionStats {
  /** The cluster's counters, whose `upstream_rq_pending_total` / `_active` the pools move. */
  readonly pending: ClusterCounters;
  /** `upstream_cx_connect_ms`: ms from the start of a connection attempt until it was established. */
  readonly connectMs: HistogramRecorder;
  /** `upstream_cx_length_ms`: ms from the start of a connection attempt until it closed (failed attempts included). */
  readonly lengthMs: HistogramRecorder;

  /** `scope` is `cluster.<stat_name>` in the data plane's store, or undefined without one (then nothing is recorded but the counters). */
  constructor(counters: ClusterCounters, scope: StatsScope | undefined) {
    this.pending = counters;
    this.connectMs = scope === undefined ? NOOP_HISTOGRAM : scope.histogram('upstream_cx_connect_ms');
    this.lengthMs = scope === undefined ? NOOP_HISTOGRAM : scope.histogram('upstream_cx_length_ms');
  }
}
