import { createStatsStore } from '@orion/metrics';
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { bootstrapOf, startEcho, tcpEchoConfig } from '../stats/support.js';
import { get, proxyConfig, startUpstream, type ProxyConfigOptions } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(options: ProxyConfigOptions): Promise<{ plane: DataPlane; port: number }> {
  const plane = await DataPlane.start({ bootstrap: await proxyConfig(options), stats: createStatsStore() });
  cleanups.push(() => plane.destroy());
  return { plane, port: portOf(plane, 'main') };
}

/** `http.ingress.downstream_cx_drain_close`: connections a drain closed. */
function drainCloses(plane: DataPlane): number | undefined {
  return plane.statsSnapshot().counters.find((c) => c.name === 'http.ingress.downstream_cx_drain_close')?.value;
}

function portOf(plane: DataPlane, name: string): number {
  const bound = plane.addresses().get(name);
  if (bound?.type !== 'socket') throw new Error(`no socket listener ${name}`);
  return bound.port;
}

async function upstream(name: string): Promise<number> {
  const u = await startUpstream(name);
  cleanups.push(() => u.close());
  return u.port;
}

/** A raw HTTP/1.1 client on one connection: sends a request, reads one response; tells whether the server ended the connection. */
class RawClient {
  readonly socket: Socket;
  #data = '';
  #ended = false;
  readonly #waiters = new Set<() => void>();

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#data += chunk;
      this.#wake();
    });
    socket.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on('close', () => this.#wake());
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawClient(socket);
  }

  /** True once the server ended the connection (FIN received). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Sends `GET path` and resolves with the response head (lower-cased header names) and body; bounded by 3 s. */
  async request(path: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    this.#data = '';
    this.socket.write(`GET ${path} HTTP/1.1\r\nhost: test\r\n\r\n`);
    const deadline = Date.now() + 3_000;
    for (;;) {
      const parsed = parseResponse(this.#data);
      if (parsed !== undefined) return parsed;
      if (this.#ended || this.socket.destroyed || Date.now() > deadline) throw new Error(`no complete response: ${JSON.stringify(this.#data)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 100);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      });
    }
  }

  /** Resolves once the server has ended the connection; bounded by 3 s. */
  async serverEnded(): Promise<boolean> {
    const deadline = Date.now() + 3_000;
    while (!this.#ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.#ended;
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
    this.#waiters.clear();
  }
}

function parseResponse(text: string): { status: number; headers: Record<string, string>; body: string } | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? '0');
  const body = text.slice(end + 4);
  if (body.length < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, length) };
}

function h2session(port: number): { session: ClientHttp2Session; goaway: Promise<void>; closed: Promise<void> } {
  const session = connectHttp2(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  cleanups.push(() => void session.destroy());
  return {
    session,
    goaway: new Promise<void>((resolve) => session.once('goaway', () => resolve())),
    closed: new Promise<void>((resolve) => session.once('close', () => resolve())),
  };
}

function h2get(session: ClientHttp2Session, path: string): Promise<{ status: number; body: string }> {
  const stream = session.request({ ':path': path });
  return new Promise((resolve, reject) => {
    let status = 0;
    let body = '';
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (body += c));
    stream.on('end', () => resolve({ status, body }));
    stream.on('error', reject);
  });
}

const refused = (port: number): Promise<string | undefined> => get(port, '/').then(() => undefined, (err: NodeJS.ErrnoException) => err.code);

describe('DataPlane.drainListeners (immediate)', () => {
  it('keeps accepting: responses on existing and new connections carry Connection: close and each connection closes after one', async () => {
    const a = await upstream('a');
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters: { a } });
    const idle = await RawClient.open(port);
    const busy = await RawClient.open(port);
    for (const client of [idle, busy]) {
      const before = await client.request('/');
      // Envoy sends no Connection header on an HTTP/1.1 response that keeps its connection.
      expect([before.status, before.body, before.headers['connection']]).toEqual([200, 'a', undefined]);
    }
    const inFlight = busy.request('/?delay=300');
    await new Promise((r) => setTimeout(r, 100));

    void plane.drainListeners({ drainTimeMs: 5_000, strategy: 'immediate' });
    // The request in flight: its response carries Connection: close, then the proxy closes the connection.
    const after = await inFlight;
    expect([after.status, after.body, after.headers['connection']]).toEqual([200, 'a', 'close']);
    expect(await busy.serverEnded()).toBe(true);
    // The idle keep-alive connection is not cut under the client: its next response closes it.
    expect(idle.ended).toBe(false);
    const next = await idle.request('/');
    expect([next.status, next.body, next.headers['connection']]).toEqual([200, 'a', 'close']);
    expect(await idle.serverEnded()).toBe(true);
    // A connection accepted during the drain: served once, with Connection: close, then closed.
    const fresh = await RawClient.open(port);
    const first = await fresh.request('/');
    expect([first.status, first.body, first.headers['connection']]).toEqual([200, 'a', 'close']);
    expect(await fresh.serverEnded()).toBe(true);
    expect(plane.addresses().has('main')).toBe(true);
  });

  it('stops listening after the drain period; a request in flight then completes; a later update does not bind the listener again', async () => {
    const a = await upstream('a');
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters: { a } });
    const idle = await RawClient.open(port);
    expect((await idle.request('/')).headers['connection']).toBeUndefined();
    const started = Date.now();
    const drained = plane.drainListeners({ drainTimeMs: 600, strategy: 'immediate' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await get(port, '/')).headers['connection']).toBe('close');
    // Ends ~400 ms after the listener stops.
    const slow = get(port, '/?delay=700');
    expect(await drained).toEqual(['main']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(await refused(port)).toBe('ECONNREFUSED');
    // The idle keep-alive connection closes when the listener stops.
    expect(await idle.serverEnded()).toBe(true);
    const finished = await slow;
    expect([finished.status, finished.body, finished.headers['connection']]).toEqual([200, 'a', 'close']);
    const again = await proxyConfig({ route: { cluster: 'a' }, clusters: { a }, port });
    const result = await plane.update({ listeners: again.staticResources.listeners, clusters: again.staticResources.clusters });
    expect(result.listeners.added).toEqual([]);
    expect(await refused(port)).toBe('ECONNREFUSED');
    expect(plane.addresses().has('main')).toBe(false);
  });

  it('sends GOAWAY on open HTTP/2 connections (streams under way finish) and after the first stream of a new one', async () => {
    const a = await upstream('a');
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters: { a } });
    const open = h2session(port);
    expect(await h2get(open.session, '/')).toEqual({ status: 200, body: 'a' });
    const inFlight = h2get(open.session, '/?delay=300');
    await new Promise((r) => setTimeout(r, 100));
    void plane.drainListeners({ drainTimeMs: 5_000, strategy: 'immediate' });
    await open.goaway;
    expect(await inFlight).toEqual({ status: 200, body: 'a' });
    await open.closed;
    // A new HTTP/2 connection during the drain is served its first stream, then told to go away.
    const late = h2session(port);
    expect(await h2get(late.session, '/')).toEqual({ status: 200, body: 'a' });
    await late.goaway;
    await late.closed;
    expect(drainCloses(plane)).toBe(2);
  });
});

