import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { SecretSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapToEnvoyJson, clusterToEnvoyJson, convertCluster, convertListener, convertSecret, listenerToEnvoyJson, secretToEnvoyJson, type JsonObject } from '../../src/index.js';
import { decodeYaml } from '../support/decode.js';
import { load } from '../support/load.js';

/** The expected text: the file in golden/, printed with one-space indentation as Envoy's admin pretty-prints. */
function golden(name: string): string {
  return readFileSync(new URL(`golden/${name}`, import.meta.url), 'utf8');
}

function print(json: JsonObject): string {
  return `${JSON.stringify(json, null, 1)}\n`;
}

const LISTENER = `
name: ingress
address: { socket_address: { address: 0.0.0.0, port_value: 10000 } }
filter_chains:
- filters:
  - name: envoy.filters.network.http_connection_manager
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
      stat_prefix: ingress_http
      access_log:
      - name: envoy.access_loggers.file
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
          path: /var/log/orion/access.log
          log_format: { text_format: "%REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE%\\n" }
      route_config:
        name: local_route
        virtual_hosts:
        - name: backend
          domains: ["*"]
          routes:
          - match: { prefix: /api }
            route: { cluster: service, timeout: 0.5s, prefix_rewrite: / }
          - match: { path: /healthz }
            direct_response: { status: 200, body: { inline_string: ok } }
      http_filters:
      - name: envoy.filters.http.router
        typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
`;

const CLUSTER = `
name: service
type: STRICT_DNS
connect_timeout: 0.25s
lb_policy: ROUND_ROBIN
dns_lookup_family: V4_ONLY
circuit_breakers:
  thresholds:
  - { max_connections: 1000, max_pending_requests: 100, max_retries: 5 }
  - { priority: HIGH, max_requests: 5000 }
typed_extension_protocol_options:
  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
    "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
    common_http_protocol_options: { idle_timeout: 30s }
    explicit_http_config:
      http2_protocol_options: { max_concurrent_streams: 128, initial_stream_window_size: 65536, connection_keepalive: { interval: 10s, timeout: 1s } }
load_assignment:
  cluster_name: service
  endpoints:
  - lb_endpoints:
    - endpoint: { address: { socket_address: { address: service.internal, port_value: 8080 } } }
`;

const SECRET = `
name: server
tls_certificate:
  certificate_chain: { filename: certs/server.pem }
  private_key: { inline_string: "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n" }
`;

const BOOTSTRAP = `
node: { id: edge-1, cluster: edge }
admin:
  address: { socket_address: { address: 127.0.0.1, port_value: 9901 } }
dynamic_resources:
  ads_config: { api_type: GRPC, transport_api_version: V3, grpc_services: [{ envoy_grpc: { cluster_name: xds } }] }
  cds_config: { ads: {}, resource_api_version: V3 }
  lds_config: { ads: {}, resource_api_version: V3 }
stats_flush_interval: 10s
stats_sinks:
- name: otel
  typed_config:
    "@type": type.googleapis.com/envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig
    grpc_service: { envoy_grpc: { cluster_name: xds } }
static_resources:
  clusters:
  - name: xds
    type: STATIC
    connect_timeout: 1s
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        explicit_http_config: { http2_protocol_options: {} }
    load_assignment:
      cluster_name: xds
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 18000 } } } }] }]
`;

describe('golden Envoy JSON', () => {
  let base = '';
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'orion-serialize-'));
    mkdirSync(join(base, 'certs'));
    writeFileSync(join(base, 'certs', 'server.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('a listener with an HTTP connection manager, inline routes and a file access log', async () => {
    const { message, document } = await decodeYaml(ListenerSchema, LISTENER);
    const { value } = await convertListener(message, { document });
    expect(print(listenerToEnvoyJson(value))).toBe(golden('listener.json'));
  });

  it('a STRICT_DNS cluster with circuit breakers and HTTP/2 protocol options', async () => {
    const { message, document } = await decodeYaml(ClusterSchema, CLUSTER);
    const { value } = await convertCluster(message, { document });
    expect(print(clusterToEnvoyJson(value))).toBe(golden('cluster.json'));
  });

  it('a TLS certificate secret, its inline private key redacted and its file name kept', async () => {
    const { message, document } = await decodeYaml(SecretSchema, SECRET);
    const { value } = await convertSecret(message, { document, env: {}, baseDirectory: base });
    expect(print(secretToEnvoyJson(value))).toBe(golden('secret.json'));
  });

  it('a bootstrap with an admin listener, ADS and an OpenTelemetry stats sink', async () => {
    const { bootstrap } = await load(BOOTSTRAP);
    expect(print(bootstrapToEnvoyJson(bootstrap))).toBe(golden('bootstrap.json'));
  });
});
