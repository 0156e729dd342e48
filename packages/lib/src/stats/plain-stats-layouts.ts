import { createClusterCounters } from '../clusters/cluster-counters.js';
import { createConnectionManagerStats } from '../http/connection-manager/connection-manager-stats.js';
import { createListenerCounters } from '../listeners/listener-counters.js';
import { createTcpProxyCounters } from '../tcp-proxy/tcp-proxy-counters.js';
import type { PlainStatsLayout } from './stats-sync.js';

function layout(
  fields: object,
  gauges: readonly string[],
  drainGauges: readonly string[],
  orionOnly: readonly string[] = [],
  neverImport: readonly string[] = [],
): PlainStatsLayout {
  const notCounters = new Set([...gauges, ...drainGauges, ...orionOnly]);
  return Object.freeze({
    counters: Object.freeze(Object.keys(fields).filter((name) => !notCounters.has(name))),
    gauges: Object.freeze([...gauges]),
    drainGauges: Object.freeze([...drainGauges]),
    neverImport: Object.freeze([...neverImport]),
  });
}

/** The cluster gauges Envoy's `ALL_CLUSTER_ENDPOINT_STATS` declares `NeverImport`: every worker holds the cluster whole. */
const CLUSTER_MEMBERSHIP_GAUGES = ['membership_total', 'membership_healthy', 'membership_degraded', 'membership_excluded', 'max_host_weight'];

/**
 * `cluster.<stat_name>.*`: every `ClusterCounters` field; membership and weight gauges (`NeverImport`, as Envoy
 * declares them), in-flight gauges (`Accumulate`): open connections, requests in flight and requests waiting in a pool.
 */
export const CLUSTER_STATS_LAYOUT: PlainStatsLayout = layout(
  createClusterCounters(),
  CLUSTER_MEMBERSHIP_GAUGES,
  ['upstream_cx_active', 'upstream_rq_active', 'upstream_rq_pending_active'],
  [],
  CLUSTER_MEMBERSHIP_GAUGES,
);

/**
 * `listener.<address or stat_prefix>.*`: every `ListenerCounters` field but the Orion-only `downstream_cx_handler_error`
 * (Envoy has no such stat, so `/stats` would differ); `downstream_cx_active` is a gauge.
 */
export const LISTENER_STATS_LAYOUT: PlainStatsLayout = layout(createListenerCounters(), [], ['downstream_cx_active'], ['downstream_cx_handler_error']);

/** `http.<stat_prefix>.*`: every `ConnectionManagerStats` field; the `_active` ones are gauges (`Accumulate`). */
export const HTTP_STATS_LAYOUT: PlainStatsLayout = layout(createConnectionManagerStats(), [], [
  'downstream_cx_active',
  'downstream_rq_active',
  'downstream_cx_http1_active',
  'downstream_cx_http2_active',
  'downstream_cx_upgrades_active',
]);

/** `tcp.<stat_prefix>.*`: every `TcpProxyCounters` field; `upstream_flush_active` is a gauge. */
export const TCP_PROXY_STATS_LAYOUT: PlainStatsLayout = layout(createTcpProxyCounters(), [], ['upstream_flush_active']);
