import { createStatsStore, type StatsStore } from '@orion/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { bootstrapOf, send, startUpstream, valueOf } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function httpListener(name: string, statPrefix: string, cluster: string): string {
  return `
    - name: ${name}
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ${statPrefix}
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: /missing }
                          direct_response: { status: 200 }
                          name: never
                          request_headers_to_add: []
                        - match: { prefix: / }
                          route: { cluster: ${cluster} }`;
}

function staticCluster(name: string, port: number): string {
  return `
    - name: ${name}
      connect_timeout: 1s
      load_assignment:
        cluster_name: ${name}
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${port} } } } }] }]`;
}

async function startPlane(yaml: string, stats: StatsStore): Promise<DataPlane> {
  const plane = await DataPlane.start({ bootstrap: await bootstrapOf(yaml), stats });
  cleanups.push(() => plane.destroy());
  return plane;
}

function portOf(plane: DataPlane, listener: string): number {
  const bound = plane.addresses().get(listener);
  if (bound?.type !== 'socket') throw new Error(`no socket listener ${listener}`);
  return bound.port;
}

describe('DataPlane.statsSnapshot', () => {
  it('copies cluster, listener and connection-manager counters into the store under Envoy names', async () => {
    const upstream = await startUpstream('a');
    cleanups.push(() => upstream.close());
    const stats = createStatsStore();
    const plane = await startPlane(`static_resources:
  listeners:${httpListener('main', 'ingress', 'backend')}
  clusters:${staticCluster('backend', upstream.port)}
`, stats);
    const port = portOf(plane, 'main');
    expect((await send(port, '/')).status).toBe(200);
    expect((await send(port, '/')).status).toBe(200);
    const snapshot = plane.statsSnapshot();
    expect(valueOf(snapshot, 'cluster.backend.upstream_rq_total')).toBe(2);
    expect(valueOf(snapshot, 'cluster.backend.membership_total')).toBe(1);
    expect(valueOf(snapshot, 'cluster.backend.membership_healthy')).toBe(1);
    expect(valueOf(snapshot, 'http.ingress.downstream_rq_total')).toBe(2);
    expect(valueOf(snapshot, 'http.ingress.downstream_rq_2xx')).toBe(2);
    expect(valueOf(snapshot, 'listener.127.0.0.1_0.downstream_cx_total')).toBe(2);
  });

  it('returns an empty snapshot without a store', async () => {
    const plane = await DataPlane.start({ bootstrap: await bootstrapOf('static_resources: { listeners: [], clusters: [] }\n') });
    cleanups.push(() => plane.destroy());
    expect(plane.statsSnapshot().counters).toEqual([]);
    expect(plane.clusterStatuses()).toEqual([]);
  });
});
