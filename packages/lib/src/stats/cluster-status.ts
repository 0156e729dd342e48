import type { HealthStatus } from '@orion/configuration';
import { clusterLimits, type ClusterLimits } from '../clusters/cluster-limits.js';
import type { UpstreamCluster } from '../clusters/upstream-cluster.js';
import type { UpstreamHost } from '../clusters/upstream-host.js';

/** A host's per-host stats as Envoy's `/clusters` prints them (`<cluster>::<address>::<stat>::<value>`). */
export interface HostStatusStats {
  /** Connections open now. */
  readonly cx_active: number;
  /** Connection attempts that failed. */
  readonly cx_connect_fail: number;
  /** Connections opened. */
  readonly cx_total: number;
  /** Requests in flight. */
  readonly rq_active: number;
  /** Requests that failed (reset, connect failure, timeout). */
  readonly rq_error: number;
  /** Requests that completed. */
  readonly rq_success: number;
  /** Requests that timed out. */
  readonly rq_timeout: number;
  /** Requests sent. */
  readonly rq_total: number;
}

/** One upstream host of a {@link ClusterStatus}: plain, JSON-serialisable data. */
export interface HostStatus {
  /** `ip:port` (`[::1]:8080` for IPv6) or the Unix socket path. */
  readonly address: string;
  /** `endpoint.hostname`, or the DNS name a STRICT/LOGICAL_DNS host was resolved from; `''` if none. */
  readonly hostname: string;
  /** `load_balancing_weight` (default 1). */
  readonly weight: number;
  /** The priority of its locality (0 is the highest). */
  readonly priority: number;
  /** Its locality's `region`, `zone`, `sub_zone` (`''` when not given). */
  readonly region: string;
  readonly zone: string;
  readonly subZone: string;
  /**
   * Envoy's health flags (`HostUtility::healthFlagsToString`): `['healthy']` when none is set, else each set flag as
   * Envoy prints it: `/failed_eds_health` (EDS `UNHEALTHY`, `DRAINING`, `TIMEOUT`), `/degraded_eds_health` (EDS
   * `DEGRADED`). Orion has no active health checking or outlier detection and removes hosts at once, so the
   * `_active_hc`, `/failed_outlier_check` and `/pending_dynamic_removal` flags never appear.
   */
  readonly healthFlags: readonly string[];
  /** Per-host stats. */
  readonly stats: HostStatusStats;
}

/** The circuit-breaker thresholds of one routing priority, as configured (not split over workers). */
export interface CircuitBreakerStatus {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
}

/** One cluster as Envoy's `/clusters` admin page shows it: plain, JSON-serialisable data. */
export interface ClusterStatus {
  /** `name`. */
  readonly name: string;
  /** `alt_stat_name`, else the name. */
  readonly observabilityName: string;
  /** `circuit_breakers.thresholds` by routing priority, with Envoy's defaults (1024, 1024, 1024, 3) where unset. */
  readonly circuitBreakers: { readonly default: CircuitBreakerStatus; readonly high: CircuitBreakerStatus };
  /** Every host, whatever its health. */
  readonly hosts: readonly HostStatus[];
}

const HEALTHY: readonly string[] = Object.freeze(['healthy']);
const FAILED_EDS: readonly string[] = Object.freeze(['/failed_eds_health']);
const DEGRADED_EDS: readonly string[] = Object.freeze(['/degraded_eds_health']);

/** Envoy's health flags of a host whose only health source is its EDS `health_status`. */
export function healthFlagsOf(status: HealthStatus): readonly string[] {
  switch (status) {
    case 'unknown':
    case 'healthy':
      return HEALTHY;
    case 'degraded':
      return DEGRADED_EDS;
    case 'unhealthy':
    case 'draining':
    case 'timeout':
      return FAILED_EDS;
    default:
      return HEALTHY;
  }
}

function hostStatus(host: UpstreamHost): HostStatus {
  const c = host.counters;
  return {
    address: host.label,
    hostname: host.hostname,
    weight: host.weight,
    priority: host.priority,
    region: host.locality?.region ?? '',
    zone: host.locality?.zone ?? '',
    subZone: host.locality?.subZone ?? '',
    healthFlags: [...healthFlagsOf(host.healthStatus)],
    stats: {
      cx_active: c.cx_active,
      cx_connect_fail: c.cx_connect_fail,
      cx_total: c.cx_total,
      rq_active: c.rq_active,
      rq_error: c.rq_error,
      rq_success: c.rq_success,
      rq_timeout: c.rq_timeout,
      rq_total: c.rq_total,
    },
  };
}

function breakers(limits: ClusterLimits): CircuitBreakerStatus {
  return { maxConnections: limits.maxConnections, maxPendingRequests: limits.maxPendingRequests, maxRequests: limits.maxRequests, maxRetries: limits.maxRetries };
}

/** A cluster's {@link ClusterStatus} now (a copy: later changes do not show in it). */
export function clusterStatus(cluster: UpstreamCluster): ClusterStatus {
  const configured = clusterLimits(cluster.config.circuitBreakers, 1);
  return {
    name: cluster.name,
    observabilityName: cluster.observabilityName,
    circuitBreakers: { default: breakers(configured.default), high: breakers(configured.high) },
    hosts: cluster.hosts.map(hostStatus),
  };
}
