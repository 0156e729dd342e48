import { describe, expect, it } from 'vitest';
import { bootstrapToEnvoyJson, routeConfigurationToEnvoyJson, type JsonObject, type JsonValue } from '../../src/index.js';
import { load, MINIMAL } from '../support/load.js';

/** The value at a dotted path of numbers and keys, e.g. `static_resources.clusters.0.name`. */
function at(json: JsonValue, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = json;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Array.isArray(value) ? (value as readonly JsonValue[])[Number(key)] : (value as JsonObject)[key];
  }
  return value;
}

const HCM = 'static_resources.listeners.0.filter_chains.0.filters.0.typed_config';

describe('where the printed configuration differs from the file (README: Serialising back to Envoy JSON)', () => {
  it('a field set to its default value is not printed (the model cannot tell it from an unset one)', async () => {
    const { bootstrap } = await load(MINIMAL.replace('connect_timeout: 1s', 'connect_timeout: 5s\n    per_connection_buffer_limit_bytes: 1048576'));
    const cluster = at(bootstrapToEnvoyJson(bootstrap), 'static_resources.clusters.0') as JsonObject;
    expect(cluster['connect_timeout']).toBeUndefined();
    expect(cluster['per_connection_buffer_limit_bytes']).toBeUndefined();
  });

  it('the deprecated cluster protocol fields are printed as typed_extension_protocol_options', async () => {
    const { bootstrap } = await load(MINIMAL.replace('connect_timeout: 1s', 'connect_timeout: 1s\n    http2_protocol_options: { max_concurrent_streams: 10 }\n    max_requests_per_connection: 7'));
    const cluster = at(bootstrapToEnvoyJson(bootstrap), 'static_resources.clusters.0') as JsonObject;
    expect(cluster['http2_protocol_options']).toBeUndefined();
    expect(cluster['max_requests_per_connection']).toBeUndefined();
    expect(cluster['typed_extension_protocol_options']).toEqual({
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
        '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        common_http_protocol_options: { max_requests_per_connection: 7 },
        explicit_http_config: { http2_protocol_options: { max_concurrent_streams: 10 } },
      },
    });
  });

  it('deprecated spellings are printed in their current form, names lower-cased', async () => {
    const yaml = MINIMAL.replace(
      'route: { cluster: backend }',
      'route: { cluster: backend }\n                request_headers_to_add: [{ header: { key: X-A, value: b }, append: false }]\n              - match: { prefix: /h, headers: [{ name: X-Env, exact_match: prod }] }\n                route: { cluster: backend }',
    );
    const { bootstrap } = await load(yaml);
    const routes = at(bootstrapToEnvoyJson(bootstrap), `${HCM}.route_config.virtual_hosts.0.routes`);
    expect(at(routes ?? null, '0.request_headers_to_add')).toEqual([{ header: { key: 'x-a', value: 'b' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }]);
    expect(at(routes ?? null, '1.match.headers')).toEqual([{ name: 'x-env', string_match: { exact: 'prod' } }]);
  });

  it('an empty http_filters list is printed with the implied router', async () => {
    const { bootstrap } = await load(MINIMAL.replace(/ {10}http_filters:\n.*\n.*\n.*Router\n/, ''));
    expect(at(bootstrapToEnvoyJson(bootstrap), `${HCM}.http_filters`)).toEqual([
      { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } },
    ]);
  });

  it('node.user_agent_name is always printed, resource and transport API versions are printed as V3, a cluster type as written or STATIC', async () => {
    const yaml = `${MINIMAL}dynamic_resources:
  lds_config: { ads: {} }
  ads_config: { api_type: GRPC, grpc_services: [{ envoy_grpc: { cluster_name: backend } }] }
`;
    const { bootstrap } = await load(yaml);
    const json = bootstrapToEnvoyJson(bootstrap);
    expect(at(json, 'node')).toEqual({ user_agent_name: 'orion' });
    expect(at(json, 'dynamic_resources.lds_config')).toEqual({ ads: {}, resource_api_version: 'V3' });
    expect(at(json, 'dynamic_resources.ads_config.transport_api_version')).toBe('V3');
    expect(at(json, 'static_resources.clusters.0.type')).toBe('STATIC');
  });

  it("Orion's runtime and logging sections are left out", async () => {
    const { bootstrap } = await load(`runtime: { num_runtimes: 1 }\nlogging: { log_level: debug }\nenvoy_bootstrap:\n${MINIMAL.replace(/^/gm, '  ')}`);
    expect(bootstrap.runtime.numRuntimes).toBe(1);
    const json = bootstrapToEnvoyJson(bootstrap);
    expect(Object.keys(json)).toEqual(['node', 'static_resources']);
  });

  it('a route table on its own is printed as an RDS resource: validate_clusters only when true', async () => {
    const { bootstrap } = await load(MINIMAL);
    const hcm = bootstrap.staticResources.listeners[0]?.filterChains[0]?.filters[0];
    if (hcm?.type !== 'httpConnectionManager' || hcm.routeSpecifier.type !== 'inline') throw new Error('no inline route table');
    const table = hcm.routeSpecifier.routeConfiguration;
    expect(table.validateClusters).toBe(true);
    expect(at(bootstrapToEnvoyJson(bootstrap), `${HCM}.route_config.validate_clusters`)).toBeUndefined();
    expect(routeConfigurationToEnvoyJson(table)['validate_clusters']).toBe(true);
  });

  it("admin's access_log_path is printed back as access_log_path", async () => {
    const { bootstrap } = await load(`${MINIMAL}admin:\n  access_log_path: /dev/null\n  address: { socket_address: { address: 127.0.0.1, port_value: 0 } }\n`);
    expect(at(bootstrapToEnvoyJson(bootstrap), 'admin')).toEqual({ access_log_path: '/dev/null', address: { socket_address: { address: '127.0.0.1', port_value: 0 } } });
  });

  it('a cluster without load_assignment is printed without one (the model gives it an empty one)', async () => {
    const { bootstrap } = await load(`${MINIMAL}  - name: empty\n    type: STRICT_DNS\n`);
    const cluster = at(bootstrapToEnvoyJson(bootstrap), 'static_resources.clusters.1');
    expect(cluster).toEqual({ name: 'empty', type: 'STRICT_DNS' });
  });
});
