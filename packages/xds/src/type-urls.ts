/** Type URL of `envoy.config.listener.v3.Listener` (LDS). */
export const LISTENER_TYPE_URL = 'type.googleapis.com/envoy.config.listener.v3.Listener';

/** Type URL of `envoy.config.route.v3.RouteConfiguration` (RDS). */
export const ROUTE_CONFIGURATION_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';

/** Type URL of `envoy.config.cluster.v3.Cluster` (CDS). */
export const CLUSTER_TYPE_URL = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';

/** Type URL of `envoy.config.endpoint.v3.ClusterLoadAssignment` (EDS). */
export const CLUSTER_LOAD_ASSIGNMENT_TYPE_URL = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';

/** Type URL of `envoy.extensions.transport_sockets.tls.v3.Secret` (SDS). */
export const SECRET_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

/**
 * Type URL of the `envoy.service.discovery.v3.Resource` wrapper a SotW server may put in
 * `DiscoveryResponse.resources` to carry a name, a version and a TTL next to the resource.
 */
export const RESOURCE_WRAPPER_TYPE_URL = 'type.googleapis.com/envoy.service.discovery.v3.Resource';

/**
 * The short xDS name of a type URL (`LDS`, `RDS`, `CDS`, `EDS`, `SDS`), or the message name for other
 * types. Used in logs and by the CLI.
 */
export function xdsShortName(typeUrl: string): string {
  switch (typeUrl) {
    case LISTENER_TYPE_URL:
      return 'LDS';
    case ROUTE_CONFIGURATION_TYPE_URL:
      return 'RDS';
    case CLUSTER_TYPE_URL:
      return 'CDS';
    case CLUSTER_LOAD_ASSIGNMENT_TYPE_URL:
      return 'EDS';
    case SECRET_TYPE_URL:
      return 'SDS';
    default:
      return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  }
}

/**
 * The order in which a client opens its subscriptions on a new stream: CDS, EDS, LDS, RDS, SDS,
 * then any other type, the order Envoy's xDS protocol document recommends for updates.
 */
export function typeUrlRank(typeUrl: string): number {
  const rank = [CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL].indexOf(typeUrl);
  return rank === -1 ? 5 : rank;
}
