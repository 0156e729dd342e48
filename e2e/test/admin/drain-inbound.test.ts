import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsConnections } from '../../src/orion/accepts-connections.js';
import { adminRequest, startAdminOrion, type AdminOrion } from '../../src/orion/admin.js';
import { curl } from '../../src/orion/curl.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { adminTestConfig } from './admin-config.js';

/** A second listener, `traffic_direction: INBOUND`, answering `inbound` itself. */
const INBOUND_LISTENER = `
    - name: listener_inbound
      traffic_direction: INBOUND
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: inbound_http
                route_config:
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: / }
                          direct_response: { status: 200, body: { inline_string: "inbound\\n" } }`;

let upstream: TestUpstream;
let proxy: AdminOrion;

beforeAll(async () => {
  upstream = await httpUpstream('backend', (_req, res) => res.end('backend\n'));
  proxy = await startAdminOrion(adminTestConfig({ upstreamPort: upstream.port, extraListeners: INBOUND_LISTENER }), ['--concurrency', '2']);
});

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
});

describe('/drain_listeners?inboundonly', () => {
  it('stops only the listeners with traffic_direction INBOUND; the others keep serving', async () => {
    const inbound = proxy.listeners.get('listener_inbound') ?? '';
    const other = proxy.listeners.get('listener_http') ?? '';
    expect((await curl(`http://${inbound}/`)).body).toBe('inbound\n');
    const answer = await adminRequest(proxy.adminUrl, '/drain_listeners?inboundonly', 'POST');
    expect([answer.status, answer.body]).toEqual([200, 'OK\n']);
    const deadline = Date.now() + 10_000;
    let stillAccepting = true;
    while (Date.now() < deadline && stillAccepting) {
      stillAccepting = await acceptsConnections(inbound);
      if (stillAccepting) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stillAccepting).toBe(false);
    for (let i = 0; i < 4; i++) expect((await curl(`http://${other}/direct`)).body).toBe('direct\n');
    expect((await adminRequest(proxy.adminUrl, '/listeners')).body).toBe(`listener_http::${other}\n`);
    expect((await adminRequest(proxy.adminUrl, '/stats?filter=listener_manager\\.listener_stopped')).body).toBe('listener_manager.listener_stopped: 1\n');
  });
});
