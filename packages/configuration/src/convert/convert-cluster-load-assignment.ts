import type { FieldPath } from '@orion/data-plane-api';
import { HealthStatus as HealthStatusProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/health_check_pb.js';
import type { ClusterLoadAssignment as ClaProto } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import type { ClusterLoadAssignment, HealthStatus, LbEndpoint, LocalityLbEndpoints } from '../model/cluster-load-assignment.js';
import { convertAddress, convertLocality } from './convert-common.js';
import type { ConversionContext } from './conversion-context.js';

const HEALTH: Readonly<Record<HealthStatusProto, HealthStatus>> = {
  [HealthStatusProto.UNKNOWN]: 'unknown',
  [HealthStatusProto.HEALTHY]: 'healthy',
  [HealthStatusProto.UNHEALTHY]: 'unhealthy',
  [HealthStatusProto.DRAINING]: 'draining',
  [HealthStatusProto.TIMEOUT]: 'timeout',
  [HealthStatusProto.DEGRADED]: 'degraded',
};

/** `envoy.config.endpoint.v3.ClusterLoadAssignment` → {@link ClusterLoadAssignment}. */
export function convertClusterLoadAssignmentMessage(cla: ClaProto, path: FieldPath, ctx: ConversionContext): ClusterLoadAssignment {
  const localities: LocalityLbEndpoints[] = cla.endpoints.map((l, i) => {
    const at = path.field('endpoints').index(i);
    const endpoints: LbEndpoint[] = [];
    l.lbEndpoints.forEach((e, j) => {
      const eAt = at.field('lb_endpoints').index(j);
      if (e.hostIdentifier.case !== 'endpoint') {
        if (e.hostIdentifier.case === undefined) ctx.error(eAt, 'endpoint is required');
        return;
      }
      endpoints.push({
        address: convertAddress(e.hostIdentifier.value.address, eAt.field('endpoint').field('address'), ctx),
        hostname: e.hostIdentifier.value.hostname,
        healthStatus: HEALTH[e.healthStatus] ?? 'unknown',
        loadBalancingWeight: e.loadBalancingWeight ?? 1,
      });
    });
    return {
      ...(l.locality === undefined ? {} : { locality: convertLocality(l.locality) }),
      endpoints,
      ...(l.loadBalancingWeight === undefined ? {} : { loadBalancingWeight: l.loadBalancingWeight }),
      priority: l.priority,
    };
  });
  checkPriorities(localities, path, ctx);
  return { clusterName: cla.clusterName, localities, overprovisioningFactor: cla.policy?.overprovisioningFactor ?? 140 };
}

/** Envoy requires priorities to be contiguous from 0. */
function checkPriorities(localities: readonly LocalityLbEndpoints[], path: FieldPath, ctx: ConversionContext): void {
  const priorities = new Set(localities.map((l) => l.priority));
  for (let p = 0; p < priorities.size; p++) {
    if (!priorities.has(p)) {
      ctx.error(path.field('endpoints'), `priorities must be contiguous from 0: priority ${p} has no endpoints`);
      return;
    }
  }
}
