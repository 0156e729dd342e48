import type { DescMessage, Message } from '@bufbuild/protobuf';
import { FieldPath, makeIssue, typeRegistry, type DecodeIssue, type LazyTypeRegistry, type SourceDocument } from '@orion/data-plane-api';
import { ClusterSchema, type Cluster as ClusterProto } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema, type ClusterLoadAssignment as ClaProto } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema, type Listener as ListenerProto } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema, type RouteConfiguration as RouteConfigurationProto } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { SecretSchema, type Secret as SecretProto } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { validateMessage } from './check/validate-message.js';
import { resolveAnyTypes } from './support/resolve-any-types.js';
import { configurationError } from './configuration-error.js';
import { ConversionContext } from './convert/conversion-context.js';
import { convertClusterMessage } from './convert/convert-cluster.js';
import { convertClusterLoadAssignmentMessage } from './convert/convert-cluster-load-assignment.js';
import { convertListenerMessage } from './convert/convert-listener.js';
import { convertRouteConfiguration as convertRouteTable } from './convert/convert-route-configuration.js';
import { convertSecretMessage } from './convert/convert-secret.js';
import type { Cluster } from './model/cluster.js';
import type { ClusterLoadAssignment } from './model/cluster-load-assignment.js';
import type { Listener } from './model/listener.js';
import type { RouteConfiguration } from './model/route-configuration.js';
import type { Secret } from './model/secret.js';

/**
 * Options for the single-resource converters: xDS resources decoded from binary (nested `typed_config` types are
 * loaded and `TypedStruct`s of implemented extensions unwrapped), or resources decoded from a document.
 */
export interface ConvertResourceOptions {
  /** The document the resource was decoded from, to locate issues. */
  readonly document?: SourceDocument;
  /** Where the resource sits (default: the root). Issue paths start here. */
  readonly at?: FieldPath;
  /** Resolves `typed_config` types (loaded as needed). Default: @orion/data-plane-api's. */
  readonly registry?: LazyTypeRegistry;
  /** Relative data-source files are resolved against this directory. Default `process.cwd()`. */
  readonly baseDirectory?: string;
  /** The environment data sources may read. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A converted resource and the remarks that did not refuse it. */
export interface Converted<T> {
  readonly value: T;
  readonly warnings: readonly DecodeIssue[];
  /** Ignored fields that were set (debug level). */
  readonly ignored: readonly DecodeIssue[];
}

async function convert<T>(desc: DescMessage, message: Message, what: string, options: ConvertResourceOptions, run: (at: FieldPath, ctx: ConversionContext) => T): Promise<Converted<T>> {
  const at = options.at ?? FieldPath.root;
  const registry = options.registry ?? typeRegistry;
  const ctx = new ConversionContext((path, text) => makeIssue(path, text, options.document), registry);
  for (const problem of await resolveAnyTypes(desc, message, at, registry)) ctx.error(problem.path, problem.message);
  const ignored: DecodeIssue[] = [];
  validateMessage(desc, message, at, ctx, { baseDirectory: options.baseDirectory ?? process.cwd(), env: options.env ?? process.env, ignored });
  const value = run(at, ctx);
  if (ctx.issues.length > 0) throw configurationError(ctx.issues, what);
  return { value, warnings: ctx.warnings, ignored };
}

/**
 * Validates and converts one `envoy.config.listener.v3.Listener` (LDS resource or static listener).
 * @throws OrionError `ORION_ERR_CONFIG_INVALID` listing every issue.
 */
export function convertListener(message: ListenerProto, options: ConvertResourceOptions = {}): Promise<Converted<Listener>> {
  return convert(ListenerSchema, message, `listener ${JSON.stringify(message.name)}`, options, (at, ctx) => convertListenerMessage(message, at, ctx));
}

/**
 * Validates and converts one `envoy.config.cluster.v3.Cluster` (CDS resource or static cluster).
 * @throws OrionError `ORION_ERR_CONFIG_INVALID` listing every issue.
 */
export function convertCluster(message: ClusterProto, options: ConvertResourceOptions = {}): Promise<Converted<Cluster>> {
  return convert(ClusterSchema, message, `cluster ${JSON.stringify(message.name)}`, options, (at, ctx) => convertClusterMessage(message, at, ctx));
}

/**
 * Validates and converts one `envoy.config.route.v3.RouteConfiguration` (an RDS resource: `validate_clusters`
 * defaults to false).
 * @throws OrionError `ORION_ERR_CONFIG_INVALID` listing every issue.
 */
export function convertRouteConfiguration(message: RouteConfigurationProto, options: ConvertResourceOptions = {}): Promise<Converted<RouteConfiguration>> {
  return convert(RouteConfigurationSchema, message, `route configuration ${JSON.stringify(message.name)}`, options, (at, ctx) => convertRouteTable(message, at, ctx, false));
}

/**
 * Validates and converts one `envoy.config.endpoint.v3.ClusterLoadAssignment` (an EDS resource).
 * @throws OrionError `ORION_ERR_CONFIG_INVALID` listing every issue.
 */
export function convertClusterLoadAssignment(message: ClaProto, options: ConvertResourceOptions = {}): Promise<Converted<ClusterLoadAssignment>> {
  return convert(ClusterLoadAssignmentSchema, message, `load assignment ${JSON.stringify(message.clusterName)}`, options, (at, ctx) => convertClusterLoadAssignmentMessage(message, at, ctx));
}

/**
 * Validates and converts one `envoy.extensions.transport_sockets.tls.v3.Secret` (an SDS resource).
 * @throws OrionError `ORION_ERR_CONFIG_INVALID` listing every issue.
 */
export function convertSecret(message: SecretProto, options: ConvertResourceOptions = {}): Promise<Converted<Secret>> {
  return convert(SecretSchema, message, `secret ${JSON.stringify(message.name)}`, options, (at, ctx) => {
    const secret = convertSecretMessage(message, at, ctx);
    return secret ?? { type: 'validationContext', name: message.name, trustedCa: { type: 'inlineString', value: '' } };
  });
}
