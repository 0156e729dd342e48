import { request as httpRequest } from 'node:http';
import { constants } from 'node:http2';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { h2request, h2session, run } from './h2-client.js';
import { DEFAULT_HTTP2, startProxy, startUpstream, until } from './harness.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const LOG = '%PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %BYTES_RECEIVED% %BYTES_SENT%\n';

async function echoProxy(config = {}) {
  const upstream = await startUpstream((req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => {
      res.setHeader('x-upstream-host', req.headers.host ?? '');
      res.end(`${req.method} ${req.url} ${n} ${req.headers['x-forwarded-proto'] ?? ''}`);
    });
  });
  const proxy = await startProxy({ upstreamPort: upstream.port, config, logFormat: LOG });
  cleanup.push(upstream.close, proxy.close);
  return { upstream, proxy };
}

describe('ConnectionManager (HTTP/2 downstream)', () => {
  it('serves curl --http2-prior-knowledge and HTTP/1.1 on one AUTO listener', async () => {
    const { proxy } = await echoProxy();
    const h2 = await run('curl', ['-sS', '-i', '--http2-prior-knowledge', '-d', 'hello', `http://127.0.0.1:${proxy.port}/a?b=1`]);
    expect(h2.code).toBe(0);
    expect(h2.stdout).toMatch(/^HTTP\/2 200/);
    expect(h2.stdout).toMatch(/\r\nserver: envoy\r\n/);
    expect(h2.stdout).toMatch(/\r\nx-upstream-host: 127\.0\.0\.1:\d+\r\n/);
    expect(h2.stdout.endsWith('POST /a?b=1 5 http')).toBe(true);
    const h1 = await run('curl', ['-sS', '-i', `http://127.0.0.1:${proxy.port}/b`]);
    expect(h1.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(h1.stdout.endsWith('GET /b 0 http')).toBe(true);
    await until(() => proxy.lines.length === 2);
    expect(proxy.lines[0]).toMatch(/^HTTP\/2 200 - via_upstream 5 \d+$/);
    expect(proxy.lines[1]).toMatch(/^HTTP\/1\.1 200 - via_upstream 0 \d+$/);
    expect(proxy.manager.stats).toMatchObject({ downstream_cx_http2_total: 1, downstream_cx_http1_total: 1, downstream_rq_http2_total: 1, downstream_rq_http1_total: 1 });
  });

  it('speaks only HTTP/2 with codec_type HTTP2', async () => {
    const { proxy } = await echoProxy({ codecType: 'http2' });
    const h2 = await run('curl', ['-sS', '--http2-prior-knowledge', `http://127.0.0.1:${proxy.port}/x`]);
    expect(h2.stdout).toBe('GET /x 0 http');
    // An HTTP/1.1 request is not a valid preface: the connection ends without an HTTP/1.1 response.
    const h1 = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${proxy.port}/x`]);
    expect(h1.stdout).toBe('000');
    expect(h1.code).not.toBe(0);
  });

  it('advertises max_concurrent_streams, window and header-list limits from the configuration', async () => {
    const { proxy } = await echoProxy({
      codecType: 'http2',
      maxRequestHeadersKb: 8,
      http2ProtocolOptions: { ...DEFAULT_HTTP2, maxConcurrentStreams: 5, initialStreamWindowSize: 70_000 },
    });
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    await new Promise<void>((r) => session.once('remoteSettings', () => r()));
    expect(session.remoteSettings).toMatchObject({ maxConcurrentStreams: 5, initialWindowSize: 70_000, maxHeaderListSize: 8192 });
  });

  it('defaults to Envoy\'s HTTP/2 settings', async () => {
    const { proxy } = await echoProxy();
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    await new Promise<void>((r) => session.once('remoteSettings', () => r()));
    expect(session.remoteSettings).toMatchObject({ maxConcurrentStreams: 2_147_483_647, initialWindowSize: 268_435_456, maxHeaderListSize: 60 * 1024 });
  });

  it('refuses a request with more headers than max_headers_count', async () => {
    const { proxy } = await echoProxy({ commonHttpProtocolOptions: { idleTimeoutMs: 3_600_000, maxConnectionDurationMs: 0, maxHeadersCount: 20, maxStreamDurationMs: 0, maxRequestsPerConnection: 0 } });
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const few: Record<string, string> = {};
    for (let i = 0; i < 10; i++) few[`x-h${i}`] = 'v';
    expect((await h2request(session, few)).status).toBe(200);
    const many: Record<string, string> = {};
    for (let i = 0; i < 30; i++) many[`x-h${i}`] = 'v';
    const reply = await h2request(session, many);
    expect(reply.status).toBe(0);
    expect(reply.rstCode).toBeGreaterThan(0);
  });

  it('streams a large upload and download with flow control and backpressure', async () => {
    const size = 4 * 1024 * 1024;
    let received = 0;
    let sawBackpressure = false;
    const upstream = await startUpstream((req, res) => {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => {
        const chunk = Buffer.alloc(64 * 1024, 120);
        let sent = 0;
        const pump = (): void => {
          while (sent < size) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              sawBackpressure = true;
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
      });
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, config: { http2ProtocolOptions: { ...DEFAULT_HTTP2, initialStreamWindowSize: 65_535, initialConnectionWindowSize: 65_535 } }, logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const stream = session.request({ ':method': 'POST', ':path': '/big' });
    const body = Buffer.alloc(size, 97);
    stream.end(body);
    let downloaded = 0;
    await new Promise<void>((resolve, reject) => {
      stream.on('response', () => {
        // Read nothing for a while: the proxy must stop pulling from the upstream.
        stream.pause();
        setTimeout(() => stream.resume(), 300);
      });
      stream.on('data', (c: Buffer) => (downloaded += c.length));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(received).toBe(size);
    expect(downloaded).toBe(size);
    expect(sawBackpressure).toBe(true);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe(`HTTP/2 200 - via_upstream ${size} ${size}`);
  });

  it('forwards response trailers from an HTTP/1.1 upstream to an HTTP/2 client', async () => {
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
      res.write('part');
      res.addTrailers({ 'x-checksum': 'abc' });
      res.end();
    });
    const proxy = await startProxy({ upstreamPort: upstream.port });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const reply = await h2request(session, {});
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('part');
    expect(reply.trailers?.['x-checksum']).toBe('abc');
  });

  it('logs a stream the client resets as DR and aborts its upstream request', async () => {
    let upstreamClosed = false;
    const upstream = await startUpstream((req) => {
      req.socket.once('close', () => (upstreamClosed = true));
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const stream = session.request({ ':method': 'GET', ':path': '/slow' });
    stream.on('error', () => undefined);
    await until(() => proxy.manager.stats.downstream_rq_active === 1);
    await new Promise((r) => setTimeout(r, 50));
    stream.close(constants.NGHTTP2_CANCEL);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('HTTP/2 0 DR downstream_remote_disconnect 0 0');
    await until(() => upstreamClosed);
    expect(proxy.manager.stats.downstream_rq_rx_reset).toBe(1);
  });

  it('never passes a body cut short by a lost client connection on as complete', async () => {
    let outcome = '';
    const upstream = await startUpstream((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => {
        outcome = `complete ${n}`;
        res.end();
      });
      req.on('aborted', () => (outcome = 'aborted'));
      req.on('error', () => (outcome ||= 'aborted'));
    });
    const proxy = await startProxy({ upstreamPort: upstream.port, logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    const stream = session.request({ ':method': 'POST', ':path': '/upload' });
    stream.on('error', () => undefined);
    stream.write(Buffer.alloc(1000, 1));
    await until(() => proxy.manager.stats.downstream_rq_active === 1);
    await new Promise((r) => setTimeout(r, 50));
    session.destroy();
    await until(() => outcome !== '');
    expect(outcome).toBe('aborted');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toMatch(/^HTTP\/2 0 DC downstream_remote_disconnect 1000 0$/);
  });

  it('sends GOAWAY on close and lets in-flight streams finish', async () => {
    const upstream = await startUpstream((_req, res) => {
      setTimeout(() => res.end('late'), 150);
    });
    const proxy = await startProxy({ upstreamPort: upstream.port });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    let goaway = false;
    session.on('goaway', () => (goaway = true));
    const pending = h2request(session, {});
    await until(() => proxy.manager.stats.downstream_rq_active === 1);
    proxy.manager.close();
    const reply = await pending;
    expect(goaway).toBe(true);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('late');
    await until(() => session.closed || session.destroyed);
  });

  it('drains with a shutdown notice first (GOAWAY with the largest stream id), the final GOAWAY after drain_timeout', async () => {
    const lastIds = async (drainTimeoutMs: number): Promise<number[]> => {
      const { proxy } = await echoProxy({ drainTimeoutMs });
      const session = h2session(proxy.port);
      cleanup.push(() => void session.destroy());
      const ids: number[] = [];
      session.on('goaway', (_code: number, lastStreamId: number) => ids.push(lastStreamId));
      expect((await h2request(session, {})).status).toBe(200);
      proxy.manager.close();
      await until(() => ids.length > 0, 3000);
      return ids;
    };
    // Envoy's drain sequence: streams racing with the notice are still taken for drain_timeout.
    expect((await lastIds(300))[0]).toBe(2 ** 31 - 1);
    // drain_timeout 0: straight to the final GOAWAY, naming the one stream taken.
    expect((await lastIds(0))[0]).toBe(1);
  });

  it('sends GOAWAY after max_requests_per_connection streams and after max_connection_duration', async () => {
    const { proxy } = await echoProxy({ commonHttpProtocolOptions: { idleTimeoutMs: 3_600_000, maxConnectionDurationMs: 0, maxHeadersCount: 100, maxStreamDurationMs: 0, maxRequestsPerConnection: 2 } });
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    let goaway = false;
    session.on('goaway', () => (goaway = true));
    expect((await h2request(session, {})).status).toBe(200);
    expect(goaway).toBe(false);
    // The second stream is served, and GOAWAY names it as the last one.
    expect((await h2request(session, {})).status).toBe(200);
    await until(() => goaway, 3000);
    expect(proxy.manager.stats.downstream_cx_max_requests_reached).toBe(1);
    const timed = await echoProxy({ commonHttpProtocolOptions: { idleTimeoutMs: 3_600_000, maxConnectionDurationMs: 200, maxHeadersCount: 100, maxStreamDurationMs: 0, maxRequestsPerConnection: 0 } });
    const other = h2session(timed.proxy.port);
    cleanup.push(() => void other.destroy());
    let otherGoaway = false;
    other.on('goaway', () => (otherGoaway = true));
    expect((await h2request(other, {})).status).toBe(200);
    await until(() => otherGoaway, 3000);
    expect(timed.proxy.manager.stats.downstream_cx_max_duration_reached).toBe(1);
  });

  it('closes an HTTP/2 connection idle for idle_timeout', async () => {
    const { proxy } = await echoProxy({ commonHttpProtocolOptions: { idleTimeoutMs: 150, maxConnectionDurationMs: 0, maxHeadersCount: 100, maxStreamDurationMs: 0, maxRequestsPerConnection: 0 } });
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    expect((await h2request(session, {})).status).toBe(200);
    let goaway = false;
    session.on('goaway', () => (goaway = true));
    await until(() => session.closed || session.destroyed, 3000);
    expect(goaway).toBe(true);
    expect(proxy.manager.stats.downstream_cx_idle_timeout).toBe(1);
  });

  it('answers a local reply over HTTP/2 (no route: 404 NR)', async () => {
    const upstream = await startUpstream((_req, res) => res.end());
    const proxy = await startProxy({ upstreamPort: upstream.port, routes: { ...(await import('./harness.js')).routeTable([]) }, logFormat: LOG });
    cleanup.push(upstream.close, proxy.close);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    const reply = await h2request(session, { ':path': '/nothing' });
    expect(reply.status).toBe(404);
    expect(reply.headers['server']).toBe('envoy');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe('HTTP/2 404 NR route_not_found 0 0');
  });

  it('keeps an AUTO connection whose first bytes arrive split working for both codecs', async () => {
    const { proxy } = await echoProxy();
    // HTTP/1.1 with the request line split after "P": not the preface once the second byte arrives.
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(proxy.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
      socket.on('error', reject);
      socket.write('P');
      setTimeout(() => socket.write('OST /split HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'), 50);
    });
    expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(text.endsWith('POST /split 2 http')).toBe(true);
    // HTTP/1.1 through Node's client still works on the same kind of listener.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: proxy.port, path: '/', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });

  it('completes an h2load run through the proxy', async () => {
    const { proxy } = await echoProxy();
    const result = await run('h2load', ['-n', '2000', '-c', '4', '-m', '10', `http://127.0.0.1:${proxy.port}/load`], 60_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored/);
    expect(result.stdout).toMatch(/status codes: 2000 2xx/);
  });
});
