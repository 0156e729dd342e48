import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { run } from './h2-client.js';
import { forwardTo, routeTable, startProxy, startUpstream, until } from './harness.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const LOG = '%RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %BYTES_RECEIVED% %BYTES_SENT%\n';
const WEBSOCKET = [{ upgradeType: 'websocket', enabled: true }];

/** A WebSocket echo server behind an HTTP server; it also answers plain requests. */
async function echoServer() {
  const upstream = await startUpstream((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ server: upstream.server });
  const seenHeaders: IncomingMessage['headers'][] = [];
  wss.on('connection', (socket, req) => {
    seenHeaders.push(req.headers);
    socket.on('message', (data: RawData, isBinary: boolean) => socket.send(data, { binary: isBinary }));
  });
  cleanup.push(upstream.close, () => new Promise<void>((r) => wss.close(() => r())));
  return { upstream, wss, seenHeaders };
}

function open(port: number, path = '/ws'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`unexpected ${res.statusCode}`), { status: res.statusCode })));
    cleanup.push(() => ws.terminate());
  });
}

function next(ws: WebSocket): Promise<{ data: string; binary: boolean }> {
  return new Promise((resolve) => ws.once('message', (data: RawData, binary: boolean) => resolve({ data: Buffer.from(data as Buffer).toString(), binary })));
}

