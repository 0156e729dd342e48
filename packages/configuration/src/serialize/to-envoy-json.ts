import { BootstrapSchema } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { SecretSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import type { Bootstrap } from '../model/bootstrap.js';
import type { Cluster } from '../model/cluster.js';
import type { ClusterLoadAssignment } from '../model/cluster-load-assignment.js';
import type { JsonObject } from '../model/json-value.js';
import type { Listener } from '../model/listener.js';
import type { RouteConfiguration } from '../model/route-configuration.js';
import type { Secret } from '../model/secret.js';
import { buildBootstrap } from './build-bootstrap.js';
import { buildCluster, buildClusterLoadAssignment } from './build-cluster.js';
import { buildListener } from './build-listener.js';
import { buildRouteConfiguration } from './build-route-configuration.js';
import { buildSecret } from './build-secret.js';
import { printEnvoyJson } from './envoy-json.js';
import type { SerializeOptions } from './serialize-options.js';

/**
 * Orion's configuration as an `envoy.config.bootstrap.v3.Bootstrap` in proto3 JSON, as Envoy's admin
 * `/config_dump` prints it (snake_case names, `@type` on every `Any`, defaults left out, sensitive fields redacted
 * unless `redactSensitive: false`): `node`, `admin`, `static_resources`, `dynamic_resources`, `stats_sinks`,
 * `stats_flush_interval` and `stats_config`. Orion's `runtime` and `logging` sections are not Envoy fields and are left out.
 * Loading the result with `loadConfiguration` gives back the same model (runtime and logging aside).
 */
export function bootstrapToEnvoyJson(bootstrap: Bootstrap, options?: SerializeOptions): JsonObject {
  return printEnvoyJson(BootstrapSchema, buildBootstrap(bootstrap), options);
}

/** A {@link Listener} as an `envoy.config.listener.v3.Listener` in Envoy's admin JSON (see {@link bootstrapToEnvoyJson}). */
export function listenerToEnvoyJson(listener: Listener, options?: SerializeOptions): JsonObject {
  return printEnvoyJson(ListenerSchema, buildListener(listener), options);
}

/** A {@link Cluster} as an `envoy.config.cluster.v3.Cluster` in Envoy's admin JSON (see {@link bootstrapToEnvoyJson}). */
export function clusterToEnvoyJson(cluster: Cluster, options?: SerializeOptions): JsonObject {
  return printEnvoyJson(ClusterSchema, buildCluster(cluster), options);
}

/**
 * A {@link RouteConfiguration} as an `envoy.config.route.v3.RouteConfiguration` in Envoy's admin JSON, as an RDS
 * resource: `validate_clusters` is printed when true (its RDS default is false).
 */
export function routeConfigurationToEnvoyJson(rc: RouteConfiguration, options?: SerializeOptions): JsonObject {
  return printEnvoyJson(RouteConfigurationSchema, buildRouteConfiguration(rc, false), options);
}

/** A {@link ClusterLoadAssignment} as an `envoy.config.endpoint.v3.ClusterLoadAssignment` in Envoy's admin JSON. */
export function clusterLoadAssignmentToEnvoyJson(cla: ClusterLoadAssignment, options?: SerializeOptions): JsonObject {
  return printEnvoyJson(ClusterLoadAssignmentSchema, buildClusterLoadAssignment(cla), options);
}

/**
 * A {@link Secret} as an `envoy.extensions.transport_sockets.tls.v3.Secret` in Envoy's admin JSON: with redaction
 * on (the default), a private key or password given inline or by environment variable is printed as
 * `{ "inline_string": "[redacted]" }`; one read from a file keeps its `filename`.
 */
export function secretToEnvoyJson(secret: Secret, options?: SerializeOptions): JsonObject {
  return printEnvoyJson(SecretSchema, buildSecret(secret), options);
}
