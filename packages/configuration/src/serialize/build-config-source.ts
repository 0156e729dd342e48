import { create } from '@bufbuild/protobuf';
import {
  ApiConfigSource_ApiType,
  ApiConfigSourceSchema,
  ApiVersion,
  ConfigSourceSchema,
  type ApiConfigSource as ApiConfigSourceProto,
  type ConfigSource as ConfigSourceProto,
} from '@orion/data-plane-api/gen/envoy/config/core/v3/config_source_pb.js';
import { GrpcServiceSchema, type GrpcService as GrpcServiceProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/grpc_service_pb.js';
import type { ApiConfigSource, ConfigSource, GrpcService } from '../model/config-source.js';
import { buildHeaderValue, durationUnlessDefault } from './build-common.js';

/** {@link GrpcService} → `envoy.config.core.v3.GrpcService` with `envoy_grpc` (`authority` only when it is not the cluster name). */
export function buildGrpcService(service: GrpcService): GrpcServiceProto {
  return create(GrpcServiceSchema, {
    targetSpecifier: {
      case: 'envoyGrpc',
      value: { clusterName: service.clusterName, authority: service.authority === service.clusterName ? '' : service.authority },
    },
    timeout: durationUnlessDefault(service.timeoutMs, 0),
    initialMetadata: service.initialMetadata.map(buildHeaderValue),
  });
}

/**
 * {@link ApiConfigSource} → `envoy.config.core.v3.ApiConfigSource`: `api_type` GRPC or DELTA_GRPC and
 * `transport_api_version: V3` (the only version Orion accepts; the model does not keep whether it was written).
 */
export function buildApiConfigSource(source: ApiConfigSource): ApiConfigSourceProto {
  return create(ApiConfigSourceSchema, {
    apiType: source.transport === 'delta' ? ApiConfigSource_ApiType.DELTA_GRPC : ApiConfigSource_ApiType.GRPC,
    transportApiVersion: ApiVersion.V3,
    grpcServices: source.grpcServices.map(buildGrpcService),
    setNodeOnFirstMessageOnly: source.setNodeOnFirstMessageOnly,
  });
}

/** {@link ConfigSource} → `envoy.config.core.v3.ConfigSource` (`resource_api_version: V3`). */
export function buildConfigSource(source: ConfigSource): ConfigSourceProto {
  return create(ConfigSourceSchema, {
    configSourceSpecifier: source.type === 'ads' ? { case: 'ads', value: {} } : { case: 'apiConfigSource', value: buildApiConfigSource(source.apiConfigSource) },
    initialFetchTimeout: durationUnlessDefault(source.initialFetchTimeoutMs, 15_000),
    resourceApiVersion: ApiVersion.V3,
  });
}
