import type { ClusterLoadAssignment } from '@orion/configuration';
import { loadConfiguration } from '@orion/configuration';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { get, startUpstream } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CONFIG = `
dynamic_resources:
  ads_config:
    api_type: GRPC
    grpc_services: [{ envoy_grpc: { cluster_name: xds } }]
static_resources:
  listeners:
    - name: main
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  virtual_hosts:
                    - { name: all, domains: ["*"], routes: [{ match: { prefix: / }, route: { cluster: backend } }] }
  clusters:
    - name: xds
      connect_timeout: 1s
      load_assignment:
        cluster_name: xds
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 1 } } } }] }]
    - name: backend
      type: EDS
      connect_timeout: 1s
      eds_cluster_config: { eds_config: { ads: {} } }
`;

function assignment(port: number): ClusterLoadAssignment {
  return {
    clusterName: 'backend',
    overprovisioningFactor: 140,
    localities: [
      { priority: 0, endpoints: [{ address: { type: 'socket', host: '127.0.0.1', port, protocol: 'tcp', ipv4Compat: false }, hostname: '', healthStatus: 'healthy', loadBalancingWeight: 1 }] },
    ],
  };
}

describe('DataPlane.update with load assignments', () => {
  it('gives an EDS cluster its endpoints and replaces them only when they change', async () => {
    const a = await startUpstream('a');
    const b = await startUpstream('b');
    cleanups.push(() => a.close(), () => b.close());
    const { bootstrap } = await loadConfiguration({ text: CONFIG, path: 'eds.yaml', env: {} });
    const plane = await DataPlane.start({ bootstrap });
    cleanups.push(() => plane.destroy());
    const port = (plane.addresses().get('main') as { port: number }).port;
    expect((await get(port, '/')).status).toBe(503);

    const resources = { listeners: bootstrap.staticResources.listeners, clusters: bootstrap.staticResources.clusters };
    expect((await plane.update({ ...resources, loadAssignments: [assignment(a.port)] })).loadAssignmentsUpdated).toEqual(['backend']);
    expect((await get(port, '/')).body).toBe('a');
    expect((await plane.update({ ...resources, loadAssignments: [assignment(a.port)] })).loadAssignmentsUpdated).toEqual([]);
    expect((await plane.update({ ...resources, loadAssignments: [assignment(b.port)] })).loadAssignmentsUpdated).toEqual(['backend']);
    expect((await get(port, '/')).body).toBe('b');
  });

  it('starts from resources, endpoints included', async () => {
    const a = await startUpstream('a');
    cleanups.push(() => a.close());
    const { bootstrap } = await loadConfiguration({ text: CONFIG, path: 'eds.yaml', env: {} });
    const { listeners, clusters } = bootstrap.staticResources;
    const plane = await DataPlane.start({ resources: { listeners, clusters, loadAssignments: [assignment(a.port)] } });
    cleanups.push(() => plane.destroy());
    const port = (plane.addresses().get('main') as { port: number }).port;
    expect((await get(port, '/')).body).toBe('a');
  });
});
