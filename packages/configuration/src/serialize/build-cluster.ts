import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { packLazy } from './lazy-any.js';
import { CircuitBreakers_ThresholdsSchema, CircuitBreakersSchema, type CircuitBreakers_Thresholds } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/circuit_breaker_pb.js';
import {
  Cluster_CommonLbConfigSchema,
  Cluster_DiscoveryType,
  Cluster_EdsClusterConfigSchema,
  Cluster_LeastRequestLbConfigSchema,
  Cluster_MaglevLbConfigSchema,
  Cluster_OriginalDstLbConfigSchema,
  Cluster_RingHashLbConfigSchema,
  Cluster_DnsLookupFamily,
  Cluster_LbPolicy,
  ClusterSchema,
  type Cluster as ClusterProto,
} from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { RoutingPriority } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { PercentSchema } from '@orion/data-plane-api/gen/envoy/type/v3/percent_pb.js';
import { HealthStatus as HealthStatusProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/health_check_pb.js';
import { EndpointSchema, LbEndpointSchema, LocalityLbEndpointsSchema, type LbEndpoint as LbEndpointProto } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_components_pb.js';
import { ClusterLoadAssignmentSchema, type ClusterLoadAssignment as ClaProto } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import {
  HttpProtocolOptions_AutoHttpConfigSchema,
  HttpProtocolOptions_ExplicitHttpConfigSchema,
  HttpProtocolOptions_UseDownstreamHttpConfigSchema,
  HttpProtocolOptionsSchema as UpstreamHttpProtocolOptionsSchema,
  type HttpProtocolOptions as UpstreamHttpProtocolOptionsProto,
} from '@orion/data-plane-api/gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
import type { CircuitBreakerThresholds, Cluster, ClusterDiscovery, DnsSettings, LbPolicy } from '../model/cluster.js';
import type { ClusterLoadAssignment, HealthStatus, LbEndpoint } from '../model/cluster-load-assignment.js';
import type { ConfigSource } from '../model/config-source.js';
import { buildAddress, buildLocality, durationUnlessDefault, unlessDefault } from './build-common.js';
import { buildConfigSource } from './build-config-source.js';
import { buildCommonHttpProtocolOptions, buildHttp2ProtocolOptions, isDefaultHttp2 } from './build-http-protocol-options.js';

/** The `typed_extension_protocol_options` key of the upstream HTTP protocol options. */
export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';

const DISCOVERY_TYPES: Readonly<Record<ClusterDiscovery['type'], Cluster_DiscoveryType>> = {
  static: Cluster_DiscoveryType.STATIC,
  strictDns: Cluster_DiscoveryType.STRICT_DNS,
  logicalDns: Cluster_DiscoveryType.LOGICAL_DNS,
  eds: Cluster_DiscoveryType.EDS,
  originalDst: Cluster_DiscoveryType.ORIGINAL_DST,
};

const LB_POLICIES: Readonly<Record<LbPolicy['type'], Cluster_LbPolicy>> = {
  roundRobin: Cluster_LbPolicy.ROUND_ROBIN,
  leastRequest: Cluster_LbPolicy.LEAST_REQUEST,
  random: Cluster_LbPolicy.RANDOM,
  ringHash: Cluster_LbPolicy.RING_HASH,
  maglev: Cluster_LbPolicy.MAGLEV,
};

const DNS_FAMILIES: Readonly<Record<DnsSettings['dnsLookupFamily'], Cluster_DnsLookupFamily>> = {
  auto: Cluster_DnsLookupFamily.AUTO,
  v4Only: Cluster_DnsLookupFamily.V4_ONLY,
  v6Only: Cluster_DnsLookupFamily.V6_ONLY,
  v4Preferred: Cluster_DnsLookupFamily.V4_PREFERRED,
  all: Cluster_DnsLookupFamily.ALL,
};

/**
 * {@link Cluster} → `envoy.config.cluster.v3.Cluster`. `type` is always printed (a oneof member, as in Envoy's
 * dump of a file that names it); the upstream protocol and connection limits are printed as an
 * `envoy.extensions.upstreams.http.v3.HttpProtocolOptions` in `typed_extension_protocol_options`, also when the
 * file used the deprecated cluster fields.
 */
export function buildCluster(cluster: Cluster): ClusterProto {
  const d = cluster.discovery;
  const protocolOptions = buildUpstreamHttpProtocolOptions(cluster);
  return create(ClusterSchema, {
    name: cluster.name,
    altStatName: cluster.statName === cluster.name ? '' : cluster.statName,
    clusterDiscoveryType: { case: 'type', value: DISCOVERY_TYPES[d.type] },
    ...(d.type === 'eds' ? edsClusterConfig(cluster.name, d.serviceName, d.edsConfig) : {}),
    connectTimeout: durationUnlessDefault(cluster.connectTimeoutMs, 5000),
    perConnectionBufferLimitBytes: unlessDefault(cluster.perConnectionBufferLimitBytes, 1_048_576),
    lbPolicy: d.type === 'originalDst' ? Cluster_LbPolicy.CLUSTER_PROVIDED : LB_POLICIES[cluster.lbPolicy.type],
    ...(d.type !== 'originalDst' && d.loadAssignment !== undefined && !isEmptyAssignment(cluster.name, d.loadAssignment) ? { loadAssignment: buildClusterLoadAssignment(d.loadAssignment) } : {}),
    ...(cluster.circuitBreakers.length === 0 ? {} : { circuitBreakers: create(CircuitBreakersSchema, { thresholds: cluster.circuitBreakers.map(buildThresholds) }) }),
    typedExtensionProtocolOptions: protocolOptions === undefined ? {} : { [HTTP_PROTOCOL_OPTIONS_KEY]: protocolOptions },
    ...(d.type === 'strictDns' || d.type === 'logicalDns'
      ? { dnsRefreshRate: durationUnlessDefault(d.dnsRefreshRateMs, 5000), respectDnsTtl: d.respectDnsTtl, dnsLookupFamily: DNS_FAMILIES[d.dnsLookupFamily] }
      : {}),
    ...(d.type === 'originalDst' ? { cleanupInterval: durationUnlessDefault(d.cleanupIntervalMs, 5000) } : {}),
    lbConfig: lbConfig(cluster),
    ...(cluster.healthyPanicThresholdPercent === 50
      ? {}
      : { commonLbConfig: create(Cluster_CommonLbConfigSchema, { healthyPanicThreshold: create(PercentSchema, { value: cluster.healthyPanicThresholdPercent }) }) }),
    ...(cluster.tcpKeepaliveTimeS === undefined ? {} : { upstreamConnectionOptions: { tcpKeepalive: { keepaliveTime: cluster.tcpKeepaliveTimeS } } }),
  });
}

/** The assignment a cluster without `load_assignment` gets: left out, as the file had none. */
function isEmptyAssignment(name: string, cla: ClusterLoadAssignment): boolean {
  return cla.localities.length === 0 && cla.clusterName === name && cla.overprovisioningFactor === 140;
}

/** `eds_cluster_config`, left out when it would be empty (`service_name` is printed only when it is not the cluster name). */
function edsClusterConfig(name: string, serviceName: string, edsConfig: ConfigSource | undefined): Partial<Pick<ClusterProto, 'edsClusterConfig'>> {
  if (serviceName === name && edsConfig === undefined) return {};
  return {
    edsClusterConfig: create(Cluster_EdsClusterConfigSchema, {
      ...(edsConfig === undefined ? {} : { edsConfig: buildConfigSource(edsConfig) }),
      serviceName: serviceName === name ? '' : serviceName,
    }),
  };
}

function lbConfig(cluster: Cluster): ClusterProto['lbConfig'] {
  const d = cluster.discovery;
  if (d.type === 'originalDst') {
    return {
      case: 'originalDstLbConfig',
      value: create(Cluster_OriginalDstLbConfigSchema, {
        useHttpHeader: true,
        httpHeaderName: d.httpHeaderName === 'x-envoy-original-dst-host' ? '' : d.httpHeaderName,
        upstreamPortOverride: d.upstreamPortOverride,
      }),
    };
  }
  const lb = cluster.lbPolicy;
  switch (lb.type) {
    case 'leastRequest':
      return lb.choiceCount === 2 ? { case: undefined } : { case: 'leastRequestLbConfig', value: create(Cluster_LeastRequestLbConfigSchema, { choiceCount: lb.choiceCount }) };
    case 'ringHash':
      if (lb.minimumRingSize === 1024 && lb.maximumRingSize === 8_388_608) return { case: undefined };
      return {
        case: 'ringHashLbConfig',
        value: create(Cluster_RingHashLbConfigSchema, {
          minimumRingSize: lb.minimumRingSize === 1024 ? undefined : BigInt(Math.trunc(lb.minimumRingSize)),
          maximumRingSize: lb.maximumRingSize === 8_388_608 ? undefined : BigInt(Math.trunc(lb.maximumRingSize)),
        }),
      };
    case 'maglev':
      return lb.tableSize === 65_537 ? { case: undefined } : { case: 'maglevLbConfig', value: create(Cluster_MaglevLbConfigSchema, { tableSize: BigInt(Math.trunc(lb.tableSize)) }) };
    default:
      return { case: undefined };
  }
}

function buildThresholds(t: CircuitBreakerThresholds): CircuitBreakers_Thresholds {
  return create(CircuitBreakers_ThresholdsSchema, {
    priority: t.priority === 'high' ? RoutingPriority.HIGH : RoutingPriority.DEFAULT,
    maxConnections: unlessDefault(t.maxConnections, 1024),
    maxPendingRequests: unlessDefault(t.maxPendingRequests, 1024),
    maxRequests: unlessDefault(t.maxRequests, 1024),
    maxRetries: unlessDefault(t.maxRetries, 3),
  });
}

/** The cluster's `HttpProtocolOptions`, or undefined for HTTP/1.1 with default connection limits. */
function buildUpstreamHttpProtocolOptions(cluster: Cluster): Any | undefined {
  const protocol = cluster.httpProtocol;
  const common = buildCommonHttpProtocolOptions(cluster.commonHttpProtocolOptions);
  if (protocol.type === 'http1' && common === undefined) return undefined;
  const http2 = protocol.type === 'http1' || isDefaultHttp2(protocol.http2) ? undefined : buildHttp2ProtocolOptions(protocol.http2);
  let upstreamProtocolOptions: UpstreamHttpProtocolOptionsProto['upstreamProtocolOptions'];
  switch (protocol.type) {
    case 'http1':
      upstreamProtocolOptions = {
        case: 'explicitHttpConfig',
        value: create(HttpProtocolOptions_ExplicitHttpConfigSchema, { protocolConfig: { case: 'httpProtocolOptions', value: {} } }),
      };
      break;
    case 'http2':
      upstreamProtocolOptions = {
        case: 'explicitHttpConfig',
        value: create(HttpProtocolOptions_ExplicitHttpConfigSchema, { protocolConfig: { case: 'http2ProtocolOptions', value: http2 ?? {} } }),
      };
      break;
    case 'useDownstream':
      upstreamProtocolOptions = { case: 'useDownstreamProtocolConfig', value: create(HttpProtocolOptions_UseDownstreamHttpConfigSchema, http2 === undefined ? {} : { http2ProtocolOptions: http2 }) };
      break;
    case 'auto':
      upstreamProtocolOptions = { case: 'autoConfig', value: create(HttpProtocolOptions_AutoHttpConfigSchema, http2 === undefined ? {} : { http2ProtocolOptions: http2 }) };
      break;
  }
  return packLazy(
    UpstreamHttpProtocolOptionsSchema,
    create(UpstreamHttpProtocolOptionsSchema, { ...(common === undefined ? {} : { commonHttpProtocolOptions: common }), upstreamProtocolOptions }),
  );
}

const HEALTH: Readonly<Record<HealthStatus, HealthStatusProto>> = {
  unknown: HealthStatusProto.UNKNOWN,
  healthy: HealthStatusProto.HEALTHY,
  unhealthy: HealthStatusProto.UNHEALTHY,
  draining: HealthStatusProto.DRAINING,
  timeout: HealthStatusProto.TIMEOUT,
  degraded: HealthStatusProto.DEGRADED,
};

/** {@link ClusterLoadAssignment} → `envoy.config.endpoint.v3.ClusterLoadAssignment`. */
export function buildClusterLoadAssignment(cla: ClusterLoadAssignment): ClaProto {
  return create(ClusterLoadAssignmentSchema, {
    clusterName: cla.clusterName,
    endpoints: cla.localities.map((l) =>
      create(LocalityLbEndpointsSchema, {
        ...(l.locality === undefined ? {} : { locality: buildLocality(l.locality) }),
        lbEndpoints: l.endpoints.map(buildLbEndpoint),
        loadBalancingWeight: l.loadBalancingWeight,
        priority: l.priority,
      }),
    ),
    ...(cla.overprovisioningFactor === 140 ? {} : { policy: { overprovisioningFactor: cla.overprovisioningFactor } }),
  });
}

function buildLbEndpoint(endpoint: LbEndpoint): LbEndpointProto {
  return create(LbEndpointSchema, {
    hostIdentifier: { case: 'endpoint', value: create(EndpointSchema, { address: buildAddress(endpoint.address), hostname: endpoint.hostname }) },
    healthStatus: HEALTH[endpoint.healthStatus],
    loadBalancingWeight: unlessDefault(endpoint.loadBalancingWeight, 1),
  });
}
