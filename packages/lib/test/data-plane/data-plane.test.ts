import { Agent } from 'node:http';
import { connect as connectHttp2 } from 'node:http2';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { OrionError } from '@orion/error';
import { afterEach, describe, expect, it } from 'vitest';
import { DataPlane } from '../../src/data-plane/data-plane.js';
import { LibErrorCode } from '../../src/error-codes.js';
import { get, proxyConfig, startUpstream, type ProxyConfigOptions } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(options: ProxyConfigOptions): Promise<{ plane: DataPlane; port: number }> {
  const plane = await DataPlane.start({ bootstrap: await proxyConfig(options) });
  cleanups.push(() => plane.destroy());
  const bound = plane.addresses().get('main');
  if (bound?.type !== 'socket') throw new Error('no socket listener');
  return { plane, port: bound.port };
}

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(() => agent.destroy());
  return agent;
}

/** The agent's one idle keep-alive socket. */
function idleSocket(agent: Agent): Socket {
  const socket = Object.values(agent.freeSockets).flat()[0];
  if (socket === undefined) throw new Error('no idle socket');
  return socket as Socket;
}

function closed(socket: Socket): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => (socket.destroyed ? resolve(0) : socket.once('close', () => resolve(Date.now() - started))));
}

async function upstream(name: string): Promise<number> {
  const u = await startUpstream(name);
  cleanups.push(() => u.close());
  return u.port;
}

describe('DataPlane.update', () => {
  it('swaps an inline route table in place, keeping the keep-alive connection', async () => {
    const { plane, port } = await start({ route: { body: 'v1' } });
    const agent = keepAliveAgent();
    const first = await get(port, '/', agent);
    expect(first.body).toBe('v1');
    const result = await plane.update({ listeners: (await proxyConfig({ route: { body: 'v2' } })).staticResources.listeners, clusters: [] });
    expect(result.routesUpdated).toEqual(['main']);
    expect(result.listeners).toMatchObject({ updated: [], unchanged: ['main'] });
    const second = await get(port, '/', agent);
    expect(second).toMatchObject({ status: 200, body: 'v2', localPort: first.localPort });
  });

  it('lets a request in flight finish on the route table it started with', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    const clusters = { a, b };
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters });
    const slow = get(port, '/?delay=300');
    await new Promise((r) => setTimeout(r, 100));
    const next = await proxyConfig({ route: { cluster: 'b' }, clusters });
    await plane.update({ listeners: next.staticResources.listeners, clusters: next.staticResources.clusters });
    expect((await get(port, '/')).body).toBe('b');
    expect(await slow).toMatchObject({ status: 200, body: 'a' });
  });

  it('rebuilds a changed listener on the same port and drains its old connections', async () => {
    const a = await upstream('a');
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters: { a } });
    const agent = keepAliveAgent();
    expect((await get(port, '/', agent)).headers['server']).toBe('envoy');
    const idle = closed(idleSocket(agent));
    const slow = get(port, '/?delay=400');
    await new Promise((r) => setTimeout(r, 100));
    const next = await proxyConfig({ route: { cluster: 'a' }, clusters: { a }, serverName: 'orion-2' });
    const result = await plane.update({ listeners: next.staticResources.listeners, clusters: next.staticResources.clusters });
    expect(result.listeners.updated).toEqual(['main']);
    expect(await idle).toBeLessThan(200);
    expect((await get(port, '/')).headers['server']).toBe('orion-2');
    const finished = await slow;
    expect(finished).toMatchObject({ status: 200, body: 'a' });
    expect(finished.headers['connection']).toBe('close');
    expect(finished.headers['server']).toBe('envoy');
  });

  it('keeps a removed cluster until the requests routed to it have finished', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters: { a } });
    const slow = get(port, '/?delay=300');
    await new Promise((r) => setTimeout(r, 100));
    const next = await proxyConfig({ route: { cluster: 'b' }, clusters: { b } });
    const result = await plane.update({ listeners: next.staticResources.listeners, clusters: next.staticResources.clusters });
    expect(result.clusters).toMatchObject({ added: ['b'], removed: ['a'] });
    expect(plane.clusters.get('a')).toBeUndefined();
    expect(await slow).toMatchObject({ status: 200, body: 'a' });
    expect((await get(port, '/')).body).toBe('b');
  });

  it('changes nothing when a new listener cannot bind', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const taken = (blocker.address() as AddressInfo).port;
    const { plane, port } = await start({ route: { body: 'v1' } });
    const next = await proxyConfig({ route: { body: 'v2' }, extraListener: { name: 'extra', port: taken } });
    const failure = await plane.update({ listeners: next.staticResources.listeners, clusters: [] }).catch((err: unknown) => err);
    expect(OrionError.is(failure, LibErrorCode.LISTENER_BIND)).toBe(true);
    expect((await get(port, '/')).body).toBe('v1');
    expect([...plane.addresses().keys()]).toEqual(['main']);
  });
});

describe('DataPlane.close', () => {
  it('closes idle connections at once, ends requests in flight with Connection: close and refuses new connections', async () => {
    const a = await upstream('a');
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters: { a } });
    const agent = keepAliveAgent();
    await get(port, '/', agent);
    const idle = closed(idleSocket(agent));
    const silent = connect(port, '127.0.0.1');
    cleanups.push(() => void silent.destroy());
    await new Promise((r) => silent.once('connect', r));
    const silentClosed = closed(silent);
    const slow = [get(port, '/?delay=400'), get(port, '/?delay=400')];
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    const closing = plane.close();
    expect(await idle).toBeLessThan(200);
    expect(await silentClosed).toBeLessThan(200);
    const refused = await get(port, '/').catch((err: NodeJS.ErrnoException) => err.code);
    expect(refused).toBe('ECONNREFUSED');
    for (const response of await Promise.all(slow)) {
      expect(response).toMatchObject({ status: 200, body: 'a' });
      expect(response.headers['connection']).toBe('close');
    }
    await closing;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('sends GOAWAY on HTTP/2 connections and lets their streams in flight finish', async () => {
    const a = await upstream('a');
    const { plane, port } = await start({ route: { cluster: 'a' }, clusters: { a } });
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    cleanups.push(() => void session.destroy());
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    const sessionClosed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    const stream = session.request({ ':path': '/?delay=300' });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      let status = 0;
      let body = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => (body += c));
      stream.on('end', () => resolve({ status, body }));
      stream.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closing = plane.close();
    await goaway;
    expect(await response).toEqual({ status: 200, body: 'a' });
    await sessionClosed;
    await closing;
  });
});
