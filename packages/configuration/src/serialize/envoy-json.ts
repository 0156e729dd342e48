import { createRegistry, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { BootstrapSchema } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { FileAccessLogSchema } from '@orion/data-plane-api/gen/envoy/extensions/access_loggers/file/v3/file_pb.js';
import { StderrAccessLogSchema, StdoutAccessLogSchema } from '@orion/data-plane-api/gen/envoy/extensions/access_loggers/stream/v3/stream_pb.js';
import { RouterSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/http/router/v3/router_pb.js';
import { TlsInspectorSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.js';
import { HttpConnectionManagerSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { TcpProxySchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.js';
import { SinkConfigSchema } from '@orion/data-plane-api/gen/envoy/extensions/stat_sinks/open_telemetry/v3/open_telemetry_pb.js';
import { SecretSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { HttpProtocolOptionsSchema } from '@orion/data-plane-api/gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
import type { JsonObject } from '../model/json-value.js';
import { printMessage } from './print-message.js';
import { redactSensitive } from './redact-sensitive.js';
import type { SerializeOptions } from './serialize-options.js';

/** Every message type the serialisers put in an `Any` (and the resources themselves), to print `@type`s. */
const registry = createRegistry(
  BootstrapSchema,
  ListenerSchema,
  ClusterSchema,
  RouteConfigurationSchema,
  ClusterLoadAssignmentSchema,
  SecretSchema,
  HttpConnectionManagerSchema,
  RouterSchema,
  TcpProxySchema,
  TlsInspectorSchema,
  FileAccessLogSchema,
  StdoutAccessLogSchema,
  StderrAccessLogSchema,
  HttpProtocolOptionsSchema,
  SinkConfigSchema,
);

/**
 * Prints an Envoy message as Envoy's admin does: proto3 JSON with the original (snake_case) field names, fields in
 * field-number order, default values left out, `@type` on every `Any`, sensitive fields redacted unless
 * `redactSensitive: false`. `message` is redacted in place: build it for this call only.
 */
export function printEnvoyJson<Desc extends DescMessage>(desc: Desc, message: MessageShape<Desc>, options: SerializeOptions = {}): JsonObject {
  if (options.redactSensitive !== false) redactSensitive(desc, message, registry);
  return printMessage(desc, message, registry) as JsonObject;
}
