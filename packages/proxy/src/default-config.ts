/**
 * The configuration `orion` serves when started without `-c`/`--config-yaml`: an Envoy bootstrap that works with
 * nothing else installed. `:8000` answers `GET /direct-response` with `meow! 🐱` and routes every other request
 * to the cluster `embedded_upstream` on 127.0.0.1:8080, which a second listener of the same process answers. The
 * admin API listens on 127.0.0.1:9901, as in Envoy's examples.
 */
export const DEFAULT_CONFIG_YAML = `# Orion's embedded default configuration.
admin:
  address:
    socket_address: { address: 127.0.0.1, port_value: 9901 }
static_resources:
  listeners:
    - name: listener_http
      address:
        socket_address: { address: 0.0.0.0, port_value: 8000 }
      filter_chains:
        - name: filter_chain_http
          filters:
            - name: http_gateway
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_http
                access_log:
                  - name: envoy.access_loggers.stdout
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                route_config:
                  name: default_route
                  virtual_hosts:
                    - name: default
                      domains: ["*"]
                      routes:
                        - match:
                            prefix: /direct-response
                            headers:
                              - name: ":method"
                                string_match: { exact: GET }
                          direct_response:
                            status: 200
                            body: { inline_string: "meow! 🐱" }
                        - match: { prefix: / }
                          route: { cluster: embedded_upstream }
    - name: listener_embedded_upstream
      address:
        socket_address: { address: 127.0.0.1, port_value: 8080 }
      filter_chains:
        - name: filter_chain_upstream
          filters:
            - name: embedded_upstream
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: embedded_upstream
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                route_config:
                  name: embedded_upstream_route
                  virtual_hosts:
                    - name: embedded_upstream
                      domains: ["*"]
                      routes:
                        - match: { prefix: / }
                          direct_response:
                            status: 200
                            body: { inline_string: "hello from orion's embedded upstream\\n" }
  clusters:
    - name: embedded_upstream
      type: STATIC
      connect_timeout: 1s
      load_assignment:
        cluster_name: embedded_upstream
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: 8080 }
`;
