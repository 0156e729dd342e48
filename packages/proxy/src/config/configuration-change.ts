import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret } from '@orion/configuration';

/** A listener added, replaced (its old connections drain) or removed. Envoy: an LDS update. */
export type ListenerConfigurationChange =
  | { readonly type: 'listener'; readonly kind: 'added' | 'updated'; readonly listener: Listener }
  | { readonly type: 'listener'; readonly kind: 'removed'; readonly name: string };

/**
 * A new route table for one HTTP connection manager of a listener, swapped in without touching its connections.
 * Envoy sends these over RDS; Orion also sends one when a listener's inline `route_config` is the only thing that
 * changed.
 */
export interface RouteConfigurationChange {
  readonly type: 'route';
  readonly kind: 'updated';
  /** The listener's name. */
  readonly listener: string;
  /** The filter chain's position in `filter_chains`, or `default` for `default_filter_chain`. */
  readonly filterChain: number | 'default';
  readonly routeConfiguration: RouteConfiguration;
}

/** A cluster added, replaced or removed. Envoy: a CDS update. */
export type ClusterConfigurationChange =
  | { readonly type: 'cluster'; readonly kind: 'added' | 'updated'; readonly cluster: Cluster }
  | { readonly type: 'cluster'; readonly kind: 'removed'; readonly name: string };

/** The endpoints of an EDS cluster replaced or withdrawn. Envoy: an EDS update. */
export type EndpointConfigurationChange =
  | { readonly type: 'endpoint'; readonly kind: 'updated'; readonly loadAssignment: ClusterLoadAssignment }
  | { readonly type: 'endpoint'; readonly kind: 'removed'; readonly clusterName: string };

/** A secret added, replaced or removed. Envoy: an SDS update. */
export type SecretConfigurationChange =
  | { readonly type: 'secret'; readonly kind: 'added' | 'updated'; readonly secret: Secret }
  | { readonly type: 'secret'; readonly kind: 'removed'; readonly name: string };

/** One change event the primary sends to every worker (plain data). */
export type ConfigurationChange = ListenerConfigurationChange | RouteConfigurationChange | ClusterConfigurationChange | EndpointConfigurationChange | SecretConfigurationChange;
