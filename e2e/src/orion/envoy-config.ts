/** Building blocks for small Envoy bootstraps written by tests. */

/** A static cluster of `127.0.0.1` endpoints. */
export function staticCluster(name: string, ports: readonly number[], extra = ''): string {
  return `    - name: ${name}
      type: STATIC
      connect_timeout: 1s
${extra}      load_assignment:
        cluster_name: ${name}
        endpoints:
          - lb_endpoints:
${ports.map((p) => `              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${p} } } }`).join('\n')}
`;
}

/** A listener with one HTTP connection manager; `routes` and `hcmExtra` are YAML indented for the HCM body. */
export function httpListener(name: string, port: number, routes: string, hcmExtra = ''): string {
  return `    - name: ${name}
      address: { socket_address: { address: 127.0.0.1, port_value: ${port} } }
      filter_chains:
        - name: ${name}_chain
          filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ${name}
${hcmExtra}                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  name: ${name}_routes
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
${routes}`;
}

/** A bootstrap from listener and cluster YAML blocks. */
export function bootstrap(listeners: readonly string[], clusters: readonly string[]): string {
  return `static_resources:
  listeners:
${listeners.join('')}
  clusters:
${clusters.join('')}`;
}
