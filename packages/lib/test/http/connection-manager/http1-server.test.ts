import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Server, type Http1ServerHandler, type Http1ServerOptions } from '../../../src/http/connection-manager/http1-server.js';
import type { Http1ClientError } from '../../../src/http/connection-manager/http1-server-connection.js';
import type { Http1ServerRequest } from '../../../src/http/connection-manager/http1-server-request.js';
import type { Http1ServerResponse } from '../../../src/http/connection-manager/http1-server-response.js';

// --- servers, clients and expected bytes ---------------------------------------------------------------------------

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

/** A fixed `date` the handlers send, so that whole responses can be compared byte for byte. */
const DATE = 'Thu, 01 Jan 2026 00:00:00 GMT';
const KIB = 1024;
const MIB = 1024 * KIB;

/** Polls `condition` every 5 ms for at most `timeoutMs`; resolves with the time it took. */
async function until(condition: () => boolean, what: () => string, timeoutMs = 3000): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await delay(5);
  }
  return performance.now() - start;
}

/** A request head: `GET <path> HTTP/1.1` with `host` and the given extra header lines (each ending in CRLF). */
function get(path: string, extraLines = ''): string {
  return `GET ${path} HTTP/1.1\r\nhost: test\r\n${extraLines}\r\n`;
}

/** Answers `body` with a content-length and the fixed date. */
function reply(res: Http1ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), date: DATE });
  res.end(body);
}

/** The exact bytes of {@link reply}'s 200 (`extraLines`: what the codec adds after the handler's headers). */
function okBytes(body: string, extraLines = ''): string {
  return `HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\ndate: ${DATE}\r\n${extraLines}\r\n${body}`;
}

async function readBody(req: Http1ServerRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A raw TCP client: writes exact bytes and keeps every byte it receives (as latin1 text). */
class RawClient {
  readonly socket: Socket;
  received = '';
  /** The server's FIN arrived. */
  ended = false;
  closed = false;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('latin1');
    });
    socket.on('error', () => {
      // A reset ends in `close`, which the tests observe.
    });
    socket.on('end', () => {
      this.ended = true;
    });
    socket.on('close', () => {
      this.closed = true;
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Waits until `length` bytes arrived, then returns them all (more than that shows as a mismatch). */
  async receive(length: number, timeoutMs?: number): Promise<string> {
    await until(() => this.received.length >= length, () => `${length} bytes, received ${JSON.stringify(this.received.slice(0, 2000))}`, timeoutMs);
    return this.received;
  }

  async waitForText(text: string, timeoutMs?: number): Promise<number> {
    return until(() => this.received.includes(text), () => `${JSON.stringify(text)}, received ${JSON.stringify(this.received.slice(0, 2000))}`, timeoutMs);
  }

  async waitForEnd(timeoutMs?: number): Promise<number> {
    return until(() => this.ended, () => `the server's FIN, received ${JSON.stringify(this.received.slice(0, 2000))}`, timeoutMs);
  }

  async waitForClose(timeoutMs?: number): Promise<number> {
    return until(() => this.closed, () => `the connection to close, received ${JSON.stringify(this.received.slice(0, 2000))}`, timeoutMs);
  }
}

interface TestServer {
  readonly codec: Http1Server;
  readonly port: number;
  /** Every request handed to `onRequest`, in order. */
  readonly requests: Http1ServerRequest[];
  readonly clientErrors: Http1ClientError[];
  /** A raw client (`allowHalfOpen`: it keeps writing after the server's FIN). */
  connect(options?: { readonly allowHalfOpen?: boolean }): Promise<RawClient>;
}

interface TestServerSetup extends Partial<Http1ServerHandler> {
  readonly options?: Partial<Http1ServerOptions>;
  /** Hands an accepted socket to the codec (default: `codec.handle(socket)` at once). */
  readonly accept?: (socket: Socket, codec: Http1Server) => void;
}

/**
 * An {@link Http1Server} behind a `node:net` server on 127.0.0.1:0 (half-open allowed, as Orion's listeners are).
 * Requests are answered with their URL unless the setup says otherwise; client errors get a 400.
 */
async function startServer(setup: TestServerSetup = {}): Promise<TestServer> {
  const requests: Http1ServerRequest[] = [];
  const clientErrors: Http1ClientError[] = [];
  const options: Http1ServerOptions = { maxHeaderBytes: 60 * KIB, headersTimeoutMs: 0, idleTimeoutMs: 0, ...setup.options };
  const codec = new Http1Server(options, {
    onRequest(req, res) {
      requests.push(req);
      if (setup.onRequest !== undefined) setup.onRequest(req, res);
      else reply(res, req.url);
    },
    onUpgrade(req, res, socket, head) {
      if (setup.onUpgrade !== undefined) setup.onUpgrade(req, res, socket, head);
      else socket.destroy();
    },
    onClientError(err, socket) {
      clientErrors.push(err);
      if (setup.onClientError !== undefined) setup.onClientError(err, socket);
      else socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    },
  }, { downstream_cx_idle_timeout: 0, downstream_cx_drain_close: 0, downstream_cx_delayed_close_timeout: 0, downstream_cx_max_requests_reached: 0, downstream_cx_max_duration_reached: 0 });
  const accept = setup.accept ?? ((socket: Socket, server: Http1Server) => server.handle(socket));
  // Accepted sockets, also those the codec handed over (upgrades), are destroyed at the end of the test.
  const accepted = new Set<Socket>();
  const listener = net.createServer({ allowHalfOpen: true }, (socket) => {
    accepted.add(socket);
    socket.once('close', () => accepted.delete(socket));
    accept(socket, codec);
  });
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  cleanup.push(async () => {
    codec.destroy();
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });
  const port = (listener.address() as AddressInfo).port;
  return {
    codec,
    port,
    requests,
    clientErrors,
    async connect(connectOptions = {}) {
      const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: connectOptions.allowHalfOpen ?? false });
      const client = new RawClient(socket);
      cleanup.push(() => {
        socket.destroy();
      });
      await once(socket, 'connect');
      return client;
    },
  };
}

