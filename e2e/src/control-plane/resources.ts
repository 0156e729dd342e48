import { create, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { AnySchema, DurationSchema, anyPack, type Any } from '@bufbuild/protobuf/wkt';
import { Cluster_DiscoveryType, ClusterSchema, type Cluster } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema, type ClusterLoadAssignment } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema, type Listener } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema, type RouteConfiguration } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { SecretSchema, type Secret } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { HttpConnectionManagerSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { ResourceSchema, type Resource } from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';

/** Type URLs of the five resource types, spelled out so the control plane does not depend on the client. */
export const TYPE_URL = {
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  secret: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
  resource: 'type.googleapis.com/envoy.service.discovery.v3.Resource',
} as const;

/** A resource message the control plane serves. */
export type ServedMessage = Listener | RouteConfiguration | Cluster | ClusterLoadAssignment | Secret;

/** A listener on 127.0.0.1:`port` with `statPrefix` to tell versions apart. */
export function listener(name: string, port = 10_000, statPrefix = name): Listener {
  return create(ListenerSchema, {
    name,
    statPrefix,
    address: { address: { case: 'socketAddress', value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: port } } } },
  });
}

/** A listener whose HTTP connection manager takes its routes from RDS `routeName`. */
export function httpListener(name: string, routeName: string, port = 10_000): Listener {
  const hcm = create(HttpConnectionManagerSchema, {
    statPrefix: name,
    routeSpecifier: { case: 'rds', value: { routeConfigName: routeName, configSource: { configSourceSpecifier: { case: 'ads', value: {} } } } },
  });
  return create(ListenerSchema, {
    name,
    address: { address: { case: 'socketAddress', value: { address: '127.0.0.1', portSpecifier: { case: 'portValue', value: port } } } },
    filterChains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', configType: { case: 'typedConfig', value: anyPack(HttpConnectionManagerSchema, hcm) } }] }],
  });
}

/** An EDS cluster; `connectTimeoutMs` tells versions apart. */
export function cluster(name: string, connectTimeoutMs = 1000): Cluster {
  return create(ClusterSchema, {
    name,
    clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
    edsClusterConfig: { edsConfig: { configSourceSpecifier: { case: 'ads', value: {} } } },
    connectTimeout: { seconds: BigInt(Math.floor(connectTimeoutMs / 1000)), nanos: (connectTimeoutMs % 1000) * 1_000_000 },
  });
}

/** A route configuration with one virtual host routing `/` to `cluster`. */
export function routeConfiguration(name: string, clusterName = 'backend'): RouteConfiguration {
  return create(RouteConfigurationSchema, {
    name,
    virtualHosts: [
      {
        name: 'all',
        domains: ['*'],
        routes: [{ match: { pathSpecifier: { case: 'prefix', value: '/' } }, action: { case: 'route', value: { clusterSpecifier: { case: 'cluster', value: clusterName } } } }],
      },
    ],
  });
}

/** Endpoints of `clusterName` on 127.0.0.1 at `ports`. */
export function clusterLoadAssignment(clusterName: string, ports: readonly number[] = [8080]): ClusterLoadAssignment {
  return create(ClusterLoadAssignmentSchema, {
    clusterName,
    endpoints: [
      {
        lbEndpoints: ports.map((port) => ({
          hostIdentifier: {
            case: 'endpoint' as const,
            value: { address: { address: { case: 'socketAddress' as const, value: { address: '127.0.0.1', portSpecifier: { case: 'portValue' as const, value: port } } } } },
          },
        })),
      },
    ],
  });
}

/** A secret holding a validation context with an inline CA. */
export function secret(name: string, ca = 'ca-1'): Secret {
  return create(SecretSchema, {
    name,
    type: { case: 'validationContext', value: { trustedCa: { specifier: { case: 'inlineString', value: ca } } } },
  });
}

const SCHEMAS: Readonly<Record<string, DescMessage>> = {
  [ListenerSchema.typeName]: ListenerSchema,
  [RouteConfigurationSchema.typeName]: RouteConfigurationSchema,
  [ClusterSchema.typeName]: ClusterSchema,
  [ClusterLoadAssignmentSchema.typeName]: ClusterLoadAssignmentSchema,
  [SecretSchema.typeName]: SecretSchema,
};

/** Packs a served message into an `Any`. */
export function toAny(message: ServedMessage): Any {
  const schema = SCHEMAS[message.$typeName];
  if (schema === undefined) throw new Error(`no schema for ${message.$typeName}`);
  return create(AnySchema, { typeUrl: `type.googleapis.com/${message.$typeName}`, value: toBinary(schema, message as MessageShape<DescMessage>) });
}

/**
 * An `Any` whose bytes do not decode as the named type (a resource the client must reject): field 1
 * (the name of every served type) is `name`, then comes a field with the invalid wire type 7.
 */
export function corruptAny(typeUrl: string, name: string): Any {
  const encoded = new TextEncoder().encode(name);
  return create(AnySchema, { typeUrl, value: new Uint8Array([0x0a, encoded.length, ...encoded, 0x17, 0x00]) });
}

/** Milliseconds as a `google.protobuf.Duration`. */
export function durationOf(ms: number): MessageShape<typeof DurationSchema> {
  return create(DurationSchema, { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 });
}

/** A delta `Resource` (or a SotW wrapper): no `message` makes it a TTL heartbeat. */
export function resourceOf(init: { name: string; version: string; message?: ServedMessage | Any; ttlMs?: number }): Resource {
  const body = init.message === undefined ? {} : { resource: '$typeName' in init.message && init.message.$typeName === 'google.protobuf.Any' ? (init.message as Any) : toAny(init.message as ServedMessage) };
  return create(ResourceSchema, {
    name: init.name,
    version: init.version,
    ...body,
    ...(init.ttlMs === undefined ? {} : { ttl: durationOf(init.ttlMs) }),
  });
}

/** A SotW `Any` wrapping a `Resource` (name, version, TTL next to the resource). */
export function wrappedAny(init: { name: string; version: string; message?: ServedMessage; ttlMs?: number }): Any {
  return create(AnySchema, { typeUrl: TYPE_URL.resource, value: toBinary(ResourceSchema, resourceOf(init)) });
}
