import type { ClusterStatus, HostStatus } from '../stats/cluster-status.js';
import type { AdminContext } from './admin-context.js';
import { envoyPrettyJson, jsonResponse, textResponse, type AdminResponse } from './admin-response.js';
import type { AdminRequest } from './url-handler.js';

const HOST_STATS = ['cx_active', 'cx_connect_fail', 'cx_total', 'rq_active', 'rq_error', 'rq_success', 'rq_timeout', 'rq_total'] as const;
const HOST_GAUGES = new Set(['cx_active', 'rq_active']);

/** `ip:port` → `envoy.config.core.v3.Address` JSON (a path that is not `ip:port` is a pipe). */
export function addressJson(address: string): Record<string, unknown> {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address);
  if (m === null) return { pipe: { path: address } };
  return { socket_address: { address: m[1], port_value: Number(m[2]) } };
}

/** Envoy's text lines: circuit breakers, `added_via_api`, then per host its stats and attributes. */
export function clustersText(clusters: readonly ClusterStatus[]): string {
  let out = '';
  for (const c of clusters) {
    const name = c.name;
    out += `${name}::observability_name::${c.observabilityName}\n`;
    for (const [priority, t] of [
      ['default', c.circuitBreakers.default],
      ['high', c.circuitBreakers.high],
    ] as const) {
      out += `${name}::${priority}_priority::max_connections::${t.maxConnections}\n`;
      out += `${name}::${priority}_priority::max_pending_requests::${t.maxPendingRequests}\n`;
      out += `${name}::${priority}_priority::max_requests::${t.maxRequests}\n`;
      out += `${name}::${priority}_priority::max_retries::${t.maxRetries}\n`;
    }
    out += `${name}::added_via_api::false\n`;
    for (const h of c.hosts) out += hostText(name, h);
  }
  return out;
}

function hostText(cluster: string, h: HostStatus): string {
  const at = `${cluster}::${h.address}`;
  let out = '';
  for (const stat of HOST_STATS) out += `${at}::${stat}::${h.stats[stat]}\n`;
  out += `${at}::hostname::${h.hostname}\n`;
  out += `${at}::health_flags::${h.healthFlags.join('')}\n`;
  out += `${at}::weight::${h.weight}\n`;
  out += `${at}::region::${h.region}\n`;
  out += `${at}::zone::${h.zone}\n`;
  out += `${at}::sub_zone::${h.subZone}\n`;
  out += `${at}::canary::false\n`;
  out += `${at}::priority::${h.priority}\n`;
  out += `${at}::success_rate::-1\n`;
  out += `${at}::local_origin_success_rate::-1\n`;
  return out;
}

/** Proto3 JSON omits zero values; Envoy's `/clusters?format=json` prints without defaults. */
function unlessZero<K extends string>(key: K, value: number): Partial<Record<K, number>> {
  return value === 0 ? {} : ({ [key]: value } as Record<K, number>);
}

function hostJson(h: HostStatus): Record<string, unknown> {
  const counters = HOST_STATS.filter((s) => !HOST_GAUGES.has(s));
  const gauges = HOST_STATS.filter((s) => HOST_GAUGES.has(s));
  const locality = { ...(h.region === '' ? {} : { region: h.region }), ...(h.zone === '' ? {} : { zone: h.zone }), ...(h.subZone === '' ? {} : { sub_zone: h.subZone }) };
  const flags = new Set(h.healthFlags);
  const edsHealth = flags.has('/failed_eds_health') ? 'UNHEALTHY' : flags.has('/degraded_eds_health') ? 'DEGRADED' : 'HEALTHY';
  return {
    address: addressJson(h.address),
    stats: [
      ...counters.map((s) => ({ ...(h.stats[s] === 0 ? {} : { value: String(h.stats[s]) }), name: s })),
      ...gauges.map((s) => ({ type: 'GAUGE', ...(h.stats[s] === 0 ? {} : { value: String(h.stats[s]) }), name: s })),
    ],
    health_status: { eds_health_status: edsHealth },
    ...unlessZero('weight', h.weight),
    ...(h.hostname === '' ? {} : { hostname: h.hostname }),
    ...unlessZero('priority', h.priority),
    locality,
  };
}

/** `envoy.admin.v3.Clusters` JSON. */
export function clustersJson(clusters: readonly ClusterStatus[]): string {
  const thresholds = (priority: string | undefined, t: ClusterStatus['circuitBreakers']['default']): Record<string, unknown> => ({
    ...(priority === undefined ? {} : { priority }),
    max_connections: t.maxConnections,
    max_pending_requests: t.maxPendingRequests,
    max_requests: t.maxRequests,
    max_retries: t.maxRetries,
  });
  return envoyPrettyJson({
    cluster_statuses: clusters.map((c) => ({
      name: c.name,
      host_statuses: c.hosts.map(hostJson),
      circuit_breakers: { thresholds: [thresholds(undefined, c.circuitBreakers.default), thresholds('HIGH', c.circuitBreakers.high)] },
      observability_name: c.observabilityName,
    })),
  });
}

/** `/clusters` (`?format=json`). */
export async function clusters(request: AdminRequest, context: AdminContext): Promise<AdminResponse> {
  const { clusters: statuses } = await context.stats();
  return request.query.get('format') === 'json' ? jsonResponse(clustersJson(statuses)) : textResponse(clustersText(statuses));
}
