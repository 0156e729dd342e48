import { loadConfiguration, type Bootstrap } from '@orion/configuration';

/** A listener of {@link testConfigYaml}. */
export interface TestListener {
  readonly name: string;
  /** Default 0. */
  readonly port?: number;
  /** `/` answers this body directly, or goes to this cluster. */
  readonly route: { readonly body: string } | { readonly cluster: string };
  /** `server_name` (changing it rebuilds the listener). Default `envoy`. */
  readonly serverName?: string;
  /** An access log file. */
  readonly accessLog?: string;
  /** `response_headers_to_add` of the route table (values may use `%…%` operators). */
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

/** Options of {@link testConfigYaml}. */
export interface TestConfig {
  readonly listeners: readonly TestListener[];
  /** Clusters: name → upstream port on 127.0.0.1. */
  readonly clusters?: Readonly<Record<string, number>>;
  /** Orion's `runtime` section, as YAML (e.g. `{ num_runtimes: 1 }`). */
  readonly runtime?: string;
}

/** An Envoy bootstrap in YAML with HTTP listeners on 127.0.0.1. */
export function testConfigYaml(config: TestConfig): string {
  const listeners = config.listeners.map((l) => {
    const route = 'cluster' in l.route ? `route: { cluster: ${l.route.cluster} }` : `direct_response: { status: 200, body: { inline_string: ${JSON.stringify(l.route.body)} } }`;
    const headers = Object.entries(l.responseHeaders ?? {})
      .map(([k, v]) => `{ header: { key: ${JSON.stringify(k)}, value: ${JSON.stringify(v)} } }`)
      .join(', ');
    const accessLog =
      l.accessLog === undefined
        ? ''
        : `
                access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: ${JSON.stringify(l.accessLog)}
                      log_format: { text_format: "%RESPONSE_CODE% %REQ(:PATH)%\\n" }`;
    return `
    - name: ${l.name}
      address: { socket_address: { address: 127.0.0.1, port_value: ${l.port ?? 0} } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ${l.name}
                server_name: ${l.serverName ?? 'envoy'}${accessLog}
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  response_headers_to_add: [${headers}]
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: / }
                          ${route}`;
  });
  const clusters = Object.entries(config.clusters ?? {}).map(
    ([name, port]) => `
    - name: ${name}
      connect_timeout: 1s
      load_assignment:
        cluster_name: ${name}
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${port} } } } }] }]`,
  );
  return `${config.runtime === undefined ? '' : `runtime: ${config.runtime}\n`}static_resources:
  listeners:${listeners.join('')}
  clusters:${clusters.length === 0 ? ' []' : clusters.join('')}
`;
}

/** {@link testConfigYaml}, loaded and validated. */
export async function testBootstrap(config: TestConfig): Promise<Bootstrap> {
  return (await loadConfiguration({ text: testConfigYaml(config), path: 'test.yaml', env: {} })).bootstrap;
}