describe('ConnectionManager (upgrades)', () => {
  it('tunnels a WebSocket both ways after the upstream\'s 101', async () => {
    const { upstream, seenHeaders } = await echoServer();
    const proxy = await startProxy({ upstreamPort: upstream.port, config: { upgradeConfigs: WEBSOCKET }, logFormat: LOG });
    cleanup.push(proxy.close);
    const ws = await open(proxy.port);
    ws.send('hello');
    expect(await next(ws)).toEqual({ data: 'hello', binary: false });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await next(ws)).toEqual({ data: '\x01\x02\x03', binary: true });
    const big = 'z'.repeat(300_000);
    ws.send(big);
    expect((await next(ws)).data).toBe(big);
    expect(seenHeaders[0]?.['x-forwarded-proto']).toBe('http');
    expect(seenHeaders[0]?.['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(proxy.manager.stats.downstream_cx_upgrades_active).toBe(1);
    ws.close(1000, 'done');
    await new Promise<void>((r) => ws.once('close', () => r()));
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^101 - via_upstream \d+ \d+$/);
    const [, , , received, sent] = (proxy.lines[0] as string).split(' ');
    expect(Number(received)).toBeGreaterThan(300_000);
    expect(Number(sent)).toBeGreaterThan(300_000);
    await until(() => proxy.manager.stats.downstream_cx_upgrades_active === 0);
    expect(proxy.manager.stats).toMatchObject({ downstream_cx_upgrades_total: 1, downstream_rq_ws_on_non_ws_route: 0 });
  });

  it('allows an upgrade the route enables though the connection manager does not list it', async () => {
    const { upstream } = await echoServer();
    const proxy = await startProxy({ upstreamPort: upstream.port, routes: routeTable([{ prefix: '/', action: forwardTo('backend', { upgradeConfigs: WEBSOCKET }) }]) });
    cleanup.push(proxy.close);
    const ws = await open(proxy.port);
    ws.send('route-level');
    expect((await next(ws)).data).toBe('route-level');
  });

  it('answers 403 to a WebSocket on a route without upgrades and counts downstream_rq_ws_on_non_ws_route', async () => {
    const { upstream } = await echoServer();
    const proxy = await startProxy({ upstreamPort: upstream.port, logFormat: LOG });
    cleanup.push(proxy.close);
    await expect(open(proxy.port)).rejects.toMatchObject({ status: 403 });
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('403 - upgrade_failed 0 0');
    expect(proxy.manager.stats.downstream_rq_ws_on_non_ws_route).toBe(1);
    // Plain requests on the same route still work.
    const plain = await fetch(`http://127.0.0.1:${proxy.port}/`);
    expect(await plain.text()).toBe('plain');
  });

  it('answers 403 when the route disables an upgrade the connection manager allows', async () => {
    const { upstream } = await echoServer();
    const proxy = await startProxy({
      upstreamPort: upstream.port,
      config: { upgradeConfigs: WEBSOCKET },
      routes: routeTable([
        { prefix: '/closed', action: forwardTo('backend', { upgradeConfigs: [{ upgradeType: 'websocket', enabled: false }] }) },
        { prefix: '/', action: forwardTo('backend') },
      ]),
    });
    cleanup.push(proxy.close);
    await expect(open(proxy.port, '/closed')).rejects.toMatchObject({ status: 403 });
    const ws = await open(proxy.port, '/open');
    ws.send('ok');
    expect((await next(ws)).data).toBe('ok');
  });

  it('serves an Upgrade: h2c offer as a plain HTTP/1.1 request, as Envoy does', async () => {
    const { upstream } = await echoServer();
    const proxy = await startProxy({ upstreamPort: upstream.port, logFormat: LOG });
    cleanup.push(proxy.close);
    const reply = await run('curl', ['-sS', '-i', '--http2', `http://127.0.0.1:${proxy.port}/`]);
    expect(reply.stdout).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(reply.stdout.endsWith('plain')).toBe(true);
    expect(proxy.manager.stats.downstream_rq_ws_on_non_ws_route).toBe(0);
  });

  it('passes an upstream refusal (no 101) on to the client', async () => {
    // A plain HTTP server answers the upgrade request as an ordinary request.
    const upstream = await startUpstream((_req, res) => {
      res.statusCode = 426;
      res.end('no websockets here');
    });
    cleanup.push(upstream.close);
    const proxy = await startProxy({ upstreamPort: upstream.port, config: { upgradeConfigs: WEBSOCKET }, logFormat: LOG });
    cleanup.push(proxy.close);
    await expect(open(proxy.port)).rejects.toMatchObject({ status: 426 });
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^426 - via_upstream 0 18$/);
  });

  it('closes a tunnel silent for stream_idle_timeout, as Envoy does', async () => {
    const { upstream } = await echoServer();
    const proxy = await startProxy({ upstreamPort: upstream.port, config: { upgradeConfigs: WEBSOCKET, streamIdleTimeoutMs: 200 }, logFormat: LOG });
    cleanup.push(proxy.close);
    const ws = await open(proxy.port);
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    // Traffic keeps it open past the timeout...
    for (let i = 0; i < 4; i++) {
      ws.send(`ping ${i}`);
      expect((await next(ws)).data).toBe(`ping ${i}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ws.readyState).toBe(WebSocket.OPEN);
    // ...silence closes it.
    await closed;
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^101 SI stream_idle_timeout \d+ \d+$/);
  });

  it('closes the client side when the upstream ends the tunnel, and the upstream side when the client does', async () => {
    const { upstream, wss } = await echoServer();
    const proxy = await startProxy({ upstreamPort: upstream.port, config: { upgradeConfigs: WEBSOCKET } });
    cleanup.push(proxy.close);
    const ws = await open(proxy.port);
    const closed = new Promise<number>((r) => ws.once('close', (code: number) => r(code)));
    for (const client of wss.clients) client.close(4001, 'server says bye');
    expect(await closed).toBe(4001);
    const second = await open(proxy.port);
    const serverSide = await new Promise<WebSocket>((r) => {
      const pick = (): void => {
        const found = [...wss.clients].find((c) => c.readyState === WebSocket.OPEN);
        if (found === undefined) setTimeout(pick, 5);
        else r(found);
      };
      pick();
    });
    const upstreamClosed = new Promise<void>((r) => serverSide.once('close', () => r()));
    second.terminate();
    await upstreamClosed;
    await until(() => proxy.manager.stats.downstream_cx_upgrades_active === 0);
  });
});
