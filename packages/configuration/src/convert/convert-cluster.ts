import type { FieldPath } from '@orion/data-plane-api';
import { RoutingPriority } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import {
  Cluster_ClusterProtocolSelection,
  Cluster_DiscoveryType,
  Cluster_DnsLookupFamily,
  Cluster_LbPolicy,
  Cluster_RingHashLbConfig_HashFunction,
  type Cluster as ClusterProto,
} from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import type { HttpProtocolOptions as UpstreamHttpProtocolOptionsProto } from '@orion/data-plane-api/gen/envoy/extensions/upstreams/http/v3/http_protocol_options_pb.js';
import type { Cluster, ClusterDiscovery, DnsSettings, LbPolicy, UpstreamHttpProtocol } from '../model/cluster.js';
import type { ClusterLoadAssignment } from '../model/cluster-load-assignment.js';
import { ExtensionType } from '../support/support-table.js';
import { convertClusterLoadAssignmentMessage } from './convert-cluster-load-assignment.js';
import { convertConfigSource } from './convert-config-source.js';
import { convertCommonHttpProtocolOptions, convertHttp2ProtocolOptions } from './convert-http-protocol-options.js';
import type { ConversionContext } from './conversion-context.js';
import { durationMs, int64 } from './proto-values.js';
import { unpackExtension } from './unpack-extension.js';

const DNS_FAMILY: Readonly<Record<Cluster_DnsLookupFamily, DnsSettings['dnsLookupFamily']>> = {
  [Cluster_DnsLookupFamily.AUTO]: 'auto',
  [Cluster_DnsLookupFamily.V4_ONLY]: 'v4Only',
  [Cluster_DnsLookupFamily.V6_ONLY]: 'v6Only',
  [Cluster_DnsLookupFamily.V4_PREFERRED]: 'v4Preferred',
  [Cluster_DnsLookupFamily.ALL]: 'all',
};

/** `envoy.config.cluster.v3.Cluster` → {@link Cluster}. */
export function convertClusterMessage(cluster: ClusterProto, path: FieldPath, ctx: ConversionContext): Cluster {
  if (cluster.name === '') ctx.error(path.field('name'), 'a cluster name is required');
  const protocolOptions = findHttpProtocolOptions(cluster, path, ctx);
  const keepalive = cluster.upstreamConnectionOptions?.tcpKeepalive?.keepaliveTime;
  return {
    name: cluster.name,
    statName: cluster.altStatName === '' ? cluster.name : cluster.altStatName,
    discovery: convertDiscovery(cluster, path, ctx),
    connectTimeoutMs: durationMs(cluster.connectTimeout, 5000),
    perConnectionBufferLimitBytes: cluster.perConnectionBufferLimitBytes ?? 1_048_576,
    lbPolicy: convertLbPolicy(cluster, path, ctx),
    healthyPanicThresholdPercent: Math.min(100, Math.max(0, cluster.commonLbConfig?.healthyPanicThreshold?.value ?? 50)),
    httpProtocol: convertUpstreamProtocol(cluster, protocolOptions, path),
    commonHttpProtocolOptions: convertCommonHttpProtocolOptions(protocolOptions?.commonHttpProtocolOptions ?? cluster.commonHttpProtocolOptions, cluster.maxRequestsPerConnection ?? 0),
    circuitBreakers: (cluster.circuitBreakers?.thresholds ?? []).map((t) => ({
      priority: t.priority === RoutingPriority.HIGH ? 'high' : 'default',
      maxConnections: t.maxConnections ?? 1024,
      maxPendingRequests: t.maxPendingRequests ?? 1024,
      maxRequests: t.maxRequests ?? 1024,
      maxRetries: t.maxRetries ?? 3,
    })),
    ...(keepalive === undefined ? {} : { tcpKeepaliveTimeS: keepalive }),
  };
}

function loadAssignment(cluster: ClusterProto, path: FieldPath, ctx: ConversionContext): ClusterLoadAssignment | undefined {
  return cluster.loadAssignment === undefined ? undefined : convertClusterLoadAssignmentMessage(cluster.loadAssignment, path.field('load_assignment'), ctx);
}

