import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { loadConfiguration, type Bootstrap } from '@orion/configuration';
import type { StatsSnapshot } from '@orion/metrics';

/** A response as a test sees it. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends one request to 127.0.0.1:`port` on a fresh connection. */
export function send(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * An HTTP upstream answering with the status in `?status=` (default 200) and its name as the body, after `?delay=`
 * ms; `?fail=N&key=K` answers 503 at once to the first N requests of key K, `?hang=N&key=K` answers the first N
 * requests of key K only after 5 s.
 */
export interface TestUpstream {
  readonly port: number;
  readonly received: number;
  close(): Promise<void>;
}

export async function startUpstream(name: string): Promise<TestUpstream> {
  let received = 0;
  const failures = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received++;
    const url = new URL(req.url ?? '/', 'http://x');
    const fail = Number(url.searchParams.get('fail') ?? '0');
    if (fail > 0) {
      const key = url.searchParams.get('key') ?? '';
      const seen = failures.get(key) ?? 0;
      failures.set(key, seen + 1);
      if (seen < fail) {
        res.statusCode = 503;
        res.end('failing');
        return;
      }
    }
    res.statusCode = Number(url.searchParams.get('status') ?? '200');
    let delay = Number(url.searchParams.get('delay') ?? '0');
    const hang = Number(url.searchParams.get('hang') ?? '0');
    if (hang > 0) {
      const key = `hang:${url.searchParams.get('key') ?? ''}`;
      const seen = failures.get(key) ?? 0;
      failures.set(key, seen + 1);
      if (seen < hang) delay = 5000;
    }
    if (delay <= 0) {
      res.end(name);
      return;
    }
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
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A TCP upstream echoing everything it receives. */
export async function startEcho(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Sends `text` through a TCP connection, reads the echo back, then closes and waits for the close. */
export function echoOnce(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => socket.destroy(new Error('echo timed out')), 10_000);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.length >= text.length) socket.end();
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

/** Loads an Envoy bootstrap from YAML. */
export async function bootstrapOf(yaml: string): Promise<Bootstrap> {
  return (await loadConfiguration({ text: yaml, path: 'stats-test.yaml', env: {} })).bootstrap;
}

/** The value of a counter or gauge in a snapshot, or undefined when absent. */
export function valueOf(snapshot: StatsSnapshot, name: string): number | undefined {
  return snapshot.counters.find((c) => c.name === name)?.value ?? snapshot.gauges.find((g) => g.name === name)?.value;
}

/** Every counter and gauge of a snapshot whose name starts with `prefix`, as a name → value record. */
export function valuesUnder(snapshot: StatsSnapshot, prefix: string, usedOnly = true): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of [...snapshot.counters, ...snapshot.gauges]) if (s.name.startsWith(prefix) && (!usedOnly || s.used)) out[s.name.slice(prefix.length)] = s.value;
  return out;
}

/** How many values a histogram of a snapshot has merged (its cumulative bins), or undefined when absent. */
export function histogramCount(snapshot: StatsSnapshot, name: string): number | undefined {
  const h = snapshot.histograms.find((x) => x.name === name);
  if (h === undefined) return undefined;
  let n = 0;
  for (let i = 1; i < h.cumulative.length; i += 2) n += h.cumulative[i] as number;
  return n;
}

/** Polls `check` every 10 ms until it returns true, for at most `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A bootstrap with one HTTP listener (`stat_prefix: ingress`) routing every request to the cluster `backend`: `route`
 * adds fields to the route action, `cluster` YAML after the cluster's `connect_timeout`.
 */
export function singleClusterConfig(route: string, cluster: string): string {
  return `static_resources:
  listeners:
    - name: main
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: / }
                          route: { cluster: backend, ${route} }
  clusters:
    - name: backend
      connect_timeout: 1s${cluster}
`;
}

/** A bootstrap with one tcp_proxy listener `tcp` (`stat_prefix: tcpin`) to the cluster `echo` on 127.0.0.1:`echoPort`. */
export function tcpEchoConfig(echoPort: number): string {
  return `static_resources:
  listeners:
    - name: tcp
      address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      filter_chains:
        - filters:
            - name: tcp
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                stat_prefix: tcpin
                cluster: echo
  clusters:
    - name: echo
      connect_timeout: 1s
      load_assignment:
        cluster_name: echo
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${echoPort} } } } }] }]
`;
}
