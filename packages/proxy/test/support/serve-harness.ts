import { EventEmitter } from 'node:events';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { runCli } from '../../src/index.js';

/** `orion` run in-process by `runCli`, with its own signal source and captured output. */
export interface ServeRun {
  readonly signals: EventEmitter;
  readonly out: () => string;
  readonly err: () => string;
  /** The exit code, once `runCli` returns. */
  readonly done: Promise<number>;
  /** Resolves with the match once the output (stdout + stderr) matches `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The port a listener printed (`orion: listener <name> listening on 127.0.0.1:<port>`). */
  port(listener: string): Promise<number>;
}

export function serveInProcess(argv: readonly string[]): ServeRun {
  let out = '';
  let err = '';
  const signals = new EventEmitter();
  const done = runCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: {}, signals });
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = (out + err).match(pattern);
      if (m !== null) return m;
      if (Date.now() > until) throw new Error(`no output matching ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    signals,
    out: () => out,
    err: () => err,
    done,
    waitFor,
    port: async (listener) => Number((await waitFor(new RegExp(`listener ${listener} listening on 127\\.0\\.0\\.1:(\\d+)`)))[1]),
  };
}

/** A response as a test sees it. */
export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly socket: Socket;
}

/** One GET to 127.0.0.1:`port` (keep-alive through `agent` when given). */
export function get(port: number, path: string, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: req.socket as Socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A test upstream answering its name after `?delay=` ms, counting requests received. */
export async function upstream(name: string): Promise<{ port: number; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received++;
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? '0');
    const t = setTimeout(() => {
      timers.delete(t);
      res.end(name);
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

/**
 * A bounded load: `connections` keep-alive connections each sending requests one after another until `stop()` or
 * `maxRequests` in total. Records every outcome.
 */
export function load(port: number, options: { connections: number; maxRequests: number; path?: string }): {
  readonly results: { readonly ok: boolean; readonly body: string; readonly error?: string }[];
  stop(): Promise<void>;
} {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const results: { ok: boolean; body: string; error?: string }[] = [];
  let stopped = false;
  let sent = 0;
  const loop = async (): Promise<void> => {
    while (!stopped && sent < options.maxRequests) {
      sent++;
      try {
        const r = await get(port, options.path ?? '/', agent);
        results.push({ ok: r.status === 200, body: r.body });
      } catch (e) {
        results.push({ ok: false, body: '', error: (e as Error).message });
      }
    }
  };
  const loops = Array.from({ length: options.connections }, loop);
  return {
    results,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}
