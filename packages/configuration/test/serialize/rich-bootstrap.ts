/**
 * A bootstrap that sets (nearly) every field Orion supports, for the serialisation round trip and decode tests.
 * `env` holds the environment variables it names.
 */
export const RICH_ENV: Readonly<Record<string, string>> = { LOG_FORMAT: '%START_TIME% %PROTOCOL%\n', KEY_PASSWORD: 'secret-env' };

export const RICH_BOOTSTRAP = `
node:
  id: node-1
  cluster: mesh
  metadata: { team: edge, weight: 3, tags: [a, b], nested: { on: true, none: null } }
  locality: { region: eu, zone: eu-1a, sub_zone: rack-2 }
  user_agent_name: gateway
  user_agent_version: "1.2.3"
admin:
  access_log_path: /dev/null
  address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
stats_flush_interval: 2.5s
stats_config:
  use_all_default_tags: false
  stats_tags:
  - { tag_name: tenant, regex: '^cluster\\.((.+?)\\.)' }
  - { tag_name: region, fixed_value: eu }
  - { tag_name: envoy.cluster_name }
  stats_matcher:
    exclusion_list:
      patterns: [{ prefix: cluster.drop., ignore_case: true }, { safe_regex: { regex: 'http\\..*_rq_\\d+' } }, { exact: a }, { suffix: _b }, { contains: c }]
  histogram_bucket_settings:
  - { match: { suffix: _rq_time }, buckets: [1, 10, 100] }
  - { match: { safe_regex: { regex: 'cluster\\..*' } }, buckets: [0.5, 2] }
stats_sinks:
- name: otel
  typed_config:
    "@type": type.googleapis.com/envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig
    grpc_service: { envoy_grpc: { cluster_name: xds, authority: collector.local }, timeout: 3s, initial_metadata: [{ key: X-Tenant, value: t1 }] }
    report_counters_as_deltas: true
    emit_tags_as_attributes: false
    prefix: orion
dynamic_resources:
  ads_config:
    api_type: DELTA_GRPC
    transport_api_version: V3
    set_node_on_first_message_only: true
    grpc_services: [{ envoy_grpc: { cluster_name: xds } }]
  lds_config: { ads: {}, resource_api_version: V3, initial_fetch_timeout: 0s }
  cds_config:
    resource_api_version: V3
    api_config_source: { api_type: GRPC, transport_api_version: V3, grpc_services: [{ envoy_grpc: { cluster_name: xds } }] }
static_resources:
  secrets:
  - name: server-cert
    tls_certificate:
      certificate_chain: { inline_string: "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n" }
      private_key: { inline_bytes: "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==" }
      password: { environment_variable: KEY_PASSWORD }
  - name: ca
    validation_context: { trusted_ca: { inline_string: "-----BEGIN CERTIFICATE-----\\nMIIC\\n-----END CERTIFICATE-----\\n" } }
  listeners:
  - name: http
    stat_prefix: public
    address: { socket_address: { address: "::", port_value: 8080, ipv4_compat: true } }
    per_connection_buffer_limit_bytes: 32768
    tcp_backlog_size: 512
    traffic_direction: INBOUND
    listener_filters_timeout: 5s
    continue_on_listener_filters_timeout: true
    listener_filters:
    - name: envoy.filters.listener.tls_inspector
      typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector }
    filter_chains:
    - name: internal
      filter_chain_match:
        destination_port: 8080
        prefix_ranges: [{ address_prefix: 10.0.0.0, prefix_len: 8 }]
        direct_source_prefix_ranges: [{ address_prefix: 192.168.0.0, prefix_len: 16 }]
        source_type: SAME_IP_OR_LOOPBACK
        source_prefix_ranges: [{ address_prefix: 0.0.0.0, prefix_len: 0 }]
        source_ports: [1000, 2000]
      filters:
      - name: hcm
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          codec_type: HTTP1
          stat_prefix: ingress
          server_name: orion-edge
          max_request_headers_kb: 96
          stream_idle_timeout: 0s
          request_timeout: 30s
          request_headers_timeout: 10s
          drain_timeout: 1s
          use_remote_address: true
          xff_num_trusted_hops: 2
          skip_xff_append: true
          generate_request_id: false
          preserve_external_request_id: true
          always_set_request_id_in_response: true
          strip_any_host_port: true
          upgrade_configs: [{ upgrade_type: websocket }, { upgrade_type: CONNECT, enabled: false }]
          common_http_protocol_options: { idle_timeout: 60s, max_headers_count: 80, max_requests_per_connection: 1000, max_connection_duration: 600s, max_stream_duration: 20s }
          http_protocol_options: { allow_absolute_url: false, accept_http_10: true, default_host_for_http_10: legacy.internal }
          http2_protocol_options:
            hpack_table_size: 8192
            max_concurrent_streams: 100
            initial_stream_window_size: 65536
            initial_connection_window_size: 1048576
            connection_keepalive: { interval: 30s, timeout: 5s }
          tracing: { client_sampling: { value: 50 }, random_sampling: { value: 12.5 } }
          access_log:
          - name: file
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
              path: /dev/stdout
              log_format: { text_format: "[%START_TIME%] %REQ(:METHOD)%\\n", omit_empty_values: true }
          - name: json
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog
              log_format: { json_format: { method: "%REQ(:METHOD)%", code: "%RESPONSE_CODE%", fixed: { n: 1 } } }
          - name: source
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog
              log_format: { text_format_source: { environment_variable: LOG_FORMAT } }
          - name: plain
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
              path: /dev/null
          http_filters:
          - name: envoy.filters.http.router
            typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router, suppress_envoy_headers: true }
          route_config:
            name: local
            most_specific_header_mutations_wins: true
            validate_clusters: false
            max_direct_response_body_size_bytes: 1024
            ignore_port_in_host_matching: true
            request_headers_to_add: [{ header: { key: x-table, value: t }, append_action: OVERWRITE_IF_EXISTS_OR_ADD }]
            request_headers_to_remove: [x-drop]
            response_headers_to_add: [{ header: { key: x-client, value: "%DOWNSTREAM_REMOTE_ADDRESS%" }, append_action: ADD_IF_ABSENT, keep_empty_value: true }]
            response_headers_to_remove: [server]
            virtual_hosts:
            - name: api
              domains: ["api.example.com", "*.example.com"]
              include_request_attempt_count: true
              include_attempt_count_in_response: true
              retry_policy: { retry_on: "5xx,reset,unavailable", num_retries: 4, per_try_timeout: 2s, per_try_idle_timeout: 1s, retry_back_off: { base_interval: 0.1s, max_interval: 3s } }
              request_headers_to_add: [{ header: { key: x-vhost, value: api }, append_action: OVERWRITE_IF_EXISTS }]
              routes:
              - name: weighted
                match:
                  path_separated_prefix: /v1
                  case_sensitive: false
                  headers:
                  - { name: ":method", exact_match: GET }
                  - { name: x-range, range_match: { start: -5, end: 10 }, invert_match: true }
                  - { name: x-present, present_match: false }
                  - { name: x-ua, string_match: { safe_regex: { regex: ".*curl.*" } }, treat_missing_header_as_empty: true }
                  - { name: x-suffix, string_match: { suffix: ".json", ignore_case: true } }
                  - { name: x-any }
                  query_parameters:
                  - { name: debug, present_match: true }
                  - { name: lang, string_match: { contains: en } }
                  grpc: {}
                route:
                  weighted_clusters:
                    clusters:
                    - { name: dns, weight: 1, host_rewrite_literal: a.internal, response_headers_to_add: [{ header: { key: x-w, value: a } }] }
                    - { cluster_header: x-cluster, weight: 3, request_headers_to_remove: [x-w] }
                  regex_rewrite: { pattern: { regex: "^/v1/(.*)$" }, substitution: "/\\\\1" }
                  append_x_forwarded_host: true
                  timeout: 2.5s
                  idle_timeout: 0s
                  cluster_not_found_response_code: NOT_FOUND
                  hash_policy:
                  - header: { header_name: x-user, regex_rewrite: { pattern: { regex: "^(\\\\w+)" }, substitution: "\\\\1" } }
                  - { cookie: { name: sticky, ttl: 60s, path: / }, terminal: true }
                  - connection_properties: { source_ip: true }
                  - query_parameter: { name: key }
                  upgrade_configs: [{ upgrade_type: websocket, enabled: false }]
                  max_stream_duration: { max_stream_duration: 30s, grpc_timeout_header_max: 5s, grpc_timeout_header_offset: 0.05s }
              - match: { prefix: /prefix }
                route: { cluster: static, prefix_rewrite: /, auto_host_rewrite: true }
                request_headers_to_add: [{ header: { key: x-route, value: r }, append: false }]
            - name: misc
              domains: ["*"]
              routes:
              - match: { path: /exact }
                route:
                  cluster_header: X-Target
                  host_rewrite_header: X-Host
                  timeout: 0s
                  retry_policy:
                    retry_on: retriable-status-codes,retriable-headers
                    retriable_status_codes: [409, 429]
                    retriable_headers: [{ name: x-retry, string_match: { exact: "yes" } }]
                    retriable_request_headers: [{ name: ":method", string_match: { exact: GET } }]
              - match: { safe_regex: { regex: "/status/[0-9]+" } }
                direct_response: { status: 204, body: { inline_string: done } }
              - match: { prefix: /bytes }
                direct_response: { status: 200, body: { inline_bytes: "aGVsbG8=" } }
              - match: { prefix: /old }
                redirect: { https_redirect: true, port_redirect: 8443, prefix_rewrite: /new, response_code: PERMANENT_REDIRECT, strip_query: true }
              - match: { prefix: /scheme }
                redirect: { scheme_redirect: ws, host_redirect: example.org, path_redirect: /x?y=1, response_code: FOUND }
              - match: { prefix: /re }
                redirect: { regex_rewrite: { pattern: { regex: "^/re/(.*)" }, substitution: "/\\\\1" }, response_code: SEE_OTHER }
              - match: { prefix: /hostre }
                route: { cluster: static, host_rewrite_path_regex: { pattern: { regex: "^/hostre/([^/]+).*" }, substitution: "\\\\1" } }
              - match: { prefix: / }
                route: { cluster: static }
    default_filter_chain:
      filters:
      - name: tcp
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
          stat_prefix: fallback
          weighted_clusters: { clusters: [{ name: static, weight: 2 }, { name: dns, weight: 1 }] }
          idle_timeout: 10s
          access_log:
          - name: tcp-log
            typed_config: { "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog }
  - name: rds
    address: { socket_address: { address: 127.0.0.1, port_value: 8081 } }
    bind_to_port: false
    traffic_direction: OUTBOUND
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          codec_type: HTTP2
          stat_prefix: rds
          strip_matching_host_port: true
          tracing: {}
          rds: { route_config_name: routes, config_source: { ads: {}, resource_api_version: V3 } }
  - name: pipe
    address: { pipe: { path: /tmp/orion-serialize.sock, mode: 384 } }
    filter_chains:
    - filters:
      - name: tcp
        typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: pipe, cluster: static }
  clusters:
  - name: static
    alt_stat_name: static_stats
    connect_timeout: 0.25s
    per_connection_buffer_limit_bytes: 65536
    lb_policy: LEAST_REQUEST
    least_request_lb_config: { choice_count: 3 }
    common_lb_config: { healthy_panic_threshold: { value: 0 } }
    upstream_connection_options: { tcp_keepalive: { keepalive_time: 30 } }
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        common_http_protocol_options: { idle_timeout: 10s, max_requests_per_connection: 50 }
        explicit_http_config: { http_protocol_options: {} }
    load_assignment:
      cluster_name: static
      policy: { overprovisioning_factor: 200 }
      endpoints:
      - locality: { region: eu, zone: a }
        load_balancing_weight: 10
        lb_endpoints:
        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9001 } }, hostname: one.local }
          health_status: HEALTHY
          load_balancing_weight: 5
        - endpoint: { address: { pipe: { path: /tmp/orion-upstream.sock } } }
          health_status: DRAINING
      - priority: 1
        lb_endpoints:
        - endpoint: { address: { socket_address: { address: 127.0.0.2, port_value: 9002 } } }
  - name: dns
    type: STRICT_DNS
    dns_lookup_family: V4_ONLY
    dns_refresh_rate: 10s
    respect_dns_ttl: true
    lb_policy: RING_HASH
    ring_hash_lb_config: { minimum_ring_size: 512, maximum_ring_size: 4096 }
    circuit_breakers:
      thresholds:
      - { max_connections: 100, max_pending_requests: 50, max_requests: 200, max_retries: 5 }
      - { priority: HIGH, max_connections: 10 }
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        explicit_http_config:
          http2_protocol_options: { max_concurrent_streams: 50, connection_keepalive: { timeout: 2s } }
    load_assignment:
      cluster_name: dns
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: backend.local, port_value: 80 } } } }] }]
  - name: logical
    type: LOGICAL_DNS
    dns_lookup_family: ALL
    lb_policy: MAGLEV
    maglev_lb_config: { table_size: 5 }
    http2_protocol_options: {}
    load_assignment:
      cluster_name: logical
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: api.local, port_value: 443 } } } }] }]
  - name: eds
    type: EDS
    lb_policy: RANDOM
    eds_cluster_config: { service_name: eds-service, eds_config: { ads: {}, resource_api_version: V3 } }
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        use_downstream_protocol_config: { http2_protocol_options: { initial_stream_window_size: 131072 } }
  - name: eds-plain
    type: EDS
    eds_cluster_config: { eds_config: { ads: {} } }
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        auto_config: {}
  - name: original
    type: ORIGINAL_DST
    lb_policy: CLUSTER_PROVIDED
    cleanup_interval: 60s
    original_dst_lb_config: { use_http_header: true, http_header_name: X-Dst, upstream_port_override: 8443 }
  - name: xds
    type: STATIC
    connect_timeout: 1s
    load_assignment:
      cluster_name: xds
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 18000 } } } }] }]
`;
