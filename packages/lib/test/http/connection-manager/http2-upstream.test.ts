import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { constants, createServer as createHttp2Server, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sniffCodec } from '../../../src/http/connection-manager/codec-sniffer.js';
import { h2request, h2session } from './h2-client.js';
import { startHttp2Upstream, startProxy, until } from './harness.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const LOG = '%PROTOCOL% %UPSTREAM_PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %BYTES_RECEIVED% %BYTES_SENT%\n';

/** An HTTP/1.1 request through Node's client; trailers of a chunked response included. */
function h1(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string; trailers: Record<string, string | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), trailers: res.trailers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Echoes method, path, body length and `te`, with a trailer. */
function echo(stream: ServerHttp2Stream, headers: Record<string, string | string[] | undefined>): void {
  let n = 0;
  stream.on('data', (c: Buffer) => (n += c.length));
  stream.on('end', () => {
    stream.respond({ ':status': 200, 'x-authority': String(headers[':authority']) }, { waitForTrailers: true });
    stream.once('wantTrailers', () => stream.sendTrailers({ 'x-done': 'yes' }));
    stream.end(`${String(headers[':method'])} ${String(headers[':path'])} ${n}`);
  });
}

describe('ConnectionManager with an HTTP/2 cluster', () => {
  it('forwards an HTTP/1.1 request to an HTTP/2 upstream, trailers included', async () => {
    const upstream = await startHttp2Upstream(echo);
    const proxy = await startProxy({ upstreamPort: upstream.port, upstreamProtocol: 'http2', logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const reply = await h1(proxy.port, { method: 'POST', path: '/up?x=1', body: 'hello', headers: { host: 'example.com' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('POST /up?x=1 5');
    expect(reply.headers['x-authority']).toBe('example.com');
    expect(reply.trailers['x-done']).toBe('yes');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('HTTP/1.1 HTTP/2 200 - via_upstream 5 14');
  });

  it('forwards HTTP/2 to HTTP/2 with request and response trailers, multiplexed on one upstream connection', async () => {
    let requestTrailers: Record<string, unknown> | undefined;
    const upstream = await startHttp2Upstream((stream, headers) => {
      stream.once('trailers', (t: Record<string, unknown>) => (requestTrailers = t));
      echo(stream, headers);
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, upstreamProtocol: 'http2', logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const withTrailers = await new Promise<{ status: number; trailers: Record<string, unknown> }>((resolve) => {
      const stream = session.request({ ':method': 'POST', ':path': '/t' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'x-request-trailer': 'sent' }));
      let status = 0;
      let trailers: Record<string, unknown> = {};
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('trailers', (t: Record<string, unknown>) => (trailers = t));
      stream.resume();
      stream.on('close', () => resolve({ status, trailers }));
      stream.end('abc');
    });
    expect(withTrailers.status).toBe(200);
    expect(withTrailers.trailers['x-done']).toBe('yes');
    expect(requestTrailers?.['x-request-trailer']).toBe('sent');
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => h2request(session, { ':path': `/m${i}` })));
    expect(replies.map((r) => r.body.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `GET /m${i} 0`));
    expect(upstream.sessions.size).toBe(1);
  });

  it('passes a headers-only upstream response (gRPC trailers-only) on as headers-only', async () => {
    const upstream = await startHttp2Upstream((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'nope' }, { endStream: true });
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, upstreamProtocol: 'http2' });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const reply = await h2request(session, { 'content-type': 'application/grpc', te: 'trailers' });
    expect(reply.status).toBe(200);
    expect(reply.headersEnded).toBe(true);
    expect(reply.headers['grpc-status']).toBe('5');
    expect(reply.headers['grpc-message']).toBe('nope');
  });

  it('answers 503 UR when the upstream resets the stream before its headers', async () => {
    const upstream = await startHttp2Upstream((stream) => stream.destroy(new Error('reset')));
    const proxy = await startProxy({ upstreamPort: upstream.port, upstreamProtocol: 'http2', logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const reply = await h1(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: remote reset');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^HTTP\/1\.1 HTTP\/2 503 UR upstream_reset_before_response_started\{remote_reset\} 0 \d+$/);
  });

  it('resets the downstream stream when the upstream resets after its headers', async () => {
    const upstream = await startHttp2Upstream((stream) => {
      stream.respond({ ':status': 200 });
      stream.write('partial');
      setTimeout(() => stream.destroy(new Error('reset')), 30);
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, upstreamProtocol: 'http2', logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const reply = await h2request(session, {});
    expect(reply.status).toBe(200);
    expect(reply.rstCode).toBe(constants.NGHTTP2_INTERNAL_ERROR);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('HTTP/2 HTTP/2 200 UR upstream_reset_after_response_started{remote_reset} 0 7');
  });

  it('answers 503 UC when the upstream connection closes before the response', async () => {
    const upstream = await startHttp2Upstream((stream) => {
      setTimeout(() => stream.session?.destroy(), 20);
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, upstreamProtocol: 'http2', logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const reply = await h1(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection termination');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^HTTP\/1\.1 HTTP\/2 503 UC /);
  });

  it('answers 503 UF when the HTTP/2 upstream refuses connections', async () => {
    const upstream = await startHttp2Upstream(echo);
    const port = upstream.port;
    await upstream.close();
    const proxy = await startProxy({ upstreamPort: port, upstreamProtocol: 'http2', logFormat: LOG });
    cleanup.push(proxy.close);
    const reply = await h1(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^HTTP\/1\.1 HTTP\/2 503 UF /);
  });

  it('uses the downstream protocol with use_downstream_protocol_config', async () => {
    // One upstream port speaking both protocols, told apart by the preface.
    const seen: string[] = [];
    const h1server = createHttpServer((req, res) => {
      seen.push(`h1 ${req.url}`);
      res.end('one');
    });
    const h2server = createHttp2Server();
    h2server.on('stream', (stream, headers) => {
      seen.push(`h2 ${String(headers[':path'])}`);
      stream.respond({ ':status': 200 });
      stream.end('two');
    });
    const sockets = new Set<Socket>();
    const both = createNetServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      sniffCodec(socket, 0, (codec, head) => {
        socket.unshift(head);
        if (codec === 'http2') h2server.emit('connection', socket);
        else {
          h1server.emit('connection', socket);
          socket.resume();
        }
      });
    });
    await new Promise<void>((r) => both.listen(0, '127.0.0.1', r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          both.close(() => r());
        }),
    );
    const proxy = await startProxy({ upstreamPort: (both.address() as AddressInfo).port, upstreamProtocol: 'useDownstream', logFormat: LOG });
    cleanup.push(proxy.close);
    expect((await h1(proxy.port, { path: '/a' })).body).toBe('one');
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    expect((await h2request(session, { ':path': '/b' })).body.toString()).toBe('two');
    expect(seen).toEqual(['h1 /a', 'h2 /b']);
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['HTTP/1.1 HTTP/1.1', 'HTTP/2 HTTP/2']);
  });
});
