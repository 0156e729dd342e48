/** The bootstrap the admin e2e tests serve: one HTTP listener, one cluster to a test upstream, an admin listener. */
export function adminTestConfig(options: {
  readonly upstreamPort: number;
  /** Extra bootstrap sections (YAML at the top level), e.g. `stats_sinks`. */
  readonly extra?: string;
  /** Extra clusters (YAML list items, indented by 4). */
  readonly extraClusters?: string;
  /** `stats_flush_interval`. Default 0.1s. */
  readonly flushInterval?: string;
  /** An admin access log file. */
  readonly adminAccessLog?: string;
  /** Extra `static_resources` sections (YAML indented by 2), e.g. `secrets`. */
  readonly extraStatic?: string;
  /** Extra listeners (YAML list items, indented by 4). */
  readonly extraListeners?: string;
}): string {
  const accessLog =
    options.adminAccessLog === undefined
      ? ''
      : `
  access_log:
    - name: envoy.access_loggers.file
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
        path: ${JSON.stringify(options.adminAccessLog)}
        log_format: { text_format: "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %RESPONSE_CODE%\\n" }`;
  return `admin:
  address: { socket_address: { address: 127.0.0.1, port_value: 0 } }${accessLog}
stats_flush_interval: ${options.flushInterval ?? '0.1s'}
${options.extra ?? ''}
static_resources:
  listeners:
    - name: listener_http
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_http
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  name: local_route
                  response_headers_to_add: [{ header: { key: x-served-by-pid, value: "%ENVIRONMENT(ORION_WORKER_PID)%" } }]
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: /direct }
                          direct_response: { status: 200, body: { inline_string: "direct\\n" } }
                        - match: { prefix: / }
                          route: { cluster: backend, timeout: 10s }${options.extraListeners ?? ''}
  clusters:
    - name: backend
      connect_timeout: 1s
      load_assignment:
        cluster_name: backend
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${options.upstreamPort} } } } }] }]${options.extraClusters ?? ''}
${options.extraStatic ?? ''}`;
}

/** The `stats_sinks` section that pushes stats over OTLP/gRPC to the `otlp_collector` cluster ({@link otlpCollector}). */
export const OTLP_STATS_SINK = `stats_sinks:
  - name: envoy.stat_sinks.open_telemetry
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig
      grpc_service:
        envoy_grpc: { cluster_name: otlp_collector }`;

/** The `otlp_collector` cluster (HTTP/2) to an OTLP receiver on 127.0.0.1:`port`, for `extraClusters`. */
export function otlpCollector(port: number): string {
  return `
    - name: otlp_collector
      connect_timeout: 1s
      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          explicit_http_config: { http2_protocol_options: {} }
      load_assignment:
        cluster_name: otlp_collector
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${port} } } } }] }]`;
}
