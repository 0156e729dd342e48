import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { Http1ConnectionPool } from '../../src/transport/http1-connection-pool.js';
import type { Http1PoolEvents } from '../../src/transport/http1-pool-set.js';
import type { Http1ResponseHandler } from '../../src/transport/http1-request.js';
import { loadNativeHttpParser } from '../../src/transport/native-http-parser.js';
import type { Http1ConnectionSettings } from '../../src/transport/http1-upstream-connection.js';
import { createUndiciHttp1Pool } from '../../src/transport/undici-http1-pool.js';
import type { UpstreamTarget } from '../../src/transport/upstream-target.js';

/** Cleanups run after each test, last first. */
export const cleanup: (() => Promise<void> | void)[] = [];

export async function runCleanup(): Promise<void> {
  while (cleanup.length > 0) await cleanup.pop()?.();
}

/** A node:http upstream; `sockets` are the connections it accepted. */
export async function httpUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; server: HttpServer; sockets: Socket[] }> {
  const server = createHttpServer(handler);
  const sockets: Socket[] = [];
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as AddressInfo).port, server, sockets };
}

/** A raw TCP (or Unix socket) upstream: `onRequest` gets each connection and every request head it reads. */
export async function rawUpstream(onData: (socket: Socket, data: string, index: number) => void, listenOn?: string): Promise<{ port: number; server: NetServer; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => {
    const index = sockets.length;
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (d) => onData(socket, d.toString('latin1'), index));
  });
  if (listenOn === undefined) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  else await new Promise<void>((r) => server.listen(listenOn, r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, server, sockets };
}

/**
 * A TCP port that accepts no connection: a child process listens with a backlog of 1 and blocks its event loop;
 * filler connections fill the accept queue, so further SYNs go unanswered (a connect timeout).
 */
export async function blackholePort(): Promise<number> {
  const script =
    "const s=require('net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},()=>{require('fs').writeSync(1,String(s.address().port)+'\\n');" +
    'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,20000);process.exit(0)})';
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanup.push(() => {
    child.kill('SIGKILL');
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
  });
  // Fill the accept queue: connect until a connection stays pending (bounded: 16 attempts).
  for (let i = 0; i < 16; i++) {
    const filler = connect(port, '127.0.0.1');
    filler.on('error', () => undefined);
    cleanup.push(() => {
      filler.destroy();
    });
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      filler.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) return port;
  }
  throw new Error('the accept queue did not fill');
}

export const BASE_SETTINGS: Http1ConnectionSettings & { maxConnectionsPerHost: number } = {
  connectTimeoutMs: 1000,
  idleTimeoutMs: 3_600_000,
  maxResponseHeaderBytes: 60 * 1024,
  maxRequestsPerConnection: 0,
  maxConnectionsPerHost: 16,
  consume: true,
};

/** A native pool to `127.0.0.1:port` (or a pipe), destroyed after the test. */
export function nativePool(target: number | UpstreamTarget, settings: Partial<typeof BASE_SETTINGS> = {}, events: Http1PoolEvents = {}): Http1ConnectionPool {
  const binding = loadNativeHttpParser();
  if (binding === null) throw new Error('native HTTP parser unavailable');
  const t: UpstreamTarget = typeof target === 'number' ? { type: 'socket', host: '127.0.0.1', port: target } : target;
  const label = t.type === 'pipe' ? t.path : `${t.host}:${t.port}`;
  const all = { ...BASE_SETTINGS, ...settings };
  const pool = new Http1ConnectionPool(t, label, all, binding, events, () => createUndiciHttp1Pool(t, label, all, events));
  cleanup.push(() => pool.destroy());
  return pool;
}

/** What a request ended with. */
export interface Outcome {
  status: number;
  headers: string[];
  body: Buffer;
  trailers: string[] | null;
  connectionId: number;
}

/** A recording handler; `result` settles with the outcome or the error. */
export class Recorder implements Http1ResponseHandler {
  upstreamConnection: Http1ResponseHandler['upstreamConnection'] = undefined;
  abortFn: ((err?: Error) => void) | undefined;
  connected = false;
  status = 0;
  headers: string[] = [];
  chunks: Buffer[] = [];
  resumeFn: (() => void) | undefined;
  /** onData returns false for this many chunks. */
  pauseChunks = 0;
  /** Abort as soon as a connection picks the request up. */
  abortOnConnect: Error | undefined;
  readonly result: Promise<Outcome>;
  #resolve!: (o: Outcome) => void;
  #reject!: (err: Error) => void;

  constructor() {
    this.result = new Promise<Outcome>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.result.catch(() => undefined);
  }

  get received(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.connected = true;
    this.abortFn = abort;
    if (this.abortOnConnect !== undefined) abort(this.abortOnConnect);
  }

  onHeaders(status: number, headers: string[], resume: () => void): boolean {
    this.status = status;
    this.headers = headers;
    this.resumeFn = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    if (this.pauseChunks > 0) {
      this.pauseChunks--;
      return false;
    }
    return true;
  }

  onComplete(trailers: string[] | null): void {
    this.#resolve({ status: this.status, headers: this.headers, body: Buffer.concat(this.chunks), trailers, connectionId: this.upstreamConnection?.connectionId ?? 0 });
  }

  onError(err: Error): void {
    this.#reject(err);
  }
}

/** Sends a request through `pool` and records it. */
export function send(
  pool: { dispatch(options: never, handler: never): boolean },
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: AsyncIterable<Buffer> | null } = {},
  recorder: Recorder = new Recorder(),
): Recorder {
  (pool.dispatch as (o: unknown, h: unknown) => boolean)({ method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers ?? {}, body: options.body ?? null }, recorder);
  return recorder;
}

/** Resolves once `check()` holds (polling every 5 ms, at most `ms`). */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The value of a header in a flat name/value list (case-insensitive), or undefined. */
export function header(list: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < list.length; i += 2) if ((list[i] as string).toLowerCase() === name) return list[i + 1];
  return undefined;
}

/**
 * The kernel's timer of the established TCP connection from local port `local` to remote port `remote`
 * (`/proc/net/tcp`'s `tr` column: 2 is the keep-alive timer, 0 none), or undefined when there is no such socket.
 */
export function tcpTimer(local: number, remote: number): number | undefined {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of readFileSync('/proc/net/tcp', 'latin1').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${hex(local)}`) && fields[2]?.endsWith(`:${hex(remote)}`) && fields[3] === '01') return Number.parseInt(fields[5]?.split(':')[0] ?? '', 16);
  }
  return undefined;
}