function convertDiscovery(cluster: ClusterProto, path: FieldPath, ctx: ConversionContext): ClusterDiscovery {
  const spec = cluster.clusterDiscoveryType;
  // cluster_type (custom clusters) is reported by the support check; an unset type means STATIC.
  const type = spec.case === 'type' ? spec.value : Cluster_DiscoveryType.STATIC;
  const empty: ClusterLoadAssignment = { clusterName: cluster.name, localities: [], overprovisioningFactor: 140 };
  const dns = (): DnsSettings => ({
    dnsRefreshRateMs: durationMs(cluster.dnsRefreshRate, 5000),
    respectDnsTtl: cluster.respectDnsTtl,
    dnsLookupFamily: DNS_FAMILY[cluster.dnsLookupFamily] ?? 'auto',
  });
  switch (type) {
    case Cluster_DiscoveryType.STATIC:
      return { type: 'static', loadAssignment: loadAssignment(cluster, path, ctx) ?? empty };
    case Cluster_DiscoveryType.STRICT_DNS:
    case Cluster_DiscoveryType.LOGICAL_DNS: {
      const assignment = loadAssignment(cluster, path, ctx) ?? empty;
      const logical = type === Cluster_DiscoveryType.LOGICAL_DNS;
      const count = assignment.localities.reduce((n, l) => n + l.endpoints.length, 0);
      if (logical && count !== 1) ctx.error(path.field('load_assignment'), `LOGICAL_DNS clusters must have exactly one endpoint (found ${count})`);
      for (const l of assignment.localities) {
        for (const e of l.endpoints) if (e.address.type === 'pipe') ctx.error(path.field('load_assignment'), `${logical ? 'LOGICAL_DNS' : 'STRICT_DNS'} clusters cannot have pipe endpoints`);
      }
      return { type: logical ? 'logicalDns' : 'strictDns', loadAssignment: assignment, ...dns() };
    }
    case Cluster_DiscoveryType.EDS: {
      const eds = cluster.edsClusterConfig;
      const assignment = loadAssignment(cluster, path, ctx);
      return {
        type: 'eds',
        serviceName: eds === undefined || eds.serviceName === '' ? cluster.name : eds.serviceName,
        ...(eds?.edsConfig === undefined ? {} : { edsConfig: convertConfigSource(eds.edsConfig, path.field('eds_cluster_config').field('eds_config'), ctx) }),
        ...(assignment === undefined ? {} : { loadAssignment: assignment }),
      };
    }
    case Cluster_DiscoveryType.ORIGINAL_DST: {
      const lb = cluster.lbConfig.case === 'originalDstLbConfig' ? cluster.lbConfig.value : undefined;
      if (lb?.useHttpHeader !== true) {
        ctx.error(path.field('type'), 'ORIGINAL_DST clusters need original_dst_lb_config.use_http_header: true (the socket original destination is not available to Orion)');
      }
      if (cluster.lbPolicy !== Cluster_LbPolicy.CLUSTER_PROVIDED) ctx.error(path.field('lb_policy'), 'ORIGINAL_DST clusters need lb_policy CLUSTER_PROVIDED');
      if (cluster.loadAssignment !== undefined) ctx.error(path.field('load_assignment'), 'ORIGINAL_DST clusters cannot have a load_assignment');
      return {
        type: 'originalDst',
        httpHeaderName: lb === undefined || lb.httpHeaderName === '' ? 'x-envoy-original-dst-host' : lb.httpHeaderName.toLowerCase(),
        ...(lb?.upstreamPortOverride === undefined ? {} : { upstreamPortOverride: lb.upstreamPortOverride }),
        cleanupIntervalMs: durationMs(cluster.cleanupInterval, 5000),
      };
    }
    default:
      ctx.error(path.field('type'), `cluster type ${String(type)} is not implemented`);
      return { type: 'static', loadAssignment: empty };
  }
}

