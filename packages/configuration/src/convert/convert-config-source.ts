import type { FieldPath } from '@orion/data-plane-api';
import { ApiConfigSource_ApiType, ApiVersion, type ApiConfigSource as ApiConfigSourceProto, type ConfigSource as ConfigSourceProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/config_source_pb.js';
import type { GrpcService as GrpcServiceProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/grpc_service_pb.js';
import type { ApiConfigSource, ConfigSource, GrpcService } from '../model/config-source.js';
import { convertHeaderValue } from './convert-common.js';
import type { ConversionContext } from './conversion-context.js';
import { durationMs } from './proto-values.js';

/** `envoy.config.core.v3.GrpcService` (with `envoy_grpc`) → {@link GrpcService}. */
export function convertGrpcService(service: GrpcServiceProto | undefined, path: FieldPath, ctx: ConversionContext): GrpcService {
  const envoyGrpc = service?.targetSpecifier.case === 'envoyGrpc' ? service.targetSpecifier.value : undefined;
  if (envoyGrpc === undefined) ctx.error(path, 'envoy_grpc is required (google_grpc is not implemented)');
  const clusterName = envoyGrpc?.clusterName ?? '';
  return {
    clusterName,
    authority: envoyGrpc?.authority === undefined || envoyGrpc.authority === '' ? clusterName : envoyGrpc.authority,
    timeoutMs: durationMs(service?.timeout, 0),
    initialMetadata: (service?.initialMetadata ?? []).map(convertHeaderValue),
  };
}

/** `envoy.config.core.v3.ApiConfigSource` (GRPC or DELTA_GRPC) → {@link ApiConfigSource}. */
export function convertApiConfigSource(source: ApiConfigSourceProto, path: FieldPath, ctx: ConversionContext): ApiConfigSource {
  let transport: ApiConfigSource['transport'] = 'sotw';
  switch (source.apiType) {
    case ApiConfigSource_ApiType.DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE:
    case ApiConfigSource_ApiType.GRPC:
      transport = 'sotw';
      break;
    case ApiConfigSource_ApiType.DELTA_GRPC:
      transport = 'delta';
      break;
    default:
      ctx.error(path.field('api_type'), `api_type ${ApiConfigSource_ApiType[source.apiType] ?? source.apiType} is not implemented (use GRPC or DELTA_GRPC)`);
  }
  if (source.transportApiVersion === ApiVersion.V2) ctx.error(path.field('transport_api_version'), 'transport_api_version V2 is not supported (use V3)');
  if (source.grpcServices.length === 0) ctx.error(path.field('grpc_services'), 'at least one grpc_services entry is required');
  if (source.grpcServices.length > 1) ctx.warn(path.field('grpc_services'), 'only the first grpc_services entry is used, as in Envoy');
  return {
    transport,
    grpcServices: source.grpcServices.map((g, i) => convertGrpcService(g, path.field('grpc_services').index(i), ctx)),
    setNodeOnFirstMessageOnly: source.setNodeOnFirstMessageOnly,
  };
}

/** `envoy.config.core.v3.ConfigSource` (`ads` or `api_config_source`) → {@link ConfigSource}. */
export function convertConfigSource(source: ConfigSourceProto | undefined, path: FieldPath, ctx: ConversionContext): ConfigSource {
  const initialFetchTimeoutMs = durationMs(source?.initialFetchTimeout, 15_000);
  if (source?.resourceApiVersion === ApiVersion.V2) ctx.error(path.field('resource_api_version'), 'resource_api_version V2 is not supported (use V3)');
  switch (source?.configSourceSpecifier.case) {
    case 'ads':
      return { type: 'ads', initialFetchTimeoutMs };
    case 'apiConfigSource':
      return { type: 'apiConfigSource', apiConfigSource: convertApiConfigSource(source.configSourceSpecifier.value, path.field('api_config_source'), ctx), initialFetchTimeoutMs };
    default:
      ctx.error(path, 'a config source (ads or api_config_source) is required');
      return { type: 'ads', initialFetchTimeoutMs };
  }
}
