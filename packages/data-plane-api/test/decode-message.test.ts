import { describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { ClusterSchema } from '../src/gen/envoy/config/cluster/v3/cluster_pb.js';
import { decodeMessage, loadBootstrap, parseSource, type DecodeIssue } from '../src/index.js';

async function issuesOf(text: string, path = 'orion.yaml'): Promise<DecodeIssue[]> {
  try {
    await loadBootstrap(text, { path });
  } catch (err) {
    if (OrionError.is(err, 'ORION_ERR_DPAPI_DECODE')) return err.details['issues'] as DecodeIssue[];
    throw err;
  }
  return [];
}

async function messageOf(text: string, path = 'orion.yaml'): Promise<string> {
  try {
    await loadBootstrap(text, { path });
  } catch (err) {
    return (err as Error).message;
  }
  return 'OK';
}

const cluster = (body: string): string => `static_resources:
  clusters:
    - name: first
      connect_timeout: 1s
    - name: second
      connect_timeout: 1s
    - name: backend
${body}
`;

describe('loadBootstrap errors', () => {
  it('names a misspelt field with its path, line:column and a suggestion', async () => {
    const message = await messageOf(cluster('      conect_timeout: 1s'));
    expect(message).toBe(
      'orion.yaml:8:7: static_resources.clusters[2](backend).conect_timeout: unknown field (did you mean "connect_timeout"?) in envoy.config.cluster.v3.Cluster',
    );
  });

  it('rejects a duration without seconds at its path and line', async () => {
    const message = await messageOf(cluster('      connect_timeout: 1m'));
    expect(message).toBe(
      'orion.yaml:8:7: static_resources.clusters[2](backend).connect_timeout: invalid duration "1m" (expected seconds with an "s" suffix, e.g. "0.25s" or "60s")',
    );
  });

  it('rejects an out-of-range port through the PGV rules', async () => {
    const text = `admin:
  address:
    socket_address:
      address: 127.0.0.1
      port_value: 70000
`;
    expect(await messageOf(text)).toBe('orion.yaml:5:7: admin.address.socket_address.port_value: value 70000 is out of range: must be at most 65535');
  });

  it('rejects integers beyond their proto type', async () => {
    const issues = await issuesOf(cluster('      per_connection_buffer_limit_bytes: 5000000000'));
    expect(issues[0]?.path).toBe('static_resources.clusters[2](backend).per_connection_buffer_limit_bytes');
    expect(issues[0]?.message).toBe('5000000000 is out of range for uint32');
  });

  it('reports an unknown @type at its path', async () => {
    const text = `static_resources:
  listeners:
    - name: l
      address: { socket_address: { address: 127.0.0.1, port_value: 1 } }
      filter_chains:
        - filters:
            - name: f
              typed_config:
                "@type": type.googleapis.com/sample.SampleFilter
`;
    const issues = await issuesOf(text);
    expect(issues).toEqual([
      {
        path: 'static_resources.listeners[0](l).filter_chains[0].filters[0](f).typed_config',
        message: 'unknown type type.googleapis.com/sample.SampleFilter',
        location: { line: 8, column: 15 },
        file: 'orion.yaml',
      },
    ]);
  });

  it('reports wrong value types', async () => {
    const issues = await issuesOf(cluster('      type: 5x\n      lb_policy: ROUND_ROBINN\n      dns_lookup_family: [1]'));
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'static_resources.clusters[2](backend).type: unknown envoy.config.cluster.v3.Cluster.DiscoveryType value "5x"',
      'static_resources.clusters[2](backend).lb_policy: unknown envoy.config.cluster.v3.Cluster.LbPolicy value "ROUND_ROBINN" (did you mean "ROUND_ROBIN"?)',
      'static_resources.clusters[2](backend).dns_lookup_family: expected a envoy.config.cluster.v3.Cluster.DnsLookupFamily name, got a list',
    ]);
  });

  it('rejects two members of one oneof', async () => {
    const issues = await issuesOf(cluster('      type: STATIC\n      cluster_type: { name: x }'));
    expect(issues[0]?.message).toBe('"cluster_type" and "type" are both set, but only one of cluster_discovery_type may be');
  });

  it('lists every error, not only the first', async () => {
    const issues = await issuesOf(`static_resources:
  clusters:
    - name: a
      conect_timeout: 1s
    - name: b
      connect_timeout: 1m
`);
    expect(issues.map((i) => i.location?.line)).toEqual([4, 6]);
  });

  it('downgrades unknown fields to warnings on request', async () => {
    const loaded = await loadBootstrap(cluster('      conect_timeout: 1s'), { path: 'o.yaml', allowUnknownFields: true });
    expect(loaded.warnings.map((w) => w.path)).toEqual(['static_resources.clusters[2](backend).conect_timeout']);
    expect(loaded.message.staticResources?.clusters).toHaveLength(3);
  });
});

describe('loadBootstrap decoding', () => {
  it('accepts snake_case and camelCase, durations and typed_config Anys', async () => {
    const text = `static_resources:
  listeners:
    - name: l
      address: { socketAddress: { address: 127.0.0.1, port_value: 8000 } }
      filter_chains:
        - filters:
            - name: envoy.filters.network.tcp_proxy
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                stat_prefix: tcp
                cluster: c
                idleTimeout: 0.25s
`;
    const { message } = await loadBootstrap(text);
    const listener = message.staticResources?.listeners[0];
    expect(listener?.address?.address.case).toBe('socketAddress');
    const any = listener?.filterChains[0]?.filters[0]?.configType;
    expect(any?.case).toBe('typedConfig');
    expect(any?.case === 'typedConfig' ? any.value.typeUrl : undefined).toBe('type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy');
  });

  it('reads JSON input', async () => {
    const { message } = await loadBootstrap('{"admin":{"address":{"socket_address":{"address":"127.0.0.1","port_value":9901}}}}', { path: 'b.json' });
    expect(message.admin?.address?.address.value).toMatchObject({ portSpecifier: { case: 'portValue', value: 9901 } });
  });

  it('fills an embedded load_assignment cluster_name from its cluster', async () => {
    const { message } = await loadBootstrap(cluster('      load_assignment:\n        endpoints: []'));
    expect(message.staticResources?.clusters[2]?.loadAssignment?.clusterName).toBe('backend');
  });

  it('treats an empty oneof member value as that member with defaults', async () => {
    const text = cluster(`      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          explicit_http_config:
            http2_protocol_options:`);
    await expect(loadBootstrap(text)).resolves.toBeDefined();
  });
});

describe('decodeMessage', () => {
  it('decodes a single resource at a path inside a larger document', async () => {
    const doc = parseSource('envoy_bootstrap:\n  cluster:\n    name: x\n    connect_timeout: 2m\n', { path: 'w.yaml' });
    const value = (doc.value as { envoy_bootstrap: { cluster: unknown } }).envoy_bootstrap.cluster;
    const { FieldPath } = await import('../src/index.js');
    const at = FieldPath.root.field('envoy_bootstrap').field('cluster');
    await expect(decodeMessage(ClusterSchema, value, { document: doc, at })).rejects.toThrow(
      'w.yaml:4:5: envoy_bootstrap.cluster.connect_timeout: invalid duration "2m"',
    );
  });
});
