import { createStatsStore } from '@orion/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { bootstrapOf, eventually, send, startUpstream } from '../stats/support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function config(upstreamPort: number): string {
  return `static_resources:
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
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: / }
                          route: { cluster: backend, timeout: 5s }
  clusters:
    - name: backend
      connect_timeout: 1s
      circuit_breakers: { thresholds: [{ priority: DEFAULT, max_requests: 4 }] }
      load_assignment:
        cluster_name: backend
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${upstreamPort} } } } }] }]
`;
}

describe('ClusterWithPools', () => {
  // Envoy's max_requests 4 shared by 2 workers: each worker enforces ceil(4 / 2) = 2 — split once, not twice.
  it("enforces the worker's share of max_requests (ceil(limit / workers)), splitting it only once", async () => {
    const upstream = await startUpstream('slow');
    cleanups.push(() => upstream.close());
    const plane = await DataPlane.start({ bootstrap: await bootstrapOf(config(upstream.port)), workers: 2, stats: createStatsStore() });
    cleanups.push(() => plane.destroy());
    const bound = plane.addresses().get('main');
    if (bound?.type !== 'socket') throw new Error('no listener');
    const first = send(bound.port, '/?delay=400');
    const second = send(bound.port, '/?delay=400');
    await eventually(() => upstream.received === 2);
    const third = await send(bound.port, '/');
    expect(third.status).toBe(503);
    expect([(await first).status, (await second).status]).toEqual([200, 200]);
    expect(plane.clusterStatuses()[0]?.circuitBreakers.default.maxRequests).toBe(4);
  });
});
