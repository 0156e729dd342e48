import { create } from '@bufbuild/protobuf';
import { TrafficDirection as TrafficDirectionProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { packLazy } from './lazy-any.js';
import {
  FilterChainMatch_ConnectionSourceType,
  FilterChainMatchSchema,
  FilterChainSchema,
  FilterSchema,
  ListenerFilterSchema,
  type FilterChainMatch as FilterChainMatchProto,
  type FilterChain as FilterChainProto,
  type Filter as FilterProto,
} from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_components_pb.js';
import { ListenerSchema, type Listener as ListenerProto } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouterSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/http/router/v3/router_pb.js';
import { TlsInspectorSchema } from '@orion/data-plane-api/gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.js';
import {
  HttpConnectionManager_CodecType,
  HttpConnectionManager_TracingSchema,
  HttpConnectionManager_UpgradeConfigSchema,
  HttpConnectionManagerSchema,
  HttpFilterSchema,
  type HttpConnectionManager as HcmProto,
  type HttpFilter as HttpFilterProto,
} from '@orion/data-plane-api/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.js';
import { TcpProxy_WeightedClusterSchema, TcpProxySchema, type TcpProxy as TcpProxyProto } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.js';
import { PercentSchema } from '@orion/data-plane-api/gen/envoy/type/v3/percent_pb.js';
import type { HcmTracing, HttpConnectionManager, HttpFilter } from '../model/http-connection-manager.js';
import type { FilterChain, FilterChainMatch, Listener, NetworkFilter } from '../model/listener.js';
import type { TcpProxy } from '../model/tcp-proxy.js';
import { buildAccessLog } from './build-access-log.js';
import { buildAddress, buildCidrRange, durationUnlessDefault, unlessDefault } from './build-common.js';
import { buildConfigSource } from './build-config-source.js';
import { buildCommonHttpProtocolOptions, buildHttp1ProtocolOptions, buildHttp2ProtocolOptions, isDefaultHttp2 } from './build-http-protocol-options.js';
import { buildRouteConfiguration, upgradeConfigInit } from './build-route-configuration.js';

/** {@link Listener} → `envoy.config.listener.v3.Listener`. */
export function buildListener(listener: Listener): ListenerProto {
  return create(ListenerSchema, {
    name: listener.name,
    address: buildAddress(listener.address),
    filterChains: listener.filterChains.map(buildFilterChain),
    perConnectionBufferLimitBytes: unlessDefault(listener.perConnectionBufferLimitBytes, 1_048_576),
    ...(listener.listenerFilters.length === 0
      ? {}
      : {
          listenerFilters: listener.listenerFilters.map((f) =>
            create(ListenerFilterSchema, { name: f.name, configType: { case: 'typedConfig', value: packLazy(TlsInspectorSchema, create(TlsInspectorSchema)) } }),
          ),
        }),
    listenerFiltersTimeout: durationUnlessDefault(listener.listenerFiltersTimeoutMs, 15_000),
    continueOnListenerFiltersTimeout: listener.continueOnListenerFiltersTimeout,
    tcpBacklogSize: unlessDefault(listener.tcpBacklogSize, 128),
    bindToPort: unlessDefault(listener.bindToPort, true),
    ...(listener.defaultFilterChain === undefined ? {} : { defaultFilterChain: buildFilterChain(listener.defaultFilterChain) }),
    statPrefix: listener.statPrefix,
    trafficDirection: TRAFFIC_DIRECTIONS[listener.trafficDirection],
  });
}

const TRAFFIC_DIRECTIONS: Readonly<Record<Listener['trafficDirection'], TrafficDirectionProto>> = {
  UNSPECIFIED: TrafficDirectionProto.UNSPECIFIED,
  INBOUND: TrafficDirectionProto.INBOUND,
  OUTBOUND: TrafficDirectionProto.OUTBOUND,
};

function buildFilterChain(chain: FilterChain): FilterChainProto {
  const match = buildFilterChainMatch(chain.match);
  return create(FilterChainSchema, {
    ...(match === undefined ? {} : { filterChainMatch: match }),
    filters: chain.filters.map(buildNetworkFilter),
    name: chain.name,
  });
}

const SOURCE_TYPES: Readonly<Record<FilterChainMatch['sourceType'], FilterChainMatch_ConnectionSourceType>> = {
  any: FilterChainMatch_ConnectionSourceType.ANY,
  sameIpOrLoopback: FilterChainMatch_ConnectionSourceType.SAME_IP_OR_LOOPBACK,
  external: FilterChainMatch_ConnectionSourceType.EXTERNAL,
};

/** The `filter_chain_match`, or undefined when it matches every connection. */
function buildFilterChainMatch(match: FilterChainMatch): FilterChainMatchProto | undefined {
  const any =
    match.destinationPort === undefined &&
    match.prefixRanges.length === 0 &&
    match.directSourcePrefixRanges.length === 0 &&
    match.sourceType === 'any' &&
    match.sourcePrefixRanges.length === 0 &&
    match.sourcePorts.length === 0;
  if (any) return undefined;
  return create(FilterChainMatchSchema, {
    destinationPort: match.destinationPort,
    prefixRanges: match.prefixRanges.map(buildCidrRange),
    directSourcePrefixRanges: match.directSourcePrefixRanges.map(buildCidrRange),
    sourceType: SOURCE_TYPES[match.sourceType],
    sourcePrefixRanges: match.sourcePrefixRanges.map(buildCidrRange),
    sourcePorts: [...match.sourcePorts],
  });
}

function buildNetworkFilter(filter: NetworkFilter): FilterProto {
  const typedConfig =
    filter.type === 'httpConnectionManager' ? packLazy(HttpConnectionManagerSchema, buildHttpConnectionManager(filter)) : packLazy(TcpProxySchema, buildTcpProxy(filter));
  return create(FilterSchema, { name: filter.name, configType: { case: 'typedConfig', value: typedConfig } });
}

const CODEC_TYPES: Readonly<Record<HttpConnectionManager['codecType'], HttpConnectionManager_CodecType>> = {
  auto: HttpConnectionManager_CodecType.AUTO,
  http1: HttpConnectionManager_CodecType.HTTP1,
  http2: HttpConnectionManager_CodecType.HTTP2,
};

/** {@link HttpConnectionManager} → `envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`. */
export function buildHttpConnectionManager(hcm: HttpConnectionManager): HcmProto {
  const route = hcm.routeSpecifier;
  const common = buildCommonHttpProtocolOptions(hcm.commonHttpProtocolOptions);
  const http1 = buildHttp1ProtocolOptions(hcm.http1ProtocolOptions);
  return create(HttpConnectionManagerSchema, {
    codecType: CODEC_TYPES[hcm.codecType],
    statPrefix: hcm.statPrefix,
    routeSpecifier:
      route.type === 'inline'
        ? { case: 'routeConfig', value: buildRouteConfiguration(route.routeConfiguration, true) }
        : { case: 'rds', value: { configSource: buildConfigSource(route.configSource), routeConfigName: route.routeConfigName } },
    httpFilters: hcm.httpFilters.map(buildHttpFilter),
    ...(hcm.tracing === undefined ? {} : { tracing: buildTracing(hcm.tracing) }),
    ...(common === undefined ? {} : { commonHttpProtocolOptions: common }),
    ...(http1 === undefined ? {} : { httpProtocolOptions: http1 }),
    ...(isDefaultHttp2(hcm.http2ProtocolOptions) ? {} : { http2ProtocolOptions: buildHttp2ProtocolOptions(hcm.http2ProtocolOptions) }),
    serverName: unlessDefault(hcm.serverName, 'envoy') ?? '',
    maxRequestHeadersKb: unlessDefault(hcm.maxRequestHeadersKb, 60),
    streamIdleTimeout: durationUnlessDefault(hcm.streamIdleTimeoutMs, 300_000),
    requestTimeout: durationUnlessDefault(hcm.requestTimeoutMs, 0),
    requestHeadersTimeout: durationUnlessDefault(hcm.requestHeadersTimeoutMs, 0),
    drainTimeout: durationUnlessDefault(hcm.drainTimeoutMs, 5000),
    accessLog: hcm.accessLogs.map(buildAccessLog),
    useRemoteAddress: hcm.useRemoteAddress ? true : undefined,
    xffNumTrustedHops: hcm.xffNumTrustedHops,
    skipXffAppend: hcm.skipXffAppend,
    generateRequestId: hcm.generateRequestId ? undefined : false,
    preserveExternalRequestId: hcm.preserveExternalRequestId,
    alwaysSetRequestIdInResponse: hcm.alwaysSetRequestIdInResponse,
    upgradeConfigs: hcm.upgradeConfigs.map((u) => create(HttpConnectionManager_UpgradeConfigSchema, upgradeConfigInit(u))),
    stripMatchingHostPort: hcm.stripPortMode === 'matching',
    stripPortMode: hcm.stripPortMode === 'any' ? { case: 'stripAnyHostPort', value: true } : { case: undefined },
  });
}

function buildTracing(tracing: HcmTracing): HcmProto['tracing'] {
  const percent = (value: number) => (value === 100 ? undefined : create(PercentSchema, { value }));
  return create(HttpConnectionManager_TracingSchema, {
    clientSampling: percent(tracing.clientSamplingPercent),
    randomSampling: percent(tracing.randomSamplingPercent),
    overallSampling: percent(tracing.overallSamplingPercent),
  });
}

function buildHttpFilter(filter: HttpFilter): HttpFilterProto {
  return create(HttpFilterSchema, {
    name: filter.name,
    configType: { case: 'typedConfig', value: packLazy(RouterSchema, create(RouterSchema, { suppressEnvoyHeaders: filter.suppressEnvoyHeaders })) },
  });
}

/** {@link TcpProxy} → `envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`. */
export function buildTcpProxy(proxy: TcpProxy): TcpProxyProto {
  const cluster = proxy.cluster;
  return create(TcpProxySchema, {
    statPrefix: proxy.statPrefix,
    clusterSpecifier:
      cluster.type === 'cluster'
        ? { case: 'cluster', value: cluster.name }
        : { case: 'weightedClusters', value: create(TcpProxy_WeightedClusterSchema, { clusters: cluster.clusters.map((c) => ({ name: c.name, weight: c.weight })) }) },
    idleTimeout: durationUnlessDefault(proxy.idleTimeoutMs, 3_600_000),
    accessLog: proxy.accessLogs.map(buildAccessLog),
  });
}
