import type { Cluster, ClusterDiscovery, ClusterLoadAssignment, HealthStatus, LbPolicy } from '@orion/configuration';
import { DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS } from '@orion/configuration';

/** One endpoint of a test load assignment. */
export interface TestEndpoint {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly weight?: number;
  readonly priority?: number;
  readonly health?: HealthStatus;
  readonly hostname?: string;
}

/** A load assignment with one locality per endpoint. */
export function assignment(endpoints: readonly TestEndpoint[], overprovisioningFactor = 140): ClusterLoadAssignment {
  return {
    clusterName: 'test',
    overprovisioningFactor,
    localities: endpoints.map((e) => ({
      priority: e.priority ?? 0,
      endpoints: [
        {
          address:
            e.path !== undefined
              ? { type: 'pipe', path: e.path, mode: 0 }
              : { type: 'socket', host: e.host ?? '127.0.0.1', port: e.port ?? 80, protocol: 'tcp', ipv4Compat: false },
          hostname: e.hostname ?? '',
          healthStatus: e.health ?? 'unknown',
          loadBalancingWeight: e.weight ?? 1,
        },
      ],
    })),
  };
}

/** A cluster with defaults for everything but its name, discovery and policy. */
export function cluster(name: string, discovery: ClusterDiscovery, lbPolicy: LbPolicy = { type: 'roundRobin' }): Cluster {
  return {
    name,
    statName: '',
    discovery,
    connectTimeoutMs: 1000,
    perConnectionBufferLimitBytes: 1_048_576,
    lbPolicy,
    healthyPanicThresholdPercent: 50,
    httpProtocol: { type: 'http1' },
    commonHttpProtocolOptions: DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS,
    circuitBreakers: [],
  };
}

/** A STATIC cluster. */
export function staticCluster(name: string, endpoints: readonly TestEndpoint[], lbPolicy?: LbPolicy, overprovisioningFactor?: number): Cluster {
  return cluster(name, { type: 'static', loadAssignment: assignment(endpoints, overprovisioningFactor) }, lbPolicy);
}

/** A deterministic random source (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts picks by host label. */
export function tally(pick: () => { label: string } | undefined, n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const label = pick()?.label ?? 'none';
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
