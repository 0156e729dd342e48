import { isIP } from 'node:net';
import type { ClusterLoadAssignment } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../../error-codes.js';
import type { HostSpec } from '../upstream-host.js';

/**
 * The hosts of a load assignment whose socket addresses are IP literals (STATIC clusters and EDS).
 * Envoy: `ClusterLoadAssignment.endpoints[].lb_endpoints[]`. Throws `ORION_ERR_LIB_CLUSTER_INVALID` for a host
 * name (only DNS clusters resolve names) or a port outside 1–65535.
 */
export function hostsFromLoadAssignment(assignment: ClusterLoadAssignment): HostSpec[] {
  const specs: HostSpec[] = [];
  for (const locality of assignment.localities) {
    for (const endpoint of locality.endpoints) {
      const address = endpoint.address;
      if (address.type === 'socket') {
        if (isIP(address.host) === 0) {
          throw new OrionError(LibErrorCode.CLUSTER_INVALID, `endpoint address ${JSON.stringify(address.host)} is not an IP address`);
        }
        checkPort(address.port);
        specs.push({
          address: { type: 'socket', host: address.host, port: address.port },
          hostname: endpoint.hostname,
          weight: endpoint.loadBalancingWeight,
          priority: locality.priority,
          locality: locality.locality,
          healthStatus: endpoint.healthStatus,
        });
      } else {
        specs.push({
          address: { type: 'pipe', path: address.path },
          hostname: endpoint.hostname,
          weight: endpoint.loadBalancingWeight,
          priority: locality.priority,
          locality: locality.locality,
          healthStatus: endpoint.healthStatus,
        });
      }
    }
  }
  return specs;
}

/** Throws `ORION_ERR_LIB_CLUSTER_INVALID` unless `port` is 1–65535. */
export function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new OrionError(LibErrorCode.CLUSTER_INVALID, `endpoint port ${port} is not in 1-65535`);
  }
}
