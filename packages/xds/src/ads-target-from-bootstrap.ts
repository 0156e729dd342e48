import type { Bootstrap } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { Cluster_DiscoveryType } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import type { Address } from '@orion/data-plane-api/gen/envoy/config/core/v3/address_pb.js';
import { ApiConfigSource_ApiType, type ConfigSource } from '@orion/data-plane-api/gen/envoy/config/core/v3/config_source_pb.js';
import type { Duration } from '@bufbuild/protobuf/wkt';
import { OrionError } from '@orion/error';
import { ORION_ERR_XDS_ADS_TARGET_INVALID, ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED } from './error-codes.js';
import type { XdsProtocol } from './xds-protocol.js';
import { parseXdsTarget, type XdsTarget } from './xds-target.js';

/** What a bootstrap's `dynamic_resources` says about the ADS server. */
export interface AdsBootstrapTarget {
  /** The server address: the first endpoint of the `envoy_grpc` cluster, or the `google_grpc.target_uri`. */
  readonly target: XdsTarget;
  /** From `ads_config.api_type`: `DELTA_GRPC`/`AGGREGATED_DELTA_GRPC` → delta, `GRPC`/`AGGREGATED_GRPC` → sotw. */
  readonly protocol: XdsProtocol;
  /** The `envoy_grpc.cluster_name`, or `''` for `google_grpc`. */
  readonly clusterName: string;
  /** `lds_config.initial_fetch_timeout` (else `cds_config`'s) in ms, when set; Envoy's default is 15 s. */
  readonly initialFetchTimeoutMs?: number;
}

/**
 * Derives the ADS server of a decoded Envoy bootstrap (`dynamic_resources.ads_config`), following Envoy:
 * `lds_config` and `cds_config` must be `ads: {}` (a non-ADS `api_config_source`, a `path` or REST is
 * rejected with `ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED` naming the field path), and the
 * `envoy_grpc.cluster_name` must be a STATIC or STRICT_DNS cluster of `static_resources` whose first
 * endpoint is a `socket_address` or a `pipe` (else `ORION_ERR_XDS_ADS_TARGET_INVALID`). TLS to the server
 * is not supported yet (h2c only).
 */
export function adsTargetFromBootstrap(bootstrap: Bootstrap): AdsBootstrapTarget {
  const dynamic = bootstrap.dynamicResources;
  if (dynamic === undefined) throw unsupported('dynamic_resources', 'is not set');
  checkAdsSource(dynamic.ldsConfig, 'dynamic_resources.lds_config');
  checkAdsSource(dynamic.cdsConfig, 'dynamic_resources.cds_config');
  const ads = dynamic.adsConfig;
  if (ads === undefined) throw unsupported('dynamic_resources.ads_config', 'is not set');
  const protocol = protocolOf(ads.apiType);
  const service = ads.grpcServices[0];
  if (service === undefined) throw unsupported('dynamic_resources.ads_config.grpc_services', 'is empty');
  const timeout = fetchTimeoutMs(dynamic.ldsConfig) ?? fetchTimeoutMs(dynamic.cdsConfig);
  const extra = timeout === undefined ? {} : { initialFetchTimeoutMs: timeout };
  const spec = service.targetSpecifier;
  switch (spec.case) {
    case 'googleGrpc':
      return { target: googleTarget(spec.value.targetUri), protocol, clusterName: '', ...extra };
    case 'envoyGrpc':
      return { target: clusterTarget(bootstrap, spec.value.clusterName), protocol, clusterName: spec.value.clusterName, ...extra };
    default:
      throw unsupported('dynamic_resources.ads_config.grpc_services[0]', 'sets neither envoy_grpc nor google_grpc');
  }
}

function unsupported(path: string, what: string): OrionError {
  return new OrionError(ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED, `${path} ${what}`, { details: { path } });
}

function checkAdsSource(source: ConfigSource | undefined, path: string): void {
  if (source === undefined) return;
  const spec = source.configSourceSpecifier;
  switch (spec.case) {
    case 'ads':
      return;
    case 'apiConfigSource':
      throw unsupported(
        path,
        `uses api_config_source (${ApiConfigSource_ApiType[spec.value.apiType] ?? spec.value.apiType}); only ADS is supported: set "ads: {}"`,
      );
    case 'path':
    case 'pathConfigSource':
      throw unsupported(path, 'reads resources from a file; only ADS is supported: set "ads: {}"');
    case 'self':
      throw unsupported(path, 'uses self; only ADS is supported: set "ads: {}"');
    default:
      throw unsupported(path, 'sets no config source; set "ads: {}"');
  }
}

