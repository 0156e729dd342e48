import type { FieldPath } from '@orion/data-plane-api';
import type { TcpProxy as TcpProxyProto } from '@orion/data-plane-api/gen/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy_pb.js';
import type { TcpProxy, TcpProxyCluster } from '../model/tcp-proxy.js';
import { convertAccessLogs } from './convert-access-log.js';
import type { ConversionContext } from './conversion-context.js';
import { durationMs } from './proto-values.js';

/** `envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy` → {@link TcpProxy}. */
export function convertTcpProxy(name: string, proxy: TcpProxyProto, path: FieldPath, ctx: ConversionContext): TcpProxy {
  let cluster: TcpProxyCluster;
  const spec = proxy.clusterSpecifier;
  switch (spec.case) {
    case 'cluster':
      cluster = { type: 'cluster', name: spec.value };
      break;
    case 'weightedClusters': {
      const clusters = spec.value.clusters.map((c) => ({ name: c.name, weight: c.weight }));
      if (clusters.reduce((sum, c) => sum + c.weight, 0) === 0) ctx.error(path.field('weighted_clusters').field('clusters'), 'the sum of the weights must be greater than 0');
      cluster = { type: 'weightedClusters', clusters };
      break;
    }
    default:
      ctx.error(path, 'cluster or weighted_clusters is required');
      cluster = { type: 'cluster', name: '' };
  }
  return {
    type: 'tcpProxy',
    name,
    statPrefix: proxy.statPrefix,
    cluster,
    idleTimeoutMs: durationMs(proxy.idleTimeout, 3_600_000),
    accessLogs: convertAccessLogs(proxy.accessLog, path.field('access_log'), ctx),
  };
}
