import { create } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { Cluster_DiscoveryType, ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { HttpConnectionManagerSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { describe, expect, it } from 'vitest';
import { endpointNameOfCluster, routeNamesOfListener } from '../src/index.js';

function hcm(route: string) {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    configType: {
      case: 'typedConfig' as const,
      value: anyPack(HttpConnectionManagerSchema, create(HttpConnectionManagerSchema, { routeSpecifier: { case: 'rds', value: { routeConfigName: route } } })),
    },
  };
}

describe('resource references', () => {
  it('finds the RDS names of every HTTP connection manager of a listener', () => {
    const listener = create(ListenerSchema, {
      name: 'l',
      filterChains: [{ filters: [hcm('a')] }, { filters: [hcm('b'), hcm('a')] }],
      defaultFilterChain: { filters: [hcm('c')] },
    });
    expect(routeNamesOfListener(listener).sort()).toEqual(['a', 'b', 'c']);
    expect(routeNamesOfListener(create(ListenerSchema, { name: 'tcp' }))).toEqual([]);
  });

  it('names the ClusterLoadAssignment of an EDS cluster only', () => {
    const eds = create(ClusterSchema, { name: 'c', clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS } });
    expect(endpointNameOfCluster(eds)).toBe('c');
    const named = create(ClusterSchema, { name: 'c', clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS }, edsClusterConfig: { serviceName: 'svc' } });
    expect(endpointNameOfCluster(named)).toBe('svc');
    expect(endpointNameOfCluster(create(ClusterSchema, { name: 's', clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.STATIC } }))).toBeUndefined();
  });
});
