// The Envoy v3 bootstrap Orion serves in the benchmark: one listener on 127.0.0.1 (port 0, the bound port is read
// from Orion's output), an HTTP connection manager with codec_type AUTO, the ten-route table (nine decoys, then
// the catch-all every request hits), a file access log in Envoy's default format, generate_request_id on, and one
// STATIC cluster with the origin. With `statsOff`, also `stats_config: { stats_matcher: { reject_all: true } }`
// (Envoy's way to switch stats off; Orion then gives the data plane no stats store): the baseline of the cost of
// stats recording.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECOY_ROUTES } from './nginx.mjs';

function match(route) {
  if (route.prefix !== undefined) return `{ prefix: "${route.prefix}" }`;
  if (route.path !== undefined) return `{ path: "${route.path}" }`;
  return `{ safe_regex: { regex: "${route.regex}" } }`;
}

/** Writes the bootstrap to `dir/orion.yaml` and returns its path. */
export function writeOrionConfig(dir, { originPort, accessLogPath, statsOff = false }) {
  const routes = [
    ...DECOY_ROUTES.map((r, i) => `                        - name: decoy_${i}\n                          match: ${match(r)}\n                          route: { cluster: origin }`),
    `                        - name: catch_all\n                          match: { prefix: "/" }\n                          route: { cluster: origin }`,
  ].join('\n');
  const stats = statsOff ? 'stats_config: { stats_matcher: { reject_all: true } }\n' : '';
  const yaml = `${stats}static_resources:
  listeners:
    - name: listener_bench
      address:
        socket_address: { address: 127.0.0.1, port_value: 0 }
      filter_chains:
        - name: http
          filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: bench
                codec_type: AUTO
                generate_request_id: true
                access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: ${JSON.stringify(accessLogPath)}
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
                route_config:
                  name: bench_routes
                  virtual_hosts:
                    - name: bench
                      domains: ["*"]
                      routes:
${routes}
  clusters:
    - name: origin
      type: STATIC
      connect_timeout: 1s
      load_assignment:
        cluster_name: origin
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: 127.0.0.1, port_value: ${originPort} }
`;
  const file = join(dir, 'orion.yaml');
  writeFileSync(file, yaml);
  return file;
}
