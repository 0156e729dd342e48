import { create } from '@bufbuild/protobuf';
import type { FieldPath } from '@orion/data-plane-api';
import { RouteConfigurationSchema } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import type { Router } from '@orion/data-plane-api/gen/envoy/extensions/filters/http/router/v3/router_pb.js';
import {
  HttpConnectionManager_CodecType,
  type HttpConnectionManager as HcmProto,
} from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import type { HcmTracing, HttpConnectionManager, HttpFilter, RouteSpecifier } from '../model/http-connection-manager.js';
import { ExtensionType } from '../support/support-table.js';
import { convertAccessLogs } from './convert-access-log.js';
import { convertConfigSource } from './convert-config-source.js';
import { convertCommonHttpProtocolOptions, convertHttp1ProtocolOptions, convertHttp2ProtocolOptions } from './convert-http-protocol-options.js';
import { convertUpgradeConfig } from './convert-route-action.js';
import { convertRouteConfiguration } from './convert-route-configuration.js';
import type { ConversionContext } from './conversion-context.js';
import { durationMs } from './proto-values.js';
import { unpackExtension } from './unpack-extension.js';

/** `HttpConnectionManager` → {@link HttpConnectionManager}. */
export function convertHttpConnectionManager(name: string, hcm: HcmProto, path: FieldPath, ctx: ConversionContext): HttpConnectionManager {
  let codecType: HttpConnectionManager['codecType'] = 'auto';
  switch (hcm.codecType) {
    case HttpConnectionManager_CodecType.AUTO:
      codecType = 'auto';
      break;
    case HttpConnectionManager_CodecType.HTTP1:
      codecType = 'http1';
      break;
    case HttpConnectionManager_CodecType.HTTP2:
      codecType = 'http2';
      break;
    default:
      ctx.error(path.field('codec_type'), `codec_type ${HttpConnectionManager_CodecType[hcm.codecType] ?? hcm.codecType} is not implemented`);
  }
  return {
    type: 'httpConnectionManager',
    name,
    codecType,
    statPrefix: hcm.statPrefix,
    routeSpecifier: convertRouteSpecifier(hcm, path, ctx),
    httpFilters: convertHttpFilters(hcm, path, ctx),
    accessLogs: convertAccessLogs(hcm.accessLog, path.field('access_log'), ctx),
    requestTimeoutMs: durationMs(hcm.requestTimeout, 0),
    requestHeadersTimeoutMs: durationMs(hcm.requestHeadersTimeout, 0),
    streamIdleTimeoutMs: durationMs(hcm.streamIdleTimeout, 300_000),
    drainTimeoutMs: durationMs(hcm.drainTimeout, 5000),
    commonHttpProtocolOptions: convertCommonHttpProtocolOptions(hcm.commonHttpProtocolOptions),
    http1ProtocolOptions: convertHttp1ProtocolOptions(hcm.httpProtocolOptions),
    http2ProtocolOptions: convertHttp2ProtocolOptions(hcm.http2ProtocolOptions),
    useRemoteAddress: hcm.useRemoteAddress ?? false,
    xffNumTrustedHops: hcm.xffNumTrustedHops,
    skipXffAppend: hcm.skipXffAppend,
    generateRequestId: hcm.generateRequestId ?? true,
    preserveExternalRequestId: hcm.preserveExternalRequestId,
    alwaysSetRequestIdInResponse: hcm.alwaysSetRequestIdInResponse,
    serverName: hcm.serverName === '' ? 'envoy' : hcm.serverName,
    maxRequestHeadersKb: hcm.maxRequestHeadersKb ?? 60,
    upgradeConfigs: hcm.upgradeConfigs.map(convertUpgradeConfig),
    stripPortMode: hcm.stripMatchingHostPort ? 'matching' : hcm.stripPortMode.case === 'stripAnyHostPort' && hcm.stripPortMode.value ? 'any' : 'none',
    ...(hcm.tracing === undefined ? {} : { tracing: convertTracing(hcm.tracing) }),
  };
}

/** `HttpConnectionManager.Tracing` → {@link HcmTracing}; a `provider` is refused by the support check. */
function convertTracing(tracing: NonNullable<HcmProto['tracing']>): HcmTracing {
  return {
    clientSamplingPercent: tracing.clientSampling?.value ?? 100,
    randomSamplingPercent: tracing.randomSampling?.value ?? 100,
    overallSamplingPercent: tracing.overallSampling?.value ?? 100,
  };
}

function convertRouteSpecifier(hcm: HcmProto, path: FieldPath, ctx: ConversionContext): RouteSpecifier {
  const spec = hcm.routeSpecifier;
  switch (spec.case) {
    case 'routeConfig':
      return { type: 'inline', routeConfiguration: convertRouteConfiguration(spec.value, path.field('route_config'), ctx, true) };
    case 'rds':
      return {
        type: 'rds',
        routeConfigName: spec.value.routeConfigName,
        configSource: convertConfigSource(spec.value.configSource, path.field('rds').field('config_source'), ctx),
      };
    default:
      // scoped_routes is reported by the support check; a missing specifier by the PGV rules.
      return { type: 'inline', routeConfiguration: convertRouteConfiguration(create(RouteConfigurationSchema), path, ctx, true) };
  }
}

/**
 * The HTTP filter chain: disabled filters and optional unimplemented ones are left out (the support check warns);
 * the router must come last; with no filters at all the router is implied.
 */
function convertHttpFilters(hcm: HcmProto, path: FieldPath, ctx: ConversionContext): HttpFilter[] {
  const at = path.field('http_filters');
  if (hcm.httpFilters.length === 0) return [{ type: 'router', name: 'envoy.filters.http.router', suppressEnvoyHeaders: false }];
  const filters: HttpFilter[] = [];
  let routerAt: FieldPath | undefined;
  hcm.httpFilters.forEach((filter, i) => {
    if (filter.disabled) return;
    const any = filter.configType.case === 'typedConfig' ? filter.configType.value : undefined;
    const { typeName, message } = unpackExtension(any, ctx);
    if (typeName !== ExtensionType.ROUTER || message === undefined) return;
    const filterAt = at.index(i, filter.name);
    if (routerAt !== undefined) ctx.error(filterAt, 'the router must be the last HTTP filter, and appear once');
    routerAt = filterAt;
    filters.push({ type: 'router', name: filter.name, suppressEnvoyHeaders: (message as Router).suppressEnvoyHeaders });
  });
  if (routerAt === undefined) ctx.error(at, 'the last HTTP filter must be the router (envoy.extensions.filters.http.router.v3.Router)');
  else {
    const lastIndex = hcm.httpFilters.findLastIndex((f) => !f.disabled);
    const last = hcm.httpFilters[lastIndex];
    const lastType = unpackExtension(last?.configType.case === 'typedConfig' ? last.configType.value : undefined, ctx).typeName;
    if (lastType !== ExtensionType.ROUTER && last?.isOptional !== true) ctx.error(at.index(lastIndex, last?.name), 'the router must be the last HTTP filter');
  }
  return filters;
}