function convertLbPolicy(cluster: ClusterProto, path: FieldPath, ctx: ConversionContext): LbPolicy {
  const lb = cluster.lbConfig;
  const isOriginalDst = cluster.clusterDiscoveryType.case === 'type' && cluster.clusterDiscoveryType.value === Cluster_DiscoveryType.ORIGINAL_DST;
  const misplaced = (wanted: string): void => {
    if (lb.case !== undefined && lb.case !== wanted && !(isOriginalDst && lb.case === 'originalDstLbConfig')) {
      ctx.error(path.field(lb.case.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)), `does not apply to lb_policy ${Cluster_LbPolicy[cluster.lbPolicy] ?? cluster.lbPolicy}`);
    }
  };
  switch (cluster.lbPolicy) {
    case Cluster_LbPolicy.ROUND_ROBIN:
      misplaced('');
      return { type: 'roundRobin' };
    case Cluster_LbPolicy.RANDOM:
      misplaced('');
      return { type: 'random' };
    case Cluster_LbPolicy.LEAST_REQUEST:
      misplaced('leastRequestLbConfig');
      return { type: 'leastRequest', choiceCount: lb.case === 'leastRequestLbConfig' ? (lb.value.choiceCount ?? 2) : 2 };
    case Cluster_LbPolicy.RING_HASH: {
      misplaced('ringHashLbConfig');
      const c = lb.case === 'ringHashLbConfig' ? lb.value : undefined;
      if (c !== undefined && c.hashFunction !== Cluster_RingHashLbConfig_HashFunction.XX_HASH) {
        ctx.error(path.field('ring_hash_lb_config').field('hash_function'), 'hash_function MURMUR_HASH_2 is not implemented (use XX_HASH)');
      }
      const minimumRingSize = c?.minimumRingSize === undefined ? 1024 : int64(c.minimumRingSize);
      const maximumRingSize = c?.maximumRingSize === undefined ? 8_388_608 : int64(c.maximumRingSize);
      if (minimumRingSize > maximumRingSize) ctx.error(path.field('ring_hash_lb_config'), `minimum_ring_size ${minimumRingSize} is larger than maximum_ring_size ${maximumRingSize}`);
      return { type: 'ringHash', minimumRingSize, maximumRingSize };
    }
    case Cluster_LbPolicy.MAGLEV: {
      misplaced('maglevLbConfig');
      const size = lb.case === 'maglevLbConfig' && lb.value.tableSize !== undefined ? int64(lb.value.tableSize) : 65_537;
      if (!isPrime(size)) ctx.error(path.field('maglev_lb_config').field('table_size'), `table_size ${size} must be a prime number`);
      return { type: 'maglev', tableSize: size };
    }
    case Cluster_LbPolicy.CLUSTER_PROVIDED:
      if (!isOriginalDst) ctx.error(path.field('lb_policy'), 'lb_policy CLUSTER_PROVIDED is only valid for ORIGINAL_DST clusters');
      return { type: 'roundRobin' };
    default:
      ctx.error(path.field('lb_policy'), `lb_policy ${Cluster_LbPolicy[cluster.lbPolicy] ?? cluster.lbPolicy} is not implemented`);
      return { type: 'roundRobin' };
  }
}

function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

function findHttpProtocolOptions(cluster: ClusterProto, path: FieldPath, ctx: ConversionContext): UpstreamHttpProtocolOptionsProto | undefined {
  let found: UpstreamHttpProtocolOptionsProto | undefined;
  for (const [key, any] of Object.entries(cluster.typedExtensionProtocolOptions)) {
    const { typeName, message } = unpackExtension(any, ctx);
    if (typeName !== ExtensionType.HTTP_PROTOCOL_OPTIONS || message === undefined) continue;
    found = message as UpstreamHttpProtocolOptionsProto;
    const usesDeprecated = cluster.httpProtocolOptions !== undefined || cluster.http2ProtocolOptions !== undefined || cluster.commonHttpProtocolOptions !== undefined;
    if (usesDeprecated) ctx.error(path.field('typed_extension_protocol_options').mapKey(key), 'cannot be combined with the deprecated cluster http_protocol_options / http2_protocol_options / common_http_protocol_options');
  }
  return found;
}

function convertUpstreamProtocol(cluster: ClusterProto, options: UpstreamHttpProtocolOptionsProto | undefined, _path: FieldPath): UpstreamHttpProtocol {
  if (options !== undefined) {
    const spec = options.upstreamProtocolOptions;
    switch (spec.case) {
      case 'explicitHttpConfig':
        return spec.value.protocolConfig.case === 'http2ProtocolOptions' ? { type: 'http2', http2: convertHttp2ProtocolOptions(spec.value.protocolConfig.value) } : { type: 'http1' };
      case 'useDownstreamProtocolConfig':
        return { type: 'useDownstream', http2: convertHttp2ProtocolOptions(spec.value.http2ProtocolOptions) };
      case 'autoConfig':
        return { type: 'auto', http2: convertHttp2ProtocolOptions(spec.value.http2ProtocolOptions) };
      default:
        return { type: 'http1' };
    }
  }
  if (cluster.protocolSelection === Cluster_ClusterProtocolSelection.USE_DOWNSTREAM_PROTOCOL) {
    return { type: 'useDownstream', http2: convertHttp2ProtocolOptions(cluster.http2ProtocolOptions) };
  }
  if (cluster.http2ProtocolOptions !== undefined) return { type: 'http2', http2: convertHttp2ProtocolOptions(cluster.http2ProtocolOptions) };
  return { type: 'http1' };
}
