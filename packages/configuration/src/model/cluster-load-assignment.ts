import type { Address } from './address.js';

/**
 * The endpoints of a cluster. Envoy: `envoy.config.endpoint.v3.ClusterLoadAssignment` with `cluster_name`,
 * `endpoints` and `policy.overprovisioning_factor` (other policy fields and `named_endpoints` are rejected).
 */
export interface ClusterLoadAssignment {
  /** `cluster_name`. Inside a cluster it defaults to the cluster's name (an Orion extension). */
  readonly clusterName: string;
  /** `endpoints`, grouped by locality and priority. */
  readonly localities: readonly LocalityLbEndpoints[];
  /** `policy.overprovisioning_factor`, in percent. Default 140. */
  readonly overprovisioningFactor: number;
}

/** Endpoints of one locality at one priority. Envoy: `envoy.config.endpoint.v3.LocalityLbEndpoints` (`metadata` ignored). */
export interface LocalityLbEndpoints {
  /** `locality`. */
  readonly locality?: Locality;
  /** `lb_endpoints`. */
  readonly endpoints: readonly LbEndpoint[];
  /** `load_balancing_weight` of the locality. Undefined: not set (locality weighting off). */
  readonly loadBalancingWeight?: number;
  /** `priority`; 0 is the highest. Default 0. */
  readonly priority: number;
}

/** Where a proxy or endpoint runs. Envoy: `envoy.config.core.v3.Locality`. */
export interface Locality {
  readonly region: string;
  readonly zone: string;
  readonly subZone: string;
}

/** One endpoint. Envoy: `envoy.config.endpoint.v3.LbEndpoint` + `Endpoint` (`metadata` ignored). */
export interface LbEndpoint {
  /** `endpoint.address`. */
  readonly address: Address;
  /** `endpoint.hostname` (used by `auto_host_rewrite`). Default `""`. */
  readonly hostname: string;
  /** `health_status`. Default `unknown` (counts as healthy). */
  readonly healthStatus: HealthStatus;
  /** `load_balancing_weight`. Default 1. */
  readonly loadBalancingWeight: number;
}

/** Envoy: `envoy.config.core.v3.HealthStatus`, in lower camel case. */
export type HealthStatus = 'unknown' | 'healthy' | 'unhealthy' | 'draining' | 'timeout' | 'degraded';