function protocolOf(apiType: ApiConfigSource_ApiType): XdsProtocol {
  switch (apiType) {
    case ApiConfigSource_ApiType.GRPC:
    case ApiConfigSource_ApiType.AGGREGATED_GRPC:
      return 'sotw';
    case ApiConfigSource_ApiType.DELTA_GRPC:
    case ApiConfigSource_ApiType.AGGREGATED_DELTA_GRPC:
      return 'delta';
    default:
      throw unsupported(
        'dynamic_resources.ads_config.api_type',
        `is ${ApiConfigSource_ApiType[apiType] ?? apiType}; ADS needs GRPC or DELTA_GRPC`,
      );
  }
}

function fetchTimeoutMs(source: ConfigSource | undefined): number | undefined {
  const d: Duration | undefined = source?.initialFetchTimeout;
  return d === undefined ? undefined : Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6);
}

function googleTarget(uri: string): XdsTarget {
  try {
    return parseXdsTarget(uri);
  } catch (err) {
    throw new OrionError(ORION_ERR_XDS_ADS_TARGET_INVALID, `dynamic_resources.ads_config.grpc_services[0].google_grpc.target_uri "${uri}" is not host:port or unix:<path>`, {
      cause: err,
      details: { path: 'dynamic_resources.ads_config.grpc_services[0].google_grpc.target_uri' },
    });
  }
}

function clusterTarget(bootstrap: Bootstrap, name: string): XdsTarget {
  const clusters = bootstrap.staticResources?.clusters ?? [];
  const index = clusters.findIndex((c) => c.name === name);
  const cluster = clusters[index];
  if (cluster === undefined) {
    throw new OrionError(ORION_ERR_XDS_ADS_TARGET_INVALID, `ADS cluster "${name}" is not a static_resources cluster`, {
      details: { path: 'dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name' },
    });
  }
  const path = `static_resources.clusters[${index}]`;
  const spec = cluster.clusterDiscoveryType;
  const type = spec.case === 'type' ? spec.value : spec.case === undefined ? Cluster_DiscoveryType.STATIC : undefined;
  if (type !== Cluster_DiscoveryType.STATIC && type !== Cluster_DiscoveryType.STRICT_DNS) {
    const what = type === undefined ? String(spec.case) : (Cluster_DiscoveryType[type] ?? String(type));
    throw new OrionError(ORION_ERR_XDS_ADS_TARGET_INVALID, `${path} (ADS cluster "${name}") is ${what}; it must be STATIC or STRICT_DNS`, {
      details: { path: `${path}.type` },
    });
  }
  for (const [i, locality] of (cluster.loadAssignment?.endpoints ?? []).entries()) {
    for (const [j, lb] of locality.lbEndpoints.entries()) {
      if (lb.hostIdentifier.case !== 'endpoint') continue;
      const address = lb.hostIdentifier.value.address;
      if (address !== undefined) return addressTarget(address, `${path}.load_assignment.endpoints[${i}].lb_endpoints[${j}].endpoint.address`);
    }
  }
  throw new OrionError(ORION_ERR_XDS_ADS_TARGET_INVALID, `${path} (ADS cluster "${name}") has no endpoint`, {
    details: { path: `${path}.load_assignment` },
  });
}

function addressTarget(address: Address, path: string): XdsTarget {
  const a = address.address;
  switch (a.case) {
    case 'pipe':
      return { kind: 'unix', path: a.value.path };
    case 'socketAddress': {
      const port = a.value.portSpecifier;
      if (port.case !== 'portValue') {
        throw new OrionError(ORION_ERR_XDS_ADS_TARGET_INVALID, `${path}.socket_address has no port_value`, { details: { path } });
      }
      return { kind: 'tcp', host: a.value.address, port: port.value };
    }
    default:
      throw new OrionError(ORION_ERR_XDS_ADS_TARGET_INVALID, `${path} is neither a socket_address nor a pipe`, { details: { path } });
  }
}
