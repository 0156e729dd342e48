import type { Agent} from 'node:http';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { loadConfiguration, type Bootstrap } from '@orion/configuration';

/** A response as a test sees it, with the client-side port of the connection that carried it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly localPort: number;
}

/** Sends one GET to 127.0.0.1:`port` (through `agent` when given, to reuse keep-alive connections). */
export function get(port: number, path: string, agent?: Agent): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, localPort: (req.socket as Socket).localPort ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** An upstream that answers `name` after `delayMs` (from `?delay=`), counting requests in flight. */
export interface TestUpstream {
  readonly port: number;
  readonly received: number;
  /** Resolves once `n` requests have arrived in total. */
  waitForRequests(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startUpstream(name: string): Promise<TestUpstream> {
  let received = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received++;
    for (const w of waiters.filter((x) => received >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? '0');
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.end(name);
    }, delay);
    timers.add(timer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    get received() {
      return received;
    },
    waitForRequests: (n) => (received >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Options of {@link proxyConfig}. */
export interface ProxyConfigOptions {
  /** The listener's port. Default 0. */
  readonly port?: number;
  /** Where `/` goes: a cluster name or a direct-response body. */
  readonly route: { readonly cluster: string } | { readonly body: string };
  /** `server_name` of the connection manager (a change rebuilds the listener). Default `envoy`. */
  readonly serverName?: string;
  /** Clusters: name → upstream port. */
  readonly clusters?: Readonly<Record<string, number>>;
  /** An extra listener name → port (to test bind failures), with its `traffic_direction`. */
  readonly extraListener?: { readonly name: string; readonly port: number; readonly trafficDirection?: string };
  /** `traffic_direction` of the main listener. Default unset. */
  readonly trafficDirection?: string;
}

/** A one-listener Envoy bootstrap, loaded and validated by @orion/configuration. */
export async function proxyConfig(options: ProxyConfigOptions): Promise<Bootstrap> {
  const route = 'cluster' in options.route ? `route: { cluster: ${options.route.cluster} }` : `direct_response: { status: 200, body: { inline_string: ${JSON.stringify(options.route.body)} } }`;
  const listener = (name: string, port: number, direction?: string): string => `
    - name: ${name}
      address: { socket_address: { address: 127.0.0.1, port_value: ${port} } }${direction === undefined ? '' : `
      traffic_direction: ${direction}`}
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                server_name: ${options.serverName ?? 'envoy'}
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: / }
                          ${route}`;
  const clusters = Object.entries(options.clusters ?? {}).map(
    ([name, port]) => `
    - name: ${name}
      connect_timeout: 1s
      load_assignment:
        cluster_name: ${name}
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${port} } } } }] }]`,
  );
  const text = `static_resources:
  listeners:${listener('main', options.port ?? 0, options.trafficDirection)}${options.extraListener === undefined ? '' : listener(options.extraListener.name, options.extraListener.port, options.extraListener.trafficDirection)}
  clusters:${clusters.length === 0 ? ' []' : clusters.join('')}
`;
  return (await loadConfiguration({ text, path: 'test.yaml', env: {} })).bootstrap;
}
