import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OrionProcess } from '../../src/orion/orion-process.js';

/** The response header naming the worker process that served a request (`%ENVIRONMENT(ORION_WORKER_PID)%`). */
export const WORKER_PID_HEADER = 'x-served-by-pid';

/** A listener of {@link proxyConfigYaml}. */
export interface ProxyListener {
  readonly name: string;
  /** Default 0. */
  readonly port?: number;
  /** `/` answers this body directly, or goes to the cluster `upstream`. */
  readonly route: { readonly body: string } | 'upstream';
  /** An access-log file (`%RESPONSE_CODE% %REQ(:PATH)%`). */
  readonly accessLog?: string;
}

/**
 * An Envoy bootstrap whose responses name the worker process that served them, through Envoy's
 * `%ENVIRONMENT(…)%` operator and the `ORION_WORKER_PID` variable each worker sets for itself.
 */
export function proxyConfigYaml(options: {
  readonly listeners: readonly ProxyListener[];
  readonly upstreamPort?: number;
  /** Orion's `runtime` section, as flow YAML. */
  readonly runtime?: string;
}): string {
  const listeners = options.listeners.map((l) => {
    const route = l.route === 'upstream' ? 'route: { cluster: upstream, timeout: 30s }' : `direct_response: { status: 200, body: { inline_string: ${JSON.stringify(l.route.body)} } }`;
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
                stat_prefix: ${l.name}${accessLog}
                http_filters:
                  - name: envoy.filters.http.router
                    typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
                route_config:
                  response_headers_to_add: [{ header: { key: ${WORKER_PID_HEADER}, value: "%ENVIRONMENT(ORION_WORKER_PID)%" } }]
                  virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                        - match: { prefix: / }
                          ${route}`;
  });
  const cluster =
    options.upstreamPort === undefined
      ? ' []'
      : `
    - name: upstream
      connect_timeout: 1s
      load_assignment:
        cluster_name: upstream
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${options.upstreamPort} } } } }] }]`;
  const bootstrap = `static_resources:
  listeners:${listeners.join('')}
  clusters:${cluster}
`;
  if (options.runtime === undefined) return bootstrap;
  // Orion's own sections sit next to the Envoy bootstrap, which then goes under `envoy_bootstrap`.
  return `runtime: ${options.runtime}\nenvoy_bootstrap:\n${bootstrap.replace(/^(?=.)/gm, '  ')}`;
}

/** A response as a test sees it. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The pid of the worker that served it. */
  readonly pid: number;
  readonly socket: Socket;
}

/** One GET to 127.0.0.1:`port` (a new connection unless `agent` keeps one alive). */
export function get(port: number, path = '/', agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, pid: Number(res.headers[WORKER_PID_HEADER]), socket: req.socket as Socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The worker pids `orion` logged at startup (`worker <id> pid <pid> serving`), by slot. */
export async function workerPids(orion: OrionProcess, workers: number): Promise<Map<number, number>> {
  const pids = new Map<number, number>();
  for (let id = 1; id <= workers; id++) {
    const m = await orion.waitForLine(new RegExp(`\\[main\\] worker ${id} pid (\\d+) serving`), 20_000);
    pids.set(id, Number(m[1]));
  }
  return pids;
}

/** The port a listener printed. */
export async function listenerPort(orion: OrionProcess, name: string): Promise<number> {
  return Number((await orion.waitForLine(new RegExp(`^orion: listener ${name} listening on 127\\.0\\.0\\.1:(\\d+)$`), 20_000))[1]);
}

/** One keep-alive connection (its own agent with one socket), which learns the worker serving it on first use. */
export class PinnedConnection {
  readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  pid = 0;
  readonly outcomes: { readonly ok: boolean; readonly body: string; readonly at: number; readonly error?: string }[] = [];

  constructor(readonly port: number) {}

  /** Sends one request; records the outcome. Throws nothing. */
  async send(path = '/'): Promise<boolean> {
    try {
      const r = await get(this.port, path, this.agent);
      if (this.pid === 0) this.pid = r.pid;
      this.outcomes.push({ ok: r.status === 200, body: r.body, at: Date.now() });
      return r.status === 200;
    } catch (err) {
      this.outcomes.push({ ok: false, body: '', at: Date.now(), error: (err as Error).message });
      return false;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Keep-alive connections spread over the workers: opens connections (at most `maxConnections`) until `perWorker`
 * of them are served by each of `pids`.
 */
export async function connectionsOnEveryWorker(port: number, pids: readonly number[], perWorker: number, maxConnections = 64): Promise<PinnedConnection[]> {
  const chosen: PinnedConnection[] = [];
  const count = (pid: number): number => chosen.filter((c) => c.pid === pid).length;
  for (let i = 0; i < maxConnections && pids.some((p) => count(p) < perWorker); i++) {
    const c = new PinnedConnection(port);
    await c.send();
    if (count(c.pid) < perWorker && pids.includes(c.pid)) chosen.push(c);
    else c.close();
  }
  if (pids.some((p) => count(p) < perWorker)) throw new Error(`could not open ${perWorker} connection(s) on each of the workers ${pids.join(', ')} within ${maxConnections} tries`);
  return chosen;
}

/**
 * Bounded load on pinned connections: each sends requests one after another until `stop()` (or `maxPerConnection`);
 * a connection stops at its first failure (its requests are not retried on another connection).
 */
export function loadOn(connections: readonly PinnedConnection[], maxPerConnection = 5_000): { stop(): Promise<void> } {
  let stopped = false;
  const loops = connections.map(async (c) => {
    for (let i = 0; i < maxPerConnection && !stopped; i++) if (!(await c.send())) return;
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** A test upstream: answers `ok` after `?delay=` ms, counts requests. */
export async function startUpstream(): Promise<{ port: number; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received++;
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? '0');
    const t = setTimeout(() => {
      timers.delete(t);
      res.end('ok');
    }, delay);
    timers.add(t);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    received: () => received,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Whether the running Node honours `reusePort` (22.12+, 23.1+). */
export function nodeHonoursReusePort(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
