import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { Cluster_DiscoveryType, type Cluster } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import type { FilterChain } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_components_pb.js';
import type { Listener } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { HttpConnectionManagerSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';

/** Type URL of the HTTP connection manager network filter's config. */
const HCM_TYPE_URL = `type.googleapis.com/${HttpConnectionManagerSchema.typeName}`;

/**
 * The RouteConfiguration names a listener asks for: the `rds.route_config_name` of every HTTP connection
 * manager in its filter chains (and default filter chain).
 */
export function routeNamesOfListener(listener: Listener): string[] {
  const chains: FilterChain[] = [...listener.filterChains, ...(listener.defaultFilterChain === undefined ? [] : [listener.defaultFilterChain])];
  const names = new Set<string>();
  for (const chain of chains) {
    for (const filter of chain.filters) {
      if (filter.configType.case !== 'typedConfig' || filter.configType.value.typeUrl !== HCM_TYPE_URL) continue;
      const hcm = anyUnpack(filter.configType.value, HttpConnectionManagerSchema);
      if (hcm?.routeSpecifier.case === 'rds' && hcm.routeSpecifier.value.routeConfigName !== '') names.add(hcm.routeSpecifier.value.routeConfigName);
    }
  }
  return [...names];
}

/**
 * The ClusterLoadAssignment name an EDS cluster asks for (`eds_cluster_config.service_name`, else the
 * cluster name); undefined for other cluster types.
 */
export function endpointNameOfCluster(cluster: Cluster): string | undefined {
  const type = cluster.clusterDiscoveryType;
  if (type.case !== 'type' || type.value !== Cluster_DiscoveryType.EDS) return undefined;
  const serviceName = cluster.edsClusterConfig?.serviceName ?? '';
  return serviceName !== '' ? serviceName : cluster.name;
}