describe('DataPlane.drainListeners (gradual)', () => {
  it('drains a request with probability elapsed / drain time: kept alive when the draw is high, closed when it is low', async () => {
    const { plane, port } = await start({ route: { body: 'ok' } });
    let draw = 0.999;
    void plane.drainListeners({ drainTimeMs: 10_000, random: () => draw });
    const client = await RawClient.open(port);
    // 1 s counted as elapsed of 10: drained only when the draw is under 0.1.
    for (let i = 0; i < 3; i++) expect((await client.request('/')).headers['connection']).toBeUndefined();
    expect(client.ended).toBe(false);
    expect(drainCloses(plane)).toBe(0);
    draw = 0;
    expect((await client.request('/')).headers['connection']).toBe('close');
    expect(await client.serverEnded()).toBe(true);
    expect(drainCloses(plane)).toBe(1);
  });
});

describe('DataPlane.stopListeners', () => {
  it('with inboundOnly stops only the INBOUND listeners, at once', async () => {
    const { plane, port } = await start({ route: { body: 'ok' }, extraListener: { name: 'inbound', port: 0, trafficDirection: 'INBOUND' }, trafficDirection: 'OUTBOUND' });
    const inboundPort = portOf(plane, 'inbound');
    expect((await get(inboundPort, '/')).body).toBe('ok');
    expect(await plane.stopListeners({ inboundOnly: true })).toEqual(['inbound']);
    expect(await refused(inboundPort)).toBe('ECONNREFUSED');
    expect((await get(port, '/')).body).toBe('ok');
    expect(await plane.stopListeners({ inboundOnly: true })).toEqual([]);
    expect(await plane.stopListeners()).toEqual(['main']);
    expect(await refused(port)).toBe('ECONNREFUSED');
  });

  it('drainListeners with inboundOnly drains only the INBOUND listeners', async () => {
    const { plane, port } = await start({ route: { body: 'ok' }, extraListener: { name: 'inbound', port: 0, trafficDirection: 'INBOUND' } });
    const inboundPort = portOf(plane, 'inbound');
    expect(await plane.drainListeners({ inboundOnly: true, drainTimeMs: 200, strategy: 'immediate' })).toEqual(['inbound']);
    expect(await refused(inboundPort)).toBe('ECONNREFUSED');
    const kept = await (await RawClient.open(port)).request('/');
    expect([kept.body, kept.headers['connection']]).toEqual(['ok', undefined]);
  });
});

describe('DataPlane.drainListeners and tcp_proxy', () => {
  it('leaves tcp_proxy connections alone during the drain period and after the listener stops', async () => {
    const echo = await startEcho();
    cleanups.push(() => echo.close());
    const plane = await DataPlane.start({
      bootstrap: await bootstrapOf(tcpEchoConfig(echo.port)),
    });
    cleanups.push(() => plane.destroy());
    const port = portOf(plane, 'tcp');
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    socket.setEncoding('utf8');
    let received = '';
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    const echoed = async (text: string): Promise<string> => {
      const want = received.length + text.length;
      socket.write(text);
      const deadline = Date.now() + 3_000;
      while (received.length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return received.slice(want - text.length, want);
    };
    await new Promise((r) => socket.once('connect', r));
    expect(await echoed('before')).toBe('before');
    const drained = plane.drainListeners({ drainTimeMs: 300, strategy: 'immediate' });
    expect(await echoed('during')).toBe('during');
    expect(await drained).toEqual(['tcp']);
    expect(await refused(port)).toBe('ECONNREFUSED');
    expect(await echoed('after')).toBe('after');
    expect(socket.destroyed).toBe(false);
  });
});