/** A GET with node:http; resolves with the status, headers and body. */
function httpGet(port: number, path: string, agent: http.Agent): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, signal: AbortSignal.timeout(3000) }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

// --- tests ---------------------------------------------------------------------------------------------------------

describe('Http1Server', () => {
  describe('request parsing', () => {
    it('reports method, target with query, version and the header record as node:http shows it', async () => {
      const server = await startServer();
      const client = await server.connect();
      client.write(
        'GET /search?q=orion&page=2 HTTP/1.1\r\nHost: test\r\nX-Dup: a\r\nx-dup: b\r\nCookie: a=1\r\nCookie: b=2\r\n' +
          'Set-Cookie: s=1\r\nSet-Cookie: s=2\r\nConstructor: c\r\n\r\n',
      );
      await client.receive(okBytes('/search?q=orion&page=2').length);
      const req = server.requests[0];
      expect([req?.method, req?.url, req?.httpVersion]).toEqual(['GET', '/search?q=orion&page=2', '1.1']);
      expect(req?.headers).toEqual({ host: 'test', 'x-dup': 'a, b', cookie: 'a=1; b=2', 'set-cookie': ['s=1', 's=2'], constructor: 'c' });
      expect(Object.hasOwn(req?.headers ?? {}, 'constructor')).toBe(true);
      expect(req?.headers['constructor']).toBe('c');
      expect(req?.rawHeaders).toEqual(['Host', 'test', 'X-Dup', 'a', 'x-dup', 'b', 'Cookie', 'a=1', 'Cookie', 'b=2', 'Set-Cookie', 's=1', 'Set-Cookie', 's=2', 'Constructor', 'c']);
      expect(client.received).toBe(okBytes('/search?q=orion&page=2'));
    });

    it('receives a 41-line head whole although the parser hands its headers over in parts', async () => {
      const server = await startServer();
      const client = await server.connect();
      const lines = Array.from({ length: 40 }, (_, i) => `x-h-${i}: v${i}\r\n`);
      // Across two packets, the first one past the parser's 32 header slots.
      client.write(`GET /many?x=1 HTTP/1.1\r\nhost: test\r\n${lines.slice(0, 35).join('')}`);
      await delay(30);
      client.write(`${lines.slice(35).join('')}\r\n`);
      await client.receive(okBytes('/many?x=1').length);
      const req = server.requests[0];
      expect(req?.url).toBe('/many?x=1');
      expect(req?.rawHeaders).toEqual(['host', 'test', ...Array.from({ length: 40 }, (_, i) => [`x-h-${i}`, `v${i}`]).flat()]);
      expect(Object.keys(req?.headers ?? {})).toHaveLength(41);
      expect(req?.headers['x-h-39']).toBe('v39');
      expect(client.received).toBe(okBytes('/many?x=1'));
    });

    it('reads a content-length body through for await', async () => {
      const seen: string[] = [];
      const server = await startServer({
        onRequest(req, res) {
          void readBody(req).then((body) => {
            seen.push(`${body.toString('latin1')} complete=${req.complete}`);
            reply(res, `got ${body.length}`);
          });
        },
      });
      const client = await server.connect();
      client.write('POST /upload HTTP/1.1\r\nhost: test\r\ncontent-length: 11\r\n\r\nhello ');
      await delay(30);
      client.write('world');
      await client.receive(okBytes('got 11').length);
      expect(seen).toEqual(['hello world complete=true']);
      expect(client.received).toBe(okBytes('got 11'));
    });

    it('reads a chunked body through for await, leaves its trailers out and parses the next request cleanly', async () => {
      const seen: string[] = [];
      const server = await startServer({
        onRequest(req, res) {
          void readBody(req).then((body) => {
            seen.push(`${req.url} ${body.toString('latin1')}`);
            reply(res, req.url);
          });
        },
      });
      const client = await server.connect();
      client.write('POST /chunked HTTP/1.1\r\nhost: test\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n');
      await delay(30);
      client.write(`6\r\n world\r\n0\r\nx-trailer: t\r\n\r\n${get('/after')}`);
      await client.receive(okBytes('/chunked').length + okBytes('/after').length);
      expect(seen).toEqual(['/chunked hello world', '/after ']);
      expect(server.requests[0]?.headers).toEqual({ host: 'test', 'transfer-encoding': 'chunked' });
      expect(server.requests[1]?.rawHeaders).toEqual(['host', 'test']);
      expect(client.received).toBe(okBytes('/chunked') + okBytes('/after'));
    });
  });

  describe('response framing', () => {
    it('writes a content-length body as exactly those bytes', async () => {
      const server = await startServer({
        onRequest(_req, res) {
          res.writeHead(201, { 'content-length': '5', date: DATE, 'x-a': 'b' });
          res.end('hello');
        },
      });
      const client = await server.connect();
      client.write(get('/'));
      const expected = `HTTP/1.1 201 Created\r\ncontent-length: 5\r\ndate: ${DATE}\r\nx-a: b\r\n\r\nhello`;
      expect(await client.receive(expected.length)).toBe(expected);
    });

    it('chunks a body without content-length for HTTP/1.1 and ends it with the trailers', async () => {
      const big = 'x'.repeat(5000);
      const server = await startServer({
        onRequest(_req, res) {
          res.writeHead(200, { date: DATE, trailer: 'x-checksum' });
          res.write(Buffer.from('hello '));
          res.write(Buffer.from(big));
          res.addTrailers({ 'x-checksum': 'abc', 'x-bad': 'a\r\nx-injected: 1' });
          res.end('world');
        },
      });
      const client = await server.connect();
      client.write(get('/'));
      const expected =
        `HTTP/1.1 200 OK\r\ndate: ${DATE}\r\ntrailer: x-checksum\r\ntransfer-encoding: chunked\r\n\r\n` +
        `6\r\nhello \r\n1388\r\n${big}\r\n5\r\nworld\r\n0\r\nx-checksum: abc\r\n\r\n`;
      expect(await client.receive(expected.length)).toBe(expected);
      expect(client.closed).toBe(false);
    });

    it('answers an HTTP/1.0 request without chunking, with connection: close, and closes after the body', async () => {
      const server = await startServer({
        onRequest(_req, res) {
          res.writeHead(200, { date: DATE });
          res.write(Buffer.from('abc'));
          res.end('def');
        },
      });
      const client = await server.connect();
      client.write('GET /old HTTP/1.0\r\nhost: test\r\n\r\n');
      await client.waitForClose();
      expect(server.requests[0]?.httpVersion).toBe('1.0');
      expect(client.received).toBe(`HTTP/1.1 200 OK\r\ndate: ${DATE}\r\nconnection: close\r\n\r\nabcdef`);
    });

    it('keeps an HTTP/1.0 keep-alive connection open with connection: keep-alive when the length is known', async () => {
      const server = await startServer();
      const client = await server.connect();
      client.write('GET /a HTTP/1.0\r\nhost: test\r\nconnection: keep-alive\r\n\r\n');
      await client.receive(okBytes('/a', 'connection: keep-alive\r\n').length);
      client.write('GET /b HTTP/1.0\r\nhost: test\r\n\r\n');
      await client.waitForClose();
      expect(client.received).toBe(okBytes('/a', 'connection: keep-alive\r\n') + okBytes('/b', 'connection: close\r\n'));
    });

    it('writes only the head for HEAD and keeps the connection', async () => {
      const server = await startServer({
        onRequest(req, res) {
          if (req.method === 'HEAD') reply(res, 'hello');
          else reply(res, req.url);
        },
      });
      const client = await server.connect();
      client.write('HEAD /h HTTP/1.1\r\nhost: test\r\n\r\n');
      const head = `HTTP/1.1 200 OK\r\ncontent-length: 5\r\ndate: ${DATE}\r\n\r\n`;
      await client.receive(head.length);
      client.write(get('/next'));
      expect(await client.receive(head.length + okBytes('/next').length)).toBe(head + okBytes('/next'));
      expect(client.closed).toBe(false);
    });

    it('writes no body for a 204 even when the handler gives one', async () => {
      const server = await startServer({
        onRequest(req, res) {
          if (req.url !== '/empty') return reply(res, req.url);
          res.writeHead(204, { date: DATE });
          res.end('ignored');
        },
      });
      const client = await server.connect();
      client.write(get('/empty'));
      const head = `HTTP/1.1 204 No Content\r\ndate: ${DATE}\r\n\r\n`;
      await client.receive(head.length);
      client.write(get('/next'));
      expect(await client.receive(head.length + okBytes('/next').length)).toBe(head + okBytes('/next'));
    });

    it('adds one current date when the handler gives none and keeps the handler\'s own', async () => {
      const server = await startServer({
        onRequest(req, res) {
          if (req.url === '/own') reply(res, 'own');
          else {
            res.writeHead(200, { 'content-length': '4' });
            res.end('none');
          }
        },
      });
      const client = await server.connect();
      const before = Math.floor(Date.now() / 1000) * 1000;
      client.write(get('/none'));
      await client.waitForText('none');
      const after = Date.now();
      const dates = [...client.received.matchAll(/^date: (.*)\r$/gim)].map((m) => m[1] ?? '');
      expect(dates).toHaveLength(1);
      expect(dates[0]).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/);
      const when = Date.parse(dates[0] ?? '');
      expect(when).toBeGreaterThanOrEqual(before);
      expect(when).toBeLessThanOrEqual(after);
      client.received = '';
      client.write(get('/own'));
      expect(await client.receive(okBytes('own').length)).toBe(okBytes('own'));
      expect(client.received.match(/^date:/gim)).toHaveLength(1);
    });

    it('drops header values with CR, LF or NUL and names that are not tokens, so nothing is injected', async () => {
      const server = await startServer({
        onRequest(_req, res) {
          res.writeHead(200, {
            'content-length': '2',
            date: DATE,
            'x-good': 'yes',
            'x-bad': 'a\r\nx-injected: 1',
            'x-lf': 'a\nx-injected: 2',
            'x-nul': 'a\0b',
            'bad name': 'v',
            'x-list': ['ok', 'no\r\nx-injected: 3'],
          });
          res.end('ok');
        },
      });
      const client = await server.connect();
      client.write(get('/'));
      const expected = `HTTP/1.1 200 OK\r\ncontent-length: 2\r\ndate: ${DATE}\r\nx-good: yes\r\nx-list: ok\r\n\r\nok`;
      expect(await client.receive(expected.length)).toBe(expected);
      expect(client.received).not.toContain('x-injected');
    });
  });

  describe('keep-alive', () => {
    it('serves two sequential requests on one connection', async () => {
      const ports: number[] = [];
      const server = await startServer({
        onRequest(req, res) {
          ports.push(req.socket.remotePort ?? 0);
          reply(res, req.url);
        },
      });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      cleanup.push(() => agent.destroy());
      const first = await httpGet(server.port, '/one', agent);
      const second = await httpGet(server.port, '/two', agent);
      expect([first.status, first.body, second.status, second.body]).toEqual([200, '/one', 200, '/two']);
      expect(first.headers.connection).toBeUndefined();
      expect(ports).toHaveLength(2);
      expect(ports[1]).toBe(ports[0]);
      expect(server.codec.connectionCount).toBe(1);
    });

    it('answers a connection: close request with connection: close and closes the connection', async () => {
      const server = await startServer();
      const client = await server.connect();
      client.write(get('/bye', 'connection: close\r\n'));
      await client.waitForClose();
      expect(client.received).toBe(okBytes('/bye', 'connection: close\r\n'));
      await until(() => server.codec.connectionCount === 0, () => 'the codec to forget the connection');
    });

    it('closes a connection whose client keeps it half-open after the delayed close timeout', async () => {
      // Envoy's delayed_close_timeout (1 s): after its FIN the server waits that long for the client's.
      const server = await startServer();
      const client = await server.connect({ allowHalfOpen: true });
      client.write(get('/bye', 'connection: close\r\n'));
      await client.waitForEnd();
      expect(server.codec.connectionCount).toBe(1);
      const elapsed = await until(() => server.codec.connectionCount === 0, () => 'the server to close the connection');
      expect(elapsed).toBeGreaterThanOrEqual(800);
      expect(client.received).toBe(okBytes('/bye', 'connection: close\r\n'));
      expect(server.codec.counters.downstream_cx_delayed_close_timeout).toBe(1);
    });
  });

  it('dispatches a pipelined request only after the response before it ended, and answers in order', async () => {
    const events: string[] = [];
    const server = await startServer({
      onRequest(req, res) {
        events.push(`start ${req.url}`);
        const delayMs = req.url === '/slow' ? 100 : 0;
        setTimeout(() => {
          events.push(`end ${req.url}`);
          reply(res, req.url);
        }, delayMs);
      },
    });
    const client = await server.connect();
    client.write(get('/slow') + get('/fast'));
    const expected = okBytes('/slow') + okBytes('/fast');
    expect(await client.receive(expected.length)).toBe(expected);
    expect(events).toEqual(['start /slow', 'end /slow', 'start /fast', 'end /fast']);
  });

  it('answers Expect: 100-continue with 100 Continue before the final response and the body stays readable', async () => {
    const server = await startServer({
      onRequest(req, res) {
        void readBody(req).then((body) => reply(res, body.toString('latin1')));
      },
    });
    const client = await server.connect();
    client.write('POST /upload HTTP/1.1\r\nhost: test\r\nexpect: 100-continue\r\ncontent-length: 7\r\n\r\n');
    await client.waitForText('\r\n\r\n');
    expect(client.received).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    client.write('payload');
    const expected = `HTTP/1.1 100 Continue\r\n\r\n${okBytes('payload')}`;
    expect(await client.receive(expected.length)).toBe(expected);
  });

  it('stops reading the socket while the request body waits unread', async () => {
    const size = 4 * MIB;
    const server = await startServer({ onRequest: () => undefined });
    const client = await server.connect();
    client.write(`POST /big HTTP/1.1\r\nhost: test\r\ncontent-length: ${size}\r\n\r\n`);
    client.write(Buffer.alloc(size, 0x61));
    await until(() => server.requests.length === 1, () => 'the request');
    const req = server.requests[0] as Http1ServerRequest;
    let maxRead = 0;
    const start = performance.now();
    while (performance.now() - start < 300) {
      maxRead = Math.max(maxRead, req.socket.bytesRead);
      await delay(20);
    }
    expect(maxRead).toBeGreaterThan(0);
    expect(maxRead).toBeLessThan(MIB);
    const body = await readBody(req);
    expect(body.length).toBe(size);
    expect(req.socket.bytesRead).toBeGreaterThan(size);
  });

  it('closes the connection after a response that ended before its request, dropping the rest of the request', async () => {
    // Envoy: a response begun before the request is complete says `connection: close` on HTTP/1.1 (it does not wait).
    const server = await startServer();
    const client = await server.connect({ allowHalfOpen: true });
    client.write(`POST /early HTTP/1.1\r\nhost: test\r\ncontent-length: 100000\r\n\r\n${'x'.repeat(1000)}`);
    await client.waitForEnd();
    expect(client.received).toBe(okBytes('/early', 'connection: close\r\n'));
    // The rest of the body and a request behind it still arrive: they are read and dropped, never dispatched.
    client.write('x'.repeat(99_000) + get('/next'));
    await delay(100);
    expect(client.closed).toBe(false);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /early']);
    client.socket.end();
    await client.waitForClose();
    expect(client.received).toBe(okBytes('/early', 'connection: close\r\n'));
  });

  describe('parse errors', () => {
    const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n';

    it('reports bytes that are not HTTP/1.1 to onClientError with an HPE_ code and dispatches nothing', async () => {
      const server = await startServer();
      const client = await server.connect();
      client.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x0d, 0x0a, 0x0d, 0x0a]));
      await client.waitForClose();
      expect(server.clientErrors.map((e) => e.code)).toEqual([expect.stringMatching(/^HPE_/)]);
      expect(server.requests).toHaveLength(0);
      expect(client.received).toBe(BAD_REQUEST);
    });

    it('rejects Content-Length with Transfer-Encoding and never dispatches the smuggled request', async () => {
      const server = await startServer();
      const client = await server.connect();
      client.write(`POST / HTTP/1.1\r\nhost: test\r\ncontent-length: 6\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n${get('/smuggled')}`);
      await client.waitForClose();
      expect(server.clientErrors.map((e) => e.code)).toEqual([expect.stringMatching(/^HPE_/)]);
      expect(server.requests.map((r) => r.url)).not.toContain('/smuggled');
      expect(server.requests).toHaveLength(0);
      expect(client.received).toBe(BAD_REQUEST);
    });

    it('reports a head larger than maxHeaderBytes as HPE_HEADER_OVERFLOW', async () => {
      const server = await startServer({ options: { maxHeaderBytes: 1024 } });
      const client = await server.connect();
      client.write(get('/', `x-big: ${'a'.repeat(2048)}\r\n`));
      await client.waitForClose();
      expect(server.clientErrors.map((e) => e.code)).toEqual(['HPE_HEADER_OVERFLOW']);
      expect(server.requests).toHaveLength(0);
      expect(client.received).toBe(BAD_REQUEST);
    });
  });

  describe('headersTimeoutMs', () => {
    it('reports a head still incomplete after the timeout as ERR_HTTP_REQUEST_TIMEOUT', async () => {
      const server = await startServer({ options: { headersTimeoutMs: 200 } });
      const client = await server.connect();
      client.write('GET /slow HTTP/1.1\r\nhost: te');
      const elapsed = await until(() => server.clientErrors.length > 0, () => 'the client error', 2000);
      expect(elapsed).toBeGreaterThanOrEqual(150);
      expect(server.clientErrors.map((e) => e.code)).toEqual(['ERR_HTTP_REQUEST_TIMEOUT']);
      await client.waitForClose();
      expect(server.requests).toHaveLength(0);
    });

    it('does not affect a complete request answered after longer than the timeout', async () => {
      const server = await startServer({
        options: { headersTimeoutMs: 200 },
        onRequest(req, res) {
          setTimeout(() => reply(res, req.url), 400);
        },
      });
      const client = await server.connect();
      client.write(get('/patient'));
      expect(await client.receive(okBytes('/patient').length)).toBe(okBytes('/patient'));
      await delay(300);
      expect(server.clientErrors).toHaveLength(0);
      expect(client.closed).toBe(false);
    });
  });

  describe('idleTimeoutMs', () => {
    it('closes a keep-alive connection idle for the timeout and counts it', async () => {
      const server = await startServer({ options: { idleTimeoutMs: 200 } });
      const client = await server.connect();
      client.write(get('/'));
      await client.receive(okBytes('/').length);
      const elapsed = await client.waitForClose(1000);
      expect(elapsed).toBeGreaterThanOrEqual(100);
      expect(server.codec.counters.downstream_cx_idle_timeout).toBe(1);
      expect(client.received).toBe(okBytes('/'));
    });

    it('does not close a connection while its response is under way', async () => {
      const server = await startServer({
        options: { idleTimeoutMs: 200 },
        onRequest(req, res) {
          setTimeout(() => reply(res, req.url), 400);
        },
      });
      const client = await server.connect();
      client.write(get('/busy'));
      expect(await client.receive(okBytes('/busy').length)).toBe(okBytes('/busy'));
      expect(client.closed).toBe(false);
      expect(server.codec.counters.downstream_cx_idle_timeout).toBe(0);
    });
  });

  describe('close()', () => {
    it('closes an idle connection at once', async () => {
      const server = await startServer();
      const client = await server.connect();
      client.write(get('/'));
      await client.receive(okBytes('/').length);
      server.codec.close();
      expect(await client.waitForClose(500)).toBeLessThan(500);
      expect(client.received).toBe(okBytes('/'));
    });

    it('lets a busy connection finish its response with connection: close, then closes it', async () => {
      const pending: (() => void)[] = [];
      const server = await startServer({
        onRequest(req, res) {
          pending.push(() => reply(res, req.url));
        },
      });
      const client = await server.connect();
      client.write(get('/busy'));
      await until(() => pending.length === 1, () => 'the request');
      server.codec.close();
      await delay(50);
      expect(client.closed).toBe(false);
      pending[0]?.();
      await client.waitForClose();
      expect(client.received).toBe(okBytes('/busy', 'connection: close\r\n'));
    });
  });

  describe('drainClose()', () => {
    it('adds connection: close to the next response when the decision says so', async () => {
      const server = await startServer();
      server.codec.drainClose(() => true);
      const client = await server.connect();
      client.write(get('/drain'));
      await client.waitForClose();
      expect(client.received).toBe(okBytes('/drain', 'connection: close\r\n'));
      expect(server.codec.counters.downstream_cx_drain_close).toBe(1);
    });

    it('keeps the connection when the decision says no', async () => {
      let asked = 0;
      const server = await startServer();
      server.codec.drainClose(() => {
        asked++;
        return false;
      });
      const client = await server.connect();
      client.write(get('/a'));
      await client.receive(okBytes('/a').length);
      client.write(get('/b'));
      expect(await client.receive(okBytes('/a').length + okBytes('/b').length)).toBe(okBytes('/a') + okBytes('/b'));
      expect(asked).toBe(2);
      expect(client.closed).toBe(false);
      expect(server.codec.counters.downstream_cx_drain_close).toBe(0);
    });
  });

  it('emits close on a pending response, unfinished and destroyed, when the client goes away', async () => {
    const closes: string[] = [];
    const server = await startServer({
      onRequest(_req, res) {
        res.on('close', function (this: Http1ServerResponse) {
          closes.push(`writableFinished=${this.writableFinished} destroyed=${this.destroyed}`);
        });
      },
    });
    const client = await server.connect();
    client.write(get('/pending'));
    await until(() => server.requests.length === 1, () => 'the request');
    client.socket.destroy();
    await until(() => closes.length > 0, () => 'the response close');
    expect(closes).toEqual(['writableFinished=false destroyed=true']);
    await until(() => server.codec.connectionCount === 0, () => 'the codec to forget the connection');
  });

  it('hands an upgrade to onUpgrade with exactly the bytes after the head, and the handler owns the socket', async () => {
    const heads: string[] = [];
    const server = await startServer({
      onUpgrade(req, res, socket, head) {
        heads.push(`${req.method} ${req.url} ${String(req.headers['upgrade'])} ${head.toString('latin1')}`);
        res.writeHead(101, { connection: 'Upgrade', upgrade: 'websocket', date: DATE });
        res.flushHeaders();
        socket.write(head);
        socket.on('data', (chunk: Buffer) => socket.write(chunk));
        socket.on('end', () => socket.end());
        socket.resume();
      },
    });
    const client = await server.connect();
    client.write(`${get('/ws', 'connection: Upgrade\r\nupgrade: websocket\r\n')}EXTRA-BYTES`);
    const switching = `HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: websocket\r\ndate: ${DATE}\r\n\r\n`;
    await client.receive(switching.length + 'EXTRA-BYTES'.length);
    client.write('ping');
    expect(await client.receive(switching.length + 'EXTRA-BYTESping'.length)).toBe(`${switching}EXTRA-BYTESping`);
    expect(heads).toEqual(['GET /ws websocket EXTRA-BYTES']);
    expect(server.requests).toHaveLength(0);
    expect(server.codec.connectionCount).toBe(0);
  });

  it('parses the bytes handed to handle() before what follows on the socket', async () => {
    let sniffed = false;
    const server = await startServer({
      // As the codec sniffer does: read the first bytes, pause, hand them over.
      accept(socket, codec) {
        socket.once('data', (chunk: Buffer) => {
          socket.pause();
          sniffed = true;
          codec.handle(socket, chunk);
        });
      },
    });
    const client = await server.connect();
    client.write(`${get('/a')}GET /b HT`);
    await until(() => sniffed, () => 'the first bytes to be read');
    client.write('TP/1.1\r\nhost: test\r\n\r\n');
    const expected = okBytes('/a') + okBytes('/b');
    expect(await client.receive(expected.length)).toBe(expected);
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b']);
  });

  it('returns false from write() while the client does not read and emits drain once it reads', async () => {
    // 64 KiB chunks up to 16 MiB: loopback buffers in the kernel take a few MiB before writes stall.
    const chunk = Buffer.alloc(64 * KIB, 0x62);
    const total = 256;
    const size = chunk.length * total;
    const trace = { written: 0, falses: 0, drains: 0, waiting: false };
    const server = await startServer({
      onRequest(_req, res) {
        res.writeHead(200, { 'content-length': String(size), date: DATE });
        const pump = (): void => {
          while (trace.written < total) {
            trace.written++;
            if (!res.write(chunk)) {
              trace.falses++;
              trace.waiting = true;
              res.once('drain', () => {
                trace.drains++;
                trace.waiting = false;
                pump();
              });
              return;
            }
          }
          res.end();
        };
        pump();
      },
    });
    const client = await server.connect();
    client.socket.pause();
    client.write(get('/big'));
    // Stalled: waiting for drain with no progress for 150 ms.
    let last = -1;
    let since = performance.now();
    await until(
      () => {
        if (trace.written !== last || !trace.waiting) {
          last = trace.written;
          since = performance.now();
          return false;
        }
        return performance.now() - since >= 150;
      },
      () => `the writes to stall (wrote ${trace.written} of ${total} chunks)`,
      10_000,
    );
    expect(trace.written).toBeLessThan(total);
    expect(trace.falses).toBeGreaterThan(0);
    const drainsBefore = trace.drains;
    const stalledAt = trace.written;
    client.socket.resume();
    const head = `HTTP/1.1 200 OK\r\ncontent-length: ${size}\r\ndate: ${DATE}\r\n\r\n`;
    const received = await client.receive(head.length + size, 10_000);
    expect(trace.drains).toBeGreaterThan(drainsBefore);
    expect(trace.written).toBe(total);
    expect(stalledAt).toBeLessThan(total);
    expect(received.length).toBe(head.length + size);
    expect(received.startsWith(head)).toBe(true);
    expect(received.slice(head.length)).toBe('b'.repeat(size));
  });
});
