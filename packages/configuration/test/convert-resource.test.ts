import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { SecretSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { LazyTypeRegistry } from '@orion/data-plane-api';
import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { convertCluster, convertClusterLoadAssignment, convertListener, convertRouteConfiguration, convertSecret } from '../src/index.js';
import { decodeYaml } from './support/decode.js';

const ROUTES = `name: main
request_headers_to_add:
- header: { key: X-Table, value: t }
  append_action: OVERWRITE_IF_EXISTS_OR_ADD
response_headers_to_remove: [Server]
virtual_hosts:
- name: api
  domains: ["API.example.com", "*.example.com"]
  retry_policy: { retry_on: "5xx,unavailable", num_retries: 2 }
  routes:
  - match:
      path_separated_prefix: /v1
      case_sensitive: false
      headers:
      - { name: ":method", exact_match: GET }
      - { name: x-range, range_match: { start: 1, end: 10 }, invert_match: true }
      - { name: x-present, present_match: false }
      - { name: x-ua, string_match: { safe_regex: { regex: ".*curl.*" } }, treat_missing_header_as_empty: true }
      - { name: x-any }
      query_parameters:
      - { name: debug, present_match: true }
      - { name: lang, string_match: { prefix: en, ignore_case: true } }
      grpc: {}
    route:
      weighted_clusters:
        clusters:
        - { name: a, weight: 1, request_headers_to_add: [{ header: { key: x-w, value: a }, append: false }] }
        - { cluster_header: x-cluster, weight: 3 }
      regex_rewrite: { pattern: { regex: "^/v1/(.*)$" }, substitution: "/\\\\1" }
      host_rewrite_literal: internal
      timeout: 2.5s
      idle_timeout: 0s
      hash_policy:
      - header: { header_name: X-User }
      - { cookie: { name: sticky, ttl: 60s, path: / }, terminal: true }
      - connection_properties: { source_ip: true }
      - query_parameter: { name: key }
      upgrade_configs: [{ upgrade_type: WebSocket, enabled: false }]
      max_stream_duration: { grpc_timeout_header_max: 5s }
  - match: { prefix: /old }
    redirect: { https_redirect: true, port_redirect: 8443, prefix_rewrite: /new, response_code: PERMANENT_REDIRECT, strip_query: true }
  - match: { safe_regex: { regex: "/status/[0-9]+" } }
    direct_response: { status: 204, body: { inline_string: done } }
  - match: { path: /hdr }
    route:
      cluster_header: X-Target
      retry_policy:
        retry_on: retriable-status-codes
        retriable_status_codes: [409]
        retry_back_off: { base_interval: 0.1s }
        per_try_timeout: 1s
`;

describe('convertRouteConfiguration', () => {
  it('converts every kind of match and action', async () => {
    const { message, document } = await decodeYaml(RouteConfigurationSchema, ROUTES);
    const { value, warnings } = await convertRouteConfiguration(message, { document });
    expect(warnings).toEqual([]);
    expect(value.validateClusters).toBe(false);
    expect(value.headerMutations).toEqual({
      requestHeadersToAdd: [{ key: 'x-table', value: 't', appendAction: 'overwriteIfExistsOrAdd', keepEmptyValue: false }],
      requestHeadersToRemove: [],
      responseHeadersToAdd: [],
      responseHeadersToRemove: ['server'],
    });
    const vhost = value.virtualHosts[0];
    expect(vhost?.domains).toEqual(['api.example.com', '*.example.com']);
    const [first, redirect, direct, byHeader] = vhost?.routes ?? [];
    expect(first?.match).toEqual({
      path: { type: 'pathSeparatedPrefix', prefix: '/v1' },
      caseSensitive: false,
      headers: [
        { name: ':method', match: { type: 'string', matcher: { type: 'exact', value: 'GET', ignoreCase: false } }, invert: false, treatMissingHeaderAsEmpty: false },
        { name: 'x-range', match: { type: 'range', start: 1, end: 10 }, invert: true, treatMissingHeaderAsEmpty: false },
        { name: 'x-present', match: { type: 'present', present: false }, invert: false, treatMissingHeaderAsEmpty: false },
        { name: 'x-ua', match: { type: 'string', matcher: { type: 'safeRegex', regex: '.*curl.*' } }, invert: false, treatMissingHeaderAsEmpty: true },
        { name: 'x-any', match: { type: 'present', present: true }, invert: false, treatMissingHeaderAsEmpty: false },
      ],
      queryParameters: [
        { name: 'debug', match: { type: 'present', present: true } },
        { name: 'lang', match: { type: 'string', matcher: { type: 'prefix', value: 'en', ignoreCase: true } } },
      ],
      grpc: true,
    });
    expect(first?.action).toMatchObject({
      type: 'forward',
      cluster: {
        type: 'weightedClusters',
        totalWeight: 4,
        clusters: [
          { cluster: { type: 'cluster', name: 'a' }, weight: 1, headerMutations: { requestHeadersToAdd: [{ key: 'x-w', value: 'a', appendAction: 'overwriteIfExistsOrAdd' }] } },
          { cluster: { type: 'clusterHeader', header: 'x-cluster' }, weight: 3 },
        ],
      },
      pathRewrite: { type: 'regex', pattern: '^/v1/(.*)$', substitution: '/\\1' },
      hostRewrite: { type: 'literal', host: 'internal' },
      timeoutMs: 2500,
      idleTimeoutMs: 0,
      retryPolicy: { retryOn: ['5xx'], grpcRetryOn: ['unavailable'], numRetries: 2, backOffBaseIntervalMs: 25, backOffMaxIntervalMs: 250 },
      hashPolicies: [
        { type: 'header', headerName: 'x-user', terminal: false },
        { type: 'cookie', name: 'sticky', ttlMs: 60_000, path: '/', terminal: true },
        { type: 'connectionProperties', sourceIp: true, terminal: false },
        { type: 'queryParameter', name: 'key', terminal: false },
      ],
      upgradeConfigs: [{ upgradeType: 'websocket', enabled: false }],
      maxStreamDuration: { grpcTimeoutHeaderMaxMs: 5000, grpcTimeoutHeaderOffsetMs: 0 },
    });
    expect(redirect?.action).toEqual({ type: 'redirect', scheme: 'https', port: 8443, pathRewrite: { type: 'prefix', prefix: '/new' }, responseCode: 308, stripQuery: true });
    expect(direct?.action).toEqual({ type: 'directResponse', status: 204, body: { type: 'inlineString', value: 'done' } });
    expect(byHeader?.action).toMatchObject({
      cluster: { type: 'clusterHeader', header: 'x-target' },
      retryPolicy: { retryOn: ['retriable-status-codes'], retriableStatusCodes: [409], perTryTimeoutMs: 1000, backOffBaseIntervalMs: 100, backOffMaxIntervalMs: 1000 },
    });
  });

  it('refuses bad regexes, unknown retry conditions and conflicting rewrites, each at its path and line', async () => {
    const yaml = `virtual_hosts:
- name: v
  domains: ["*"]
  routes:
  - match: { safe_regex: { regex: "(?=x)" } }
    route: { cluster: c, prefix_rewrite: /a, regex_rewrite: { pattern: { regex: "(" }, substitution: x } }
  - match: { prefix: / }
    route: { cluster: c, retry_policy: { retry_on: "5xx,sometimes" } }
`;
    const { message, document } = await decodeYaml(RouteConfigurationSchema, yaml);
    let error: unknown;
    try {
      await convertRouteConfiguration(message, { document });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OrionError);
    const lines = (error as OrionError).message.split('\n').slice(1).map((l) => l.trim());
    expect(lines).toEqual([
      'resource.yaml:5:28: virtual_hosts[0](v).routes[0].match.safe_regex.regex: invalid regex "(?=x)": lookaround is not supported by RE2',
      'resource.yaml:6:46: virtual_hosts[0](v).routes[0].route.regex_rewrite: prefix_rewrite and regex_rewrite cannot both be set',
      expect.stringMatching(/^resource\.yaml:6:\d+: virtual_hosts\[0\]\(v\)\.routes\[0\]\.route\.regex_rewrite\.pattern\.regex: invalid regex "\(": /),
      'resource.yaml:8:42: virtual_hosts[0](v).routes[1].route.retry_policy.retry_on: unknown retry condition "sometimes"',
    ]);
  });
});

describe('convertCluster', () => {
  it('converts discovery types, load balancers and protocol options', async () => {
    const dns = `name: dns
type: STRICT_DNS
dns_refresh_rate: 30s
dns_lookup_family: V4_ONLY
respect_dns_ttl: true
lb_policy: RING_HASH
ring_hash_lb_config: { minimum_ring_size: 64 }
circuit_breakers: { thresholds: [{ max_connections: 10 }, { priority: HIGH, max_requests: 5 }] }
upstream_connection_options: { tcp_keepalive: { keepalive_time: 300 } }
typed_extension_protocol_options:
  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
    "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
    common_http_protocol_options: { idle_timeout: 1s, max_requests_per_connection: 100 }
    auto_config: { http2_protocol_options: { max_concurrent_streams: 50 } }
load_assignment:
  endpoints:
  - priority: 0
    locality: { region: eu, zone: a }
    load_balancing_weight: 5
    lb_endpoints:
    - endpoint: { address: { socket_address: { address: backend.local, port_value: 80 } }, hostname: backend }
      health_status: DRAINING
      load_balancing_weight: 3
  - priority: 1
    lb_endpoints:
    - endpoint: { address: { socket_address: { address: backup.local, port_value: 80 } } }
`;
    const { message, document } = await decodeYaml(ClusterSchema, dns);
    const { value } = await convertCluster(message, { document });
    expect(value).toMatchObject({
      name: 'dns',
      statName: 'dns',
      connectTimeoutMs: 5000,
      lbPolicy: { type: 'ringHash', minimumRingSize: 64, maximumRingSize: 8_388_608 },
      httpProtocol: { type: 'auto', http2: { maxConcurrentStreams: 50, hpackTableSize: 4096 } },
      commonHttpProtocolOptions: { idleTimeoutMs: 1000, maxRequestsPerConnection: 100, maxHeadersCount: 100 },
      circuitBreakers: [
        { priority: 'default', maxConnections: 10, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
        { priority: 'high', maxConnections: 1024, maxRequests: 5 },
      ],
      tcpKeepaliveTimeS: 300,
    });
    expect(value.discovery).toEqual({
      type: 'strictDns',
      dnsRefreshRateMs: 30_000,
      respectDnsTtl: true,
      dnsLookupFamily: 'v4Only',
      loadAssignment: {
        clusterName: 'dns',
        overprovisioningFactor: 140,
        localities: [
          {
            locality: { region: 'eu', zone: 'a', subZone: '' },
            loadBalancingWeight: 5,
            priority: 0,
            endpoints: [{ address: { type: 'socket', host: 'backend.local', port: 80, protocol: 'tcp', ipv4Compat: false }, hostname: 'backend', healthStatus: 'draining', loadBalancingWeight: 3 }],
          },
          { priority: 1, endpoints: [{ address: { type: 'socket', host: 'backup.local', port: 80, protocol: 'tcp', ipv4Compat: false }, hostname: '', healthStatus: 'unknown', loadBalancingWeight: 1 }] },
        ],
      },
    });
  });

  it('converts EDS, ORIGINAL_DST (header form), pipes and the deprecated h2 options', async () => {
    const eds = await decodeYaml(ClusterSchema, 'name: e\ntype: EDS\neds_cluster_config: { service_name: svc, eds_config: { ads: {}, initial_fetch_timeout: 0s } }\nlb_policy: LEAST_REQUEST\nhttp2_protocol_options: {}\n');
    expect((await convertCluster(eds.message)).value).toMatchObject({
      discovery: { type: 'eds', serviceName: 'svc', edsConfig: { type: 'ads', initialFetchTimeoutMs: 0 } },
      lbPolicy: { type: 'leastRequest', choiceCount: 2 },
      httpProtocol: { type: 'http2' },
    });
    const odst = await decodeYaml(ClusterSchema, 'name: o\ntype: ORIGINAL_DST\nlb_policy: CLUSTER_PROVIDED\noriginal_dst_lb_config: { use_http_header: true, upstream_port_override: 8080 }\n');
    expect((await convertCluster(odst.message)).value.discovery).toEqual({ type: 'originalDst', httpHeaderName: 'x-envoy-original-dst-host', upstreamPortOverride: 8080, cleanupIntervalMs: 5000 });
    const socketForm = await decodeYaml(ClusterSchema, 'name: o\ntype: ORIGINAL_DST\nlb_policy: CLUSTER_PROVIDED\n');
    await expect(convertCluster(socketForm.message, { document: socketForm.document })).rejects.toThrow(/resource\.yaml:2:1: type: ORIGINAL_DST clusters need original_dst_lb_config\.use_http_header: true/);
    const pipe = await decodeYaml(ClusterLoadAssignmentSchema, 'cluster_name: p\nendpoints:\n- lb_endpoints:\n  - endpoint: { address: { pipe: { path: /tmp/x.sock } } }\n');
    expect((await convertClusterLoadAssignment(pipe.message)).value.localities[0]?.endpoints[0]?.address).toEqual({ type: 'pipe', path: '/tmp/x.sock', mode: 0 });
  });

  it('refuses values the data plane does not implement', async () => {
    const { message, document } = await decodeYaml(ClusterSchema, 'name: x\nlb_policy: MAGLEV\nmaglev_lb_config: { table_size: 1000 }\nload_assignment:\n  endpoints:\n  - priority: 1\n    lb_endpoints: []\n');
    await expect(convertCluster(message, { document })).rejects.toThrow(
      /resource\.yaml:3:21: maglev_lb_config\.table_size: table_size 1000 must be a prime number\n.*resource\.yaml:5:3: load_assignment\.endpoints: priorities must be contiguous from 0/s,
    );
  });
});

describe('convertListener and convertSecret', () => {
  it('converts a TCP proxy listener with a filter chain match and a TLS inspector', async () => {
    const yaml = `name: tcp
address: { socket_address: { address: "::", port_value: 9000, ipv4_compat: true } }
listener_filters:
- name: tls
  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector, enable_ja3_fingerprinting: false }
per_connection_buffer_limit_bytes: 32768
filter_chains:
- name: internal
  filter_chain_match: { destination_port: 9000, source_prefix_ranges: [{ address_prefix: 10.0.0.0, prefix_len: 8 }], source_type: SAME_IP_OR_LOOPBACK, source_ports: [1234] }
  filters:
  - name: proxy
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
      stat_prefix: tcp
      weighted_clusters: { clusters: [{ name: a, weight: 1 }, { name: b, weight: 2 }] }
      idle_timeout: 10s
      access_log:
      - name: stderr
        typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog }
`;
    const { message, document } = await decodeYaml(ListenerSchema, yaml);
    const { value } = await convertListener(message, { document });
    expect(value).toMatchObject({
      name: 'tcp',
      address: { type: 'socket', host: '::', port: 9000, ipv4Compat: true },
      listenerFilters: [{ type: 'tlsInspector', name: 'tls' }],
      perConnectionBufferLimitBytes: 32_768,
      bindToPort: true,
    });
    expect(value.filterChains[0]?.match).toEqual({
      destinationPort: 9000,
      prefixRanges: [],
      directSourcePrefixRanges: [],
      sourceType: 'sameIpOrLoopback',
      sourcePrefixRanges: [{ addressPrefix: '10.0.0.0', prefixLen: 8 }],
      sourcePorts: [1234],
    });
    expect(value.filterChains[0]?.filters[0]).toMatchObject({
      type: 'tcpProxy',
      name: 'proxy',
      statPrefix: 'tcp',
      cluster: { type: 'weightedClusters', clusters: [{ name: 'a', weight: 1 }, { name: 'b', weight: 2 }] },
      idleTimeoutMs: 10_000,
      accessLogs: [{ name: 'stderr', sink: { type: 'stderr' }, format: { type: 'text' } }],
    });
  });

  it('refuses SNI matching and TLS transport sockets as not implemented', async () => {
    const yaml = `name: tls
address: { socket_address: { address: 0.0.0.0, port_value: 443 } }
filter_chains:
- filter_chain_match: { server_names: [a.example] }
  transport_socket:
    name: tls
    typed_config: { "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext }
  filters:
  - name: proxy
    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: c }
`;
    const { message, document } = await decodeYaml(ListenerSchema, yaml);
    await expect(convertListener(message, { document })).rejects.toThrow(
      'resource.yaml:4:25: filter_chains[0].filter_chain_match.server_names: envoy.config.listener.v3.FilterChainMatch.server_names is not implemented\n  resource.yaml:5:3: filter_chains[0].transport_socket: transport socket envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext is not implemented',
    );
  });

  it('converts secrets with inline and environment data sources', async () => {
    const { message } = await decodeYaml(SecretSchema, 'name: cert\ntls_certificate:\n  certificate_chain: { inline_string: PEM }\n  private_key: { environment_variable: KEY }\n');
    expect((await convertSecret(message, { env: { KEY: 'x' } })).value).toEqual({
      type: 'tlsCertificate',
      name: 'cert',
      certificateChain: { type: 'inlineString', value: 'PEM' },
      privateKey: { type: 'environmentVariable', name: 'KEY' },
    });
    await expect(convertSecret(message, { env: {} })).rejects.toThrow('tls_certificate.private_key.environment_variable: environment variable KEY is not set');
  });
});

describe('xDS resources decoded from binary', () => {
  it('loads nested typed_config types itself and unwraps TypedStructs of implemented extensions', async () => {
    const yaml = `name: lds
address: { socket_address: { address: 0.0.0.0, port_value: 15001 } }
filter_chains:
- filters:
  - name: hcm
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
      stat_prefix: inbound
      rds: { route_config_name: r, config_source: { ads: {} } }
      http_filters:
      - name: router
        typed_config:
          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
          type_url: type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          value: { suppress_envoy_headers: true }
`;
    const { message } = await decodeYaml(ListenerSchema, yaml);
    // As the xDS client sees it: binary, decoded without a registry, with a registry that has loaded nothing.
    const wire = fromBinary(ListenerSchema, toBinary(ListenerSchema, message));
    const registry = new LazyTypeRegistry();
    const { value } = await convertListener(wire, { registry });
    expect(value.filterChains[0]?.filters[0]).toMatchObject({
      type: 'httpConnectionManager',
      routeSpecifier: { type: 'rds', routeConfigName: 'r', configSource: { type: 'ads' } },
      httpFilters: [{ type: 'router', name: 'router', suppressEnvoyHeaders: true }],
    });
    expect(registry.loadedFileCount).toBeGreaterThan(0);
  });
});
