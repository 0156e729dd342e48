import { request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardTo, routeTable, startProxy, startUpstream, until } from './harness.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: false } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends raw bytes and returns everything the proxy writes until it closes (bounded). */
function raw(port: number, data: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Buffer.concat(chunks).toString());
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString());
    });
    socket.on('error', reject);
    socket.write(data);
  });
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

async function echoSetup(config = {}) {
  const seen: IncomingHttpHeaders[] = [];
  const upstream = await startUpstream((req, res) => {
    seen.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('x-upstream', 'yes');
      res.setHeader('connection', 'keep-alive');
      res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).length}`);
    });
  });
  const proxy = await startProxy({ upstreamPort: upstream.port, config });
  cleanup.push(upstream.close, proxy.close);
  return { upstream, proxy, seen };
}

describe('ConnectionManager (HTTP/1.1)', () => {
  it('forwards a request and its response with Envoy headers set', async () => {
    const { proxy, seen } = await echoSetup();
    const reply = await send(proxy.port, { path: '/a?b=c', headers: { 'x-request-id': 'abc' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('GET /a?b=c 0');
    expect(reply.headers['server']).toBe('envoy');
    expect(reply.headers['x-upstream']).toBe('yes');
    expect(Number(reply.headers['x-envoy-upstream-service-time'])).toBeGreaterThanOrEqual(0);
    expect(seen[0]?.['x-forwarded-proto']).toBe('http');
    expect(seen[0]?.['x-request-id']).toBe('abc');
    expect(seen[0]?.['x-envoy-expected-rq-timeout-ms']).toBe('15000');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^200 - via_upstream 0 12 127\.0\.0\.1:\d+ abc 127\.0\.0\.1:\d+ [1-9]\d*$/);
  });

  it('generates an x-request-id when the request has none', async () => {
    const { proxy, seen } = await echoSetup();
    await send(proxy.port);
    expect(seen[0]?.['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('streams request bodies with content-length and chunked encoding, counting bytes', async () => {
    const { proxy } = await echoSetup();
    expect((await send(proxy.port, { method: 'POST', body: 'x'.repeat(1000) })).body).toBe('POST / 1000');
    expect((await send(proxy.port, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: 'y'.repeat(70_000) })).body).toBe('POST / 70000');
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines[0]).toMatch(/^200 - via_upstream 1000 /);
    expect(proxy.lines[1]).toMatch(/^200 - via_upstream 70000 /);
  });

  it('answers 100-continue itself and does not forward Expect', async () => {
    const { proxy, seen } = await echoSetup();
    const text = await raw(proxy.port, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nexpect: 100-continue\r\nconnection: close\r\n\r\nhi');
    expect(text.startsWith('HTTP/1.1 100 Continue\r\n')).toBe(true);
    expect(text).toContain('POST / 2');
    expect(seen[0]?.['expect']).toBeUndefined();
  });

  it('strips hop-by-hop headers in both directions', async () => {
    const { proxy, seen } = await echoSetup();
    const reply = await send(proxy.port, { headers: { 'keep-alive': 'timeout=5', 'proxy-connection': 'x', te: 'gzip' } });
    expect(seen[0]?.['keep-alive']).toBeUndefined();
    expect(seen[0]?.['proxy-connection']).toBeUndefined();
    expect(seen[0]?.['te']).toBeUndefined();
    expect(reply.headers['keep-alive']).toBeUndefined();
  });

  it('keeps connections alive across requests and honours Connection: close', async () => {
    const { proxy } = await echoSetup();
    const text = await raw(proxy.port, 'GET /1 HTTP/1.1\r\nhost: x\r\n\r\nGET /2 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(text).toContain('GET /1 0');
    expect(text).toContain('GET /2 0');
  });

  it('answers 404 NR when no route matches', async () => {
    const upstream = await startUpstream((_req, res) => res.end('x'));
    const proxy = await startProxy({ upstreamPort: upstream.port, routes: routeTable([{ prefix: '/only-this', action: forwardTo('backend') }]) });
    cleanup.push(upstream.close, proxy.close);
    const reply = await send(proxy.port);
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^404 NR route_not_found 0 0 - /);
  });

  it('serves direct responses as text/plain and redirects with a location, without touching the upstream', async () => {
    const { upstream, seen } = await echoSetup();
    const proxy = await startProxy({
      upstreamPort: upstream.port,
      routes: routeTable([
        { prefix: '/direct', action: { type: 'directResponse', status: 200, body: { type: 'inlineString', value: 'meow! 🐱' } } as never },
        { prefix: '/moved', action: { type: 'redirect', responseCode: 301, stripQuery: false, host: 'example.com' } as never },
      ]),
    });
    cleanup.push(proxy.close);
    const direct = await send(proxy.port, { path: '/direct-response' });
    expect(direct.status).toBe(200);
    expect(direct.body).toBe('meow! 🐱');
    expect(direct.headers['content-type']).toBe('text/plain');
    const moved = await send(proxy.port, { path: '/moved/x?y=1', headers: { host: 'old.test' } });
    expect(moved.status).toBe(301);
    expect(moved.headers['location']).toBe('http://example.com/moved/x?y=1');
    expect(seen).toHaveLength(0);
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines[0]).toMatch(/^200 - direct_response 0 \d+ - /);
  });

  it('rewrites the path and sends x-envoy-original-path', async () => {
    const { upstream, seen } = await echoSetup();
    const proxy = await startProxy({
      upstreamPort: upstream.port,
      routes: routeTable([{ prefix: '/api/', action: forwardTo('backend', { pathRewrite: { type: 'prefix', prefix: '/' } } as never) }]),
    });
    cleanup.push(proxy.close);
    const reply = await send(proxy.port, { path: '/api/users?id=7' });
    expect(reply.body).toBe('GET /users?id=7 0');
    expect(seen[0]?.['x-envoy-original-path']).toBe('/api/users?id=7');
  });

  it('answers 503 NC when the cluster does not exist', async () => {
    const upstream = await startUpstream((_req, res) => res.end('x'));
    const proxy = await startProxy({ upstreamPort: upstream.port, routes: routeTable([{ prefix: '/', action: forwardTo('missing') }]) });
    cleanup.push(upstream.close, proxy.close);
    expect((await send(proxy.port)).status).toBe(503);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^503 NC cluster_not_found /);
  });

  it('answers 503 UF with Envoy\'s body when the upstream refuses the connection', async () => {
    const closed = createNetServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const proxy = await startProxy({ upstreamPort: port });
    cleanup.push(proxy.close);
    const reply = await send(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.headers['content-type']).toBe('text/plain');
    expect(reply.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^503 UF upstream_reset_before_response_started\{connection_failure\} /);
  });

  it('answers 503 UC when the upstream closes before sending headers', async () => {
    const upstream = await startUpstream((req) => req.socket.destroy());
    const proxy = await startProxy({ upstreamPort: upstream.port });
    cleanup.push(upstream.close, proxy.close);
    const reply = await send(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection termination');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^503 UC /);
  });

  it('answers 504 UT when the route timeout elapses, replacing undici\'s 300 s timeouts', async () => {
    const timers: NodeJS.Timeout[] = [];
    const upstream = await startUpstream((_req, res) => timers.push(setTimeout(() => res.end('late'), 2000)));
    const proxy = await startProxy({ upstreamPort: upstream.port, routes: routeTable([{ prefix: '/', action: forwardTo('backend', { timeoutMs: 150 }) }]) });
    cleanup.push(upstream.close, proxy.close, async () => timers.forEach(clearTimeout));
    const started = Date.now();
    const reply = await send(proxy.port);
    expect(reply.status).toBe(504);
    expect(reply.body).toBe('upstream request timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^504 UT upstream_response_timeout /);
  });

  it('waits past undici\'s default timeouts when the route timeout is 0 (no timeout)', async () => {
    const upstream = await startUpstream((_req, res) => setTimeout(() => res.end('slow'), 300));
    const proxy = await startProxy({ upstreamPort: upstream.port, routes: routeTable([{ prefix: '/', action: forwardTo('backend', { timeoutMs: 0 }) }]) });
    cleanup.push(upstream.close, proxy.close);
    expect((await send(proxy.port)).body).toBe('slow');
  });

  it('replaces Node\'s clientError 400 with an Envoy local reply, DPE flag and access-log line', async () => {
    const { proxy } = await echoSetup();
    const text = await raw(proxy.port, 'GARBAGE\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain('content-type: text/plain');
    expect(text).toContain('server: envoy');
    expect(text.endsWith('\r\n\r\nBad Request')).toBe(true);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^400 DPE http1\.codec_error /);
  });

  it('answers HTTP/1.0 with 426 Upgrade Required (DPE low_version), as Envoy does without accept_http_10', async () => {
    const { proxy, seen } = await echoSetup();
    const text = await raw(proxy.port, 'GET /old HTTP/1.0\r\nhost: x\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    expect(text).toContain('\r\nconnection: close\r\n');
    expect(text.endsWith('\r\n\r\nUpgrade Required')).toBe(true);
    expect(seen).toHaveLength(0);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^426 DPE low_version /);
    expect(proxy.manager.stats.downstream_cx_protocol_error).toBe(1);
  });

  it('applies the same request-line rules to upgrade requests (HTTP/1.0 → 426, a bad target → 400)', async () => {
    const { proxy, seen } = await echoSetup({ upgradeConfigs: [{ upgradeType: 'websocket', enabled: true }] });
    const old = await raw(proxy.port, 'GET /ws HTTP/1.0\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n');
    expect(old).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
    const bad = await raw(proxy.port, 'GET ws://x/ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(seen).toHaveLength(0);
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['426 DPE low_version', '400 DPE http1.invalid_url']);
  });

  it('serves HTTP/1.0 with accept_http_10, giving a request without host default_host_for_http_10', async () => {
    const { proxy, seen } = await echoSetup({ http1ProtocolOptions: { allowAbsoluteUrl: true, acceptHttp10: true, defaultHostForHttp10: 'legacy.example' } });
    const text = await raw(proxy.port, 'GET /old HTTP/1.0\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    // An HTTP/1.0 client without keep-alive: the connection closes after the response.
    expect(text).toContain('\r\nconnection: close\r\n');
    expect(text.endsWith('\r\n\r\nGET /old 0')).toBe(true);
    expect(seen[0]?.host).toBe('legacy.example');
    const kept = await raw(proxy.port, 'GET /kept HTTP/1.0\r\nhost: given\r\nconnection: keep-alive\r\n\r\n', 300);
    expect(kept).toContain('\r\nconnection: keep-alive\r\n');
    expect(seen[1]?.host).toBe('given');
  });

  it('takes an absolute-form target\'s host and path, as Envoy with allow_absolute_url (its default)', async () => {
    const { proxy, seen } = await echoSetup();
    const text = await raw(proxy.port, 'GET http://service.internal:8080/a?b=1 HTTP/1.1\r\nhost: ignored\r\nconnection: close\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text.endsWith('\r\n\r\nGET /a?b=1 0')).toBe(true);
    expect(seen[0]?.host).toBe('service.internal:8080');
    const refused = await raw(proxy.port, 'GET ftp://service.internal/a HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(refused).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(seen).toHaveLength(1);
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines[1]).toMatch(/^400 DPE http1\.invalid_url /);
  });

  it('passes an absolute-form target on as the path with allow_absolute_url: false', async () => {
    const { proxy, seen } = await echoSetup({ http1ProtocolOptions: { allowAbsoluteUrl: false, acceptHttp10: false, defaultHostForHttp10: '' } });
    const text = await raw(proxy.port, 'GET http://service.internal/a HTTP/1.1\r\nhost: kept\r\nconnection: close\r\n\r\n');
    // The target is not a path a route matches (`prefix: /`): 404 NR, and the host stays.
    expect(text).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(seen).toHaveLength(0);
  });

  it('closes a connection with the response to its max_requests_per_connection-th request', async () => {
    const { proxy } = await echoSetup({ commonHttpProtocolOptions: { idleTimeoutMs: 3_600_000, maxConnectionDurationMs: 0, maxHeadersCount: 100, maxStreamDurationMs: 0, maxRequestsPerConnection: 2 } });
    const text = await raw(proxy.port, 'GET /1 HTTP/1.1\r\nhost: x\r\n\r\nGET /2 HTTP/1.1\r\nhost: x\r\n\r\nGET /3 HTTP/1.1\r\nhost: x\r\n\r\n');
    const responses = text.split('HTTP/1.1 ').slice(1);
    // The second response says connection: close and the connection ends: the third request is never answered.
    expect(responses).toHaveLength(2);
    expect(responses[0]).not.toContain('connection: close');
    expect(responses[1]).toContain('\r\nconnection: close\r\n');
    expect(proxy.manager.stats.downstream_cx_max_requests_reached).toBe(1);
  });

  it('closes a connection after max_connection_duration: at once when idle, after its response when busy', async () => {
    const timers: NodeJS.Timeout[] = [];
    const upstream = await startUpstream((req, res) => {
      if (req.url === '/slow') timers.push(setTimeout(() => res.end('slow'), 400));
      else res.end('fast');
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, config: { commonHttpProtocolOptions: { idleTimeoutMs: 3_600_000, maxConnectionDurationMs: 300, maxHeadersCount: 100, maxStreamDurationMs: 0, maxRequestsPerConnection: 0 } } });
    cleanup.push(upstream.close, proxy.close, async () => timers.forEach(clearTimeout));
    const started = Date.now();
    const idle = raw(proxy.port, 'GET /fast HTTP/1.1\r\nhost: x\r\n\r\n', 3000);
    const busy = raw(proxy.port, 'GET /fast HTTP/1.1\r\nhost: x\r\n\r\n', 3000);
    await new Promise((r) => setTimeout(r, 150));
    const slowSocket = connect(proxy.port, '127.0.0.1');
    const slowChunks: Buffer[] = [];
    slowSocket.on('data', (c: Buffer) => slowChunks.push(c));
    const slowClosed = new Promise<void>((r) => slowSocket.once('close', () => r()));
    cleanup.push(async () => void slowSocket.destroy());
    slowSocket.write('GET /slow HTTP/1.1\r\nhost: x\r\n\r\n');
    // The idle keep-alive connections close at about 300 ms, not after the 3 s the client waits.
    expect(await idle).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*fast$/);
    expect(Date.now() - started).toBeLessThan(2000);
    await busy;
    // The slow request's connection reached its duration while busy: its response closes it.
    await slowClosed;
    const slow = Buffer.concat(slowChunks).toString();
    expect(slow).toContain('\r\nconnection: close\r\n');
    expect(slow.endsWith('slow')).toBe(true);
    expect(proxy.manager.stats.downstream_cx_max_duration_reached).toBe(3);
  });

  it('rejects request smuggling (Content-Length with Transfer-Encoding) with 400', async () => {
    const { proxy, seen } = await echoSetup();
    const text = await raw(proxy.port, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(seen).toHaveLength(0);
  });

  it('accepts 60 KiB of request headers (Envoy max_request_headers_kb; Node defaults to 16 KiB) and rejects more with 431', async () => {
    const { proxy } = await echoSetup();
    expect((await send(proxy.port, { headers: { 'x-big': 'a'.repeat(50 * 1024) } })).status).toBe(200);
    const text = await raw(proxy.port, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(61 * 1024)}\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines[1]).toMatch(/^431 DPE http1\.headers_too_large /);
  });

  it('rejects more than 100 headers (Envoy max_headers_count; Node allows 2000) with 431', async () => {
    const { proxy } = await echoSetup();
    const ninetyNine: Record<string, string> = {};
    for (let i = 0; i < 98; i++) ninetyNine[`x-h${i}`] = 'v';
    expect((await send(proxy.port, { headers: ninetyNine })).status).toBe(200);
    const many: Record<string, string> = {};
    for (let i = 0; i < 101; i++) many[`x-h${i}`] = 'v';
    const reply = await send(proxy.port, { headers: many });
    expect(reply.status).toBe(431);
  });

  it('keeps an idle downstream connection open past Node\'s 5 s keep-alive (Envoy idle_timeout 1 h)', async () => {
    const { proxy } = await echoSetup();
    const socket = connect(proxy.port, '127.0.0.1');
    cleanup.push(async () => void socket.destroy());
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.write('GET /first HTTP/1.1\r\nhost: x\r\n\r\n');
    await until(() => Buffer.concat(received).toString().includes('GET /first 0'));
    await new Promise((r) => setTimeout(r, 5600));
    expect(closed).toBe(false);
    socket.write('GET /second HTTP/1.1\r\nhost: x\r\n\r\n');
    await until(() => Buffer.concat(received).toString().includes('GET /second 0'));
  }, 15_000);

  it('answers 408 when request_headers_timeout elapses before the headers are complete', async () => {
    const { proxy } = await echoSetup({ requestHeadersTimeoutMs: 200 });
    const started = Date.now();
    const text = await raw(proxy.port, 'GET / HTTP/1.1\r\nhost: x\r\nx-partial: ');
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('closes idle keep-alive connections at once when it closes, keeping busy ones until their response', async () => {
    const timers: NodeJS.Timeout[] = [];
    const upstream = await startUpstream((req, res) => {
      if (req.url === '/slow') timers.push(setTimeout(() => res.end('slow'), 300));
      else res.end('fast');
    });
    const proxy = await startProxy({ upstreamPort: upstream.port });
    cleanup.push(upstream.close, proxy.close, async () => timers.forEach(clearTimeout));
    const idle = connect(proxy.port, '127.0.0.1');
    let idleClosed = false;
    idle.on('close', () => (idleClosed = true));
    idle.on('data', () => undefined);
    idle.write('GET /fast HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 100));
    const slow = send(proxy.port, { path: '/slow' });
    await new Promise((r) => setTimeout(r, 50));
    proxy.manager.close();
    await until(() => idleClosed, 1000);
    expect((await slow).body).toBe('slow');
  });

  it('answers 408 SI when the stream is idle for stream_idle_timeout (route timeout off)', async () => {
    const held: ServerResponse[] = [];
    const upstream = await startUpstream((_req, res) => void held.push(res));
    const proxy = await startProxy({ upstreamPort: upstream.port, config: { streamIdleTimeoutMs: 200 }, routes: routeTable([{ prefix: '/', action: forwardTo('backend', { timeoutMs: 0 }) }]) });
    cleanup.push(upstream.close, proxy.close);
    const reply = await send(proxy.port);
    expect(reply.status).toBe(408);
    expect(reply.body).toBe('stream timeout');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^408 SI stream_idle_timeout /);
  });

  it('answers 408 when request_timeout elapses before the request is complete', async () => {
    const { proxy } = await echoSetup({ requestTimeoutMs: 200 });
    const text = await raw(proxy.port, 'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nabc');
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text.endsWith('request timeout')).toBe(true);
    // Envoy: a response before the request is complete is counted and closes an HTTP/1.1 connection.
    expect(text).toContain('\r\nconnection: close\r\n');
    expect(proxy.manager.stats.downstream_rq_response_before_rq_complete).toBe(1);
  });

  it('aborts a request queued for a pooled connection when its client disconnects, leaving the pool healthy', async () => {
    let served = 0;
    const paths: string[] = [];
    const timers: NodeJS.Timeout[] = [];
    const upstream = await startUpstream((req, res) => {
      served++;
      paths.push(req.url ?? '');
      if (req.url === '/slow') timers.push(setTimeout(() => res.end('slow done'), 400));
      else res.end('fast');
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, maxConnectionsPerHost: 1 });
    cleanup.push(upstream.close, proxy.close, async () => timers.forEach(clearTimeout));
    const slow = send(proxy.port, { path: '/slow' });
    await until(() => served === 1);
    // This request waits for the only pooled connection; its client gives up.
    const queued = httpRequest({ host: '127.0.0.1', port: proxy.port, path: '/queued', agent: false });
    queued.on('error', () => undefined);
    queued.end();
    await new Promise((r) => setTimeout(r, 100));
    queued.destroy();
    expect((await slow).body).toBe('slow done');
    const after = await send(proxy.port, { path: '/after' });
    expect(after.body).toBe('fast');
    expect(paths).toEqual(['/slow', '/after']);
    await until(() => proxy.lines.some((l) => l.startsWith('0 DC')));
  });
  it('forwards the trailers of a chunked upstream response to an HTTP/1.1 client', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { trailer: 'x-sum' });
      res.write('body');
      res.addTrailers({ 'x-sum': '42' });
      res.end();
    });
    const proxy = await startProxy({ upstreamPort: upstream.port });
    cleanup.push(upstream.close, proxy.close);
    const trailers = await new Promise<NodeJS.Dict<string>>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: proxy.port, path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.trailers));
      });
      req.on('error', reject);
      req.end();
    });
    expect(trailers['x-sum']).toBe('42');
  });

  it('refuses CONNECT with 403 (no CONNECT tunnelling)', async () => {
    const { proxy } = await echoSetup();
    const text = await raw(proxy.port, 'CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^403 - upgrade_failed /);
  });
});
