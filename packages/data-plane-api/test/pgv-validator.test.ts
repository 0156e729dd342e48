import { describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { loadBootstrap, type DecodeIssue } from '../src/index.js';

async function violations(text: string): Promise<string[]> {
  try {
    await loadBootstrap(text);
    return [];
  } catch (err) {
    if (!OrionError.is(err, 'ORION_ERR_DPAPI_DECODE')) throw err;
    return (err.details['issues'] as DecodeIssue[]).map((i) => `${i.location?.line ?? '?'}: ${i.path}: ${i.message}`);
  }
}

const hcm = (body: string): string => `static_resources:
  listeners:
    - name: l
      address: { socket_address: { address: 127.0.0.1, port_value: 1 } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
${body}
`;
const P = 'static_resources.listeners[0](l).filter_chains[0].filters[0](hcm).typed_config';

describe('validateRules (protoc-gen-validate)', () => {
  it('enforces string min_len (a missing stat_prefix)', async () => {
    expect(await violations(hcm('                route_config: {}'))).toEqual([`8: ${P}.stat_prefix: value is required (must not be empty)`]);
  });

  it('enforces required oneofs', async () => {
    expect(await violations(hcm('                stat_prefix: x'))).toEqual([`8: ${P}.route_specifier: one of "rds", "route_config", "scoped_routes" is required`]);
  });

  it('enforces repeated min_items inside nested messages', async () => {
    const v = await violations(hcm('                stat_prefix: x\n                route_config:\n                  virtual_hosts:\n                    - name: vh\n                      domains: []'));
    expect(v).toEqual([`14: ${P}.route_config.virtual_hosts[0](vh).domains: must have at least 1 item(s)`]);
  });

  it('enforces duration bounds (connect_timeout must be > 0)', async () => {
    expect(await violations('static_resources:\n  clusters:\n    - name: c\n      connect_timeout: 0s\n')).toEqual([
      '4: static_resources.clusters[0](c).connect_timeout: duration 0s must be greater than 0s',
    ]);
  });

  it('enforces defined enum values', async () => {
    expect(await violations('static_resources:\n  clusters:\n    - name: c\n      lb_policy: 99\n')).toEqual([
      '4: static_resources.clusters[0](c).lb_policy: 99 is not a defined enum value',
    ]);
  });

  it('enforces header-name patterns', async () => {
    const v = await violations(
      hcm('                stat_prefix: x\n                route_config:\n                  request_headers_to_add:\n                    - header: { key: "bad key", value: v }'),
    );
    expect(v).toEqual([`13: ${P}.route_config.request_headers_to_add[0].header.key: value "bad key" is not a valid HTTP header name`]);
  });

  it('enforces required messages', async () => {
    const v = await violations(hcm('                stat_prefix: x\n                route_config:\n                  virtual_hosts:\n                    - name: vh\n                      domains: ["*"]\n                      routes:\n                        - route: { cluster: c }'));
    expect(v).toEqual([`16: ${P}.route_config.virtual_hosts[0](vh).routes[0].match: value is required`]);
  });

  it('applies rules on a oneof member only when that member is set', async () => {
    const ok = hcm('                stat_prefix: x\n                route_config:\n                  virtual_hosts:\n                    - name: vh\n                      domains: ["*"]\n                      routes:\n                        - match: { prefix: "/" }\n                          route: { cluster: c }');
    expect(await violations(ok)).toEqual([]);
  });
});
