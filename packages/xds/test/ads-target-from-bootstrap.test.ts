import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { BootstrapSchema } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { Cluster_DiscoveryType } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ApiConfigSource_ApiType } from '@orion/data-plane-api/gen/envoy/config/core/v3/config_source_pb.js';
import { GrpcServiceSchema } from '@orion/data-plane-api/gen/envoy/config/core/v3/grpc_service_pb.js';
import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import {
  adsTargetFromBootstrap,
  DiscoveryClientBuilder,
  ORION_ERR_XDS_ADS_TARGET_INVALID,
  ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED,
} from '../src/index.js';

type BootstrapInit = MessageInitShape<typeof BootstrapSchema>;
const ADS = { configSourceSpecifier: { case: 'ads' as const, value: {} } };

function bootstrap(
  options: { apiType?: ApiConfigSource_ApiType; clusterType?: Cluster_DiscoveryType; address?: 'tcp' | 'pipe' | 'none'; lds?: BootstrapInit['dynamicResources'] } = {},
): ReturnType<typeof create<typeof BootstrapSchema>> {
  const address =
    options.address === 'pipe'
      ? { address: { case: 'pipe' as const, value: { path: '/etc/istio/proxy/XDS' } } }
      : { address: { case: 'socketAddress' as const, value: { address: 'istiod.istio-system.svc', portSpecifier: { case: 'portValue' as const, value: 15010 } } } };
  return create(BootstrapSchema, {
    node: { id: 'sidecar~1', cluster: 'app' },
    dynamicResources: options.lds ?? {
      ldsConfig: { ...ADS, initialFetchTimeout: { seconds: 2n, nanos: 500_000_000 } },
      cdsConfig: ADS,
      adsConfig: {
        apiType: options.apiType ?? ApiConfigSource_ApiType.DELTA_GRPC,
        grpcServices: [{ targetSpecifier: { case: 'envoyGrpc', value: { clusterName: 'xds-grpc' } } }],
      },
    },
    staticResources: {
      clusters: [
        { name: 'other' },
        {
          name: 'xds-grpc',
          clusterDiscoveryType: { case: 'type', value: options.clusterType ?? Cluster_DiscoveryType.STRICT_DNS },
          loadAssignment: {
            clusterName: 'xds-grpc',
            endpoints: options.address === 'none' ? [] : [{ lbEndpoints: [{ hostIdentifier: { case: 'endpoint', value: { address } } }] }],
          },
        },
      ],
    },
  });
}

function errorOf(fn: () => unknown): OrionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OrionError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('adsTargetFromBootstrap', () => {
  it('derives the server of a STRICT_DNS or STATIC cluster, the protocol and the initial fetch timeout', () => {
    expect(adsTargetFromBootstrap(bootstrap())).toEqual({
      target: { kind: 'tcp', host: 'istiod.istio-system.svc', port: 15010 },
      protocol: 'delta',
      clusterName: 'xds-grpc',
      initialFetchTimeoutMs: 2500,
    });
    expect(adsTargetFromBootstrap(bootstrap({ apiType: ApiConfigSource_ApiType.GRPC, clusterType: Cluster_DiscoveryType.STATIC })).protocol).toBe('sotw');
    expect(adsTargetFromBootstrap(bootstrap({ apiType: ApiConfigSource_ApiType.AGGREGATED_GRPC })).protocol).toBe('sotw');
    expect(adsTargetFromBootstrap(bootstrap({ apiType: ApiConfigSource_ApiType.AGGREGATED_DELTA_GRPC })).protocol).toBe('delta');
  });

  it('connects to a pipe address over its Unix socket (Istio pilot-agent)', () => {
    expect(adsTargetFromBootstrap(bootstrap({ address: 'pipe' })).target).toEqual({ kind: 'unix', path: '/etc/istio/proxy/XDS' });
  });

  it('accepts a google_grpc target_uri', () => {
    const b = bootstrap();
    const ads = b.dynamicResources?.adsConfig;
    if (ads === undefined) throw new Error('fixture');
    ads.grpcServices = [create(GrpcServiceSchema, { targetSpecifier: { case: 'googleGrpc', value: { targetUri: 'unix:///var/run/xds.sock' } } })];
    expect(adsTargetFromBootstrap(b)).toMatchObject({ target: { kind: 'unix', path: '/var/run/xds.sock' }, clusterName: '' });
  });

  it('rejects a non-ADS api_config_source, naming the field', () => {
    const err = errorOf(() =>
      adsTargetFromBootstrap(
        bootstrap({
          lds: {
            ldsConfig: { configSourceSpecifier: { case: 'apiConfigSource', value: { apiType: ApiConfigSource_ApiType.GRPC } } },
            adsConfig: { apiType: ApiConfigSource_ApiType.GRPC },
          },
        }),
      ),
    );
    expect(err.code).toBe(ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED);
    expect(err.message).toBe('dynamic_resources.lds_config uses api_config_source (GRPC); only ADS is supported: set "ads: {}"');
    expect(err.details['path']).toBe('dynamic_resources.lds_config');
    const cds = errorOf(() => adsTargetFromBootstrap(bootstrap({ lds: { cdsConfig: { configSourceSpecifier: { case: 'pathConfigSource', value: { path: '/c.yaml' } } } } })));
    expect(cds.details['path']).toBe('dynamic_resources.cds_config');
  });

  it('rejects REST, a missing ads_config and a missing dynamic_resources', () => {
    expect(errorOf(() => adsTargetFromBootstrap(bootstrap({ apiType: ApiConfigSource_ApiType.REST }))).message).toBe(
      'dynamic_resources.ads_config.api_type is REST; ADS needs GRPC or DELTA_GRPC',
    );
    expect(errorOf(() => adsTargetFromBootstrap(bootstrap({ lds: { ldsConfig: ADS } }))).message).toBe('dynamic_resources.ads_config is not set');
    expect(errorOf(() => adsTargetFromBootstrap(create(BootstrapSchema, {}))).code).toBe(ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED);
  });

  it('rejects an ADS cluster that is unknown, not STATIC/STRICT_DNS, or has no endpoint', () => {
    const unknown = bootstrap();
    unknown.staticResources?.clusters.splice(1, 1);
    expect(errorOf(() => adsTargetFromBootstrap(unknown))).toMatchObject({ code: ORION_ERR_XDS_ADS_TARGET_INVALID, message: 'ADS cluster "xds-grpc" is not a static_resources cluster' });
    expect(errorOf(() => adsTargetFromBootstrap(bootstrap({ clusterType: Cluster_DiscoveryType.EDS })))).toMatchObject({
      code: ORION_ERR_XDS_ADS_TARGET_INVALID,
      message: 'static_resources.clusters[1] (ADS cluster "xds-grpc") is EDS; it must be STATIC or STRICT_DNS',
    });
    expect(errorOf(() => adsTargetFromBootstrap(bootstrap({ address: 'none' }))).details['path']).toBe('static_resources.clusters[1].load_assignment');
  });

  it('presets a builder', () => {
    const options = DiscoveryClientBuilder.fromBootstrap(bootstrap()).options();
    expect(options).toMatchObject({ target: { kind: 'tcp', port: 15010 }, protocol: 'delta', initialFetchTimeoutMs: 2500, resources: [] });
    expect(options.node).toMatchObject({ id: 'sidecar~1', cluster: 'app' });
  });
});
