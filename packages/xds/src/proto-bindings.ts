import { fromBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { SecretSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { OrionError } from '@orion/error';
import { ORION_ERR_XDS_RESOURCE_INVALID } from './error-codes.js';
import { readNameField } from './read-name-field.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
} from './type-urls.js';
import type { XdsBinding } from './xds-binding.js';

/** Options for {@link protoBinding}. */
export interface ProtoBindingOptions {
  /** See {@link XdsBinding.wildcard}. Default: false. */
  readonly wildcard?: boolean;
  /** Number of the string field holding the resource name. Default: 1 (`name`, or `cluster_name` of a ClusterLoadAssignment). */
  readonly nameField?: number;
}

/**
 * A binding that decodes resources of `schema` into the generated Envoy message, for tooling that wants
 * raw Envoy resources. The type URL is `type.googleapis.com/<schema.typeName>`.
 */
export function protoBinding<Desc extends DescMessage, U extends string>(
  typeUrl: U,
  schema: Desc,
  options: ProtoBindingOptions = {},
): XdsBinding<MessageShape<Desc>, U> {
  const nameField = options.nameField ?? 1;
  const expected = `type.googleapis.com/${schema.typeName}`;
  if (typeUrl !== expected) {
    throw new OrionError(ORION_ERR_XDS_RESOURCE_INVALID, `type URL ${typeUrl} does not name message ${schema.typeName}`);
  }
  return {
    typeUrl,
    wildcard: options.wildcard ?? false,
    nameOf(resource: Any): string {
      try {
        return readNameField(resource.value, nameField);
      } catch (err) {
        throw new OrionError(ORION_ERR_XDS_RESOURCE_INVALID, `cannot read the name of a ${schema.typeName}`, { cause: err });
      }
    },
    decode(resource: Any): MessageShape<Desc> {
      try {
        return fromBinary(schema, resource.value);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new OrionError(ORION_ERR_XDS_RESOURCE_INVALID, `cannot decode ${schema.typeName}: ${reason}`, { cause: err });
      }
    },
  };
}

/** LDS: decodes `envoy.config.listener.v3.Listener`; a wildcard type. */
export const listenerBinding = protoBinding(LISTENER_TYPE_URL, ListenerSchema, { wildcard: true });

/** RDS: decodes `envoy.config.route.v3.RouteConfiguration`; subscribed by name. */
export const routeConfigurationBinding = protoBinding(ROUTE_CONFIGURATION_TYPE_URL, RouteConfigurationSchema);

/** CDS: decodes `envoy.config.cluster.v3.Cluster`; a wildcard type. */
export const clusterBinding = protoBinding(CLUSTER_TYPE_URL, ClusterSchema, { wildcard: true });

/** EDS: decodes `envoy.config.endpoint.v3.ClusterLoadAssignment`, named by `cluster_name`; subscribed by name. */
export const clusterLoadAssignmentBinding = protoBinding(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, ClusterLoadAssignmentSchema);

/** SDS: decodes `envoy.extensions.transport_sockets.tls.v3.Secret`; subscribed by name. */
export const secretBinding = protoBinding(SECRET_TYPE_URL, SecretSchema);
