import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamRequest, type UpstreamRequestCallbacks } from '../../src/http/upstream-request.js';
import { classifyUpstreamError } from '../../src/http/upstream-failure.js';
import { blackholePort, cleanup, header, httpUpstream, nativePool, rawUpstream, Recorder, runCleanup, send, until } from './http1-pool-helpers.js';

afterEach(runCleanup);

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

async function* chunks(parts: readonly string[]): AsyncIterable<Buffer> {
  for (const p of parts) {
    await new Promise((r) => setImmediate(r));
    yield Buffer.from(p);
  }
}

function reason(err: unknown): string {
  return classifyUpstreamError(err as Error & { code?: string });
}

describe('Http1ConnectionPool: connections', () => {
  it('reuses a keep-alive connection for the next request', async () => {
    const up = await httpUpstream((req, res) => res.end(`hi ${req.url}`));
    const events: string[] = [];
    const pool = nativePool(up.port, {}, { onConnect: (l) => events.push(`connect ${l}`), onDisconnect: (l) => events.push(`disconnect ${l}`) });
    const a = await send(pool, { path: '/a' }).result;
    const b = await send(pool, { path: '/b' }).result;
    expect(a.body.toString()).toBe('hi /a');
    expect(b.body.toString()).toBe('hi /b');
    expect(up.sockets).toHaveLength(1);
    expect(a.connectionId).toBeGreaterThan(0);
    expect(b.connectionId).toBe(a.connectionId);
    expect(events).toEqual([`connect 127.0.0.1:${up.port}`]);
    await pool.close();
    expect(events).toEqual([`connect 127.0.0.1:${up.port}`, `disconnect 127.0.0.1:${up.port}`]);
  });

  it('sends the request head as given: repeated values as repeated lines, host and keep-alive added', async () => {
    let head = '';
    const up = await rawUpstream((socket, data) => {
      head += data;
      socket.write(OK);
    });
    const pool = nativePool(up.port);
    await send(pool, { path: '/p?q=1', headers: { 'x-a': ['1', '2'], 'X-Mixed': 'v' } }).result;
    expect(head).toBe(`GET /p?q=1 HTTP/1.1\r\nx-a: 1\r\nx-a: 2\r\nX-Mixed: v\r\nhost: 127.0.0.1:${up.port}\r\nconnection: keep-alive\r\n\r\n`);
  });

  it('refuses CR, LF or NUL in header names and values without writing anything', async () => {
    const seen: string[] = [];
    const up = await rawUpstream((socket, data) => {
      seen.push(data);
      socket.write(OK);
    });
    const pool = nativePool(up.port);
    for (const headers of [{ 'x-a': 'v\r\nx-injected: 1' }, { 'x-a': ['ok', 'v\nx'] }, { 'x-a\r\nx-b': 'v' }, { 'x-a': 'v\0' }, { connection: 'upgrade' }, { 'transfer-encoding': 'chunked' }]) {
      const err = await send(pool, { headers }).result.then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
      expect(err?.code).toBe('UND_ERR_INVALID_ARG');
    }
    expect((await send(pool, { headers: { 'x-a': 'fine\tvalue' } }).result).status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain('injected');
  });

  it('keeps at most maxConnectionsPerHost connections and serves waiting requests in order', async () => {
    const order: string[] = [];
    const held: (() => void)[] = [];
    const up = await httpUpstream((req, res) => {
      order.push(req.url ?? '');
      held.push(() => res.end(req.url));
    });
    const pool = nativePool(up.port, { maxConnectionsPerHost: 2 });
    const rs = ['/1', '/2', '/3', '/4', '/5'].map((path) => send(pool, { path }));
    await until(() => held.length === 2);
    expect(pool.queued).toBe(3);
    for (let i = 0; i < 5; i++) {
      await until(() => held.length > 0);
      held.shift()?.();
      await new Promise((r) => setTimeout(r, 10));
    }
    const bodies = await Promise.all(rs.map(async (r) => (await r.result).body.toString()));
    expect(bodies).toEqual(['/1', '/2', '/3', '/4', '/5']);
    expect(order).toEqual(['/1', '/2', '/3', '/4', '/5']);
    expect(up.sockets).toHaveLength(2);
    expect(pool.connections).toBe(2);
  });

  it('never sends a request aborted while it waited for a connection', async () => {
    const seen: string[] = [];
    let release: (() => void) | undefined;
    const up = await httpUpstream((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/slow') release = () => res.end('slow');
      else res.end('fast');
    });
    const pool = nativePool(up.port, { maxConnectionsPerHost: 1 });
    const slow = send(pool, { path: '/slow' });
    await until(() => release !== undefined);
    // An UpstreamRequest aborted while queued, as the router does when the downstream leaves.
    const errors: string[] = [];
    const callbacks: UpstreamRequestCallbacks = {
      onUpstreamHeaders: () => true,
      onUpstreamData: () => true,
      onUpstreamComplete: () => errors.push('completed'),
      onUpstreamError: (r) => errors.push(r),
      onUpstreamStart: () => errors.push('started'),
    };
    const queued = new UpstreamRequest(callbacks);
    queued.start(pool as never, { method: 'GET', path: '/aborted', headers: {}, body: null } as never);
    const after = send(pool, { path: '/after' });
    queued.abort(new Error('downstream left'));
    release?.();
    expect((await slow.result).body.toString()).toBe('slow');
    expect((await after.result).body.toString()).toBe('fast');
    expect(seen).toEqual(['/slow', '/after']);
    expect(errors).toEqual([]);
    expect(up.sockets).toHaveLength(1);
  });

  it('destroys the connection of a request aborted in flight, and does not reuse it', async () => {
    const up = await httpUpstream((req, res) => {
      if (req.url === '/hang') return;
      res.end('ok');
    });
    const pool = nativePool(up.port);
    const hang = send(pool, { path: '/hang' });
    await until(() => up.sockets.length === 1 && hang.connected);
    const closed = new Promise<void>((r) => up.sockets[0]?.once('close', () => r()));
    hang.abortFn?.(new Error('route timeout'));
    await expect(hang.result).rejects.toThrow('route timeout');
    await closed;
    const next = await send(pool, { path: '/next' }).result;
    expect(next.body.toString()).toBe('ok');
    expect(up.sockets).toHaveLength(2);
  });

  it('does not use an idle connection the upstream closed', async () => {
    const up = await rawUpstream((socket) => {
      socket.write(OK);
      setTimeout(() => socket.end(), 10);
    });
    const pool = nativePool(up.port);
    const a = await send(pool).result;
    await until(() => pool.connections === 0);
    const b = await send(pool).result;
    expect(b.status).toBe(200);
    expect(b.connectionId).not.toBe(a.connectionId);
  });

  it('sends a body-less idempotent request again when a reused connection closes before answering it', async () => {
    const up = await rawUpstream((socket, _data, index) => {
      // The first connection answers once, then drops the second request unanswered (as a server closing an
      // idle keep-alive connection at that moment does).
      const served = ((socket as Socket & { served?: number }).served ?? 0) + 1;
      (socket as Socket & { served?: number }).served = served;
      if (index === 0 && served === 2) socket.destroy();
      else socket.write(OK);
    });
    const pool = nativePool(up.port);
    const a = await send(pool).result;
    const b = await send(pool, { path: '/again' }).result;
    expect(b.status).toBe(200);
    expect(b.connectionId).not.toBe(a.connectionId);
    expect(up.sockets).toHaveLength(2);
    // A POST is not sent twice: it fails as a connection termination.
    const c = await send(pool, { method: 'POST' }).result;
    expect(c.connectionId).toBe(b.connectionId);
    const up2 = await rawUpstream((socket, _data) => {
      const served = ((socket as Socket & { served?: number }).served ?? 0) + 1;
      (socket as Socket & { served?: number }).served = served;
      if (served === 2) socket.destroy();
      else socket.write(OK);
    });
    const pool2 = nativePool(up2.port);
    await send(pool2).result;
    const err = await send(pool2, { method: 'POST' }).result.catch((e: unknown) => e);
    expect(reason(err)).toBe('connectionTermination');
  });

  it('frees a connection whose request was aborted after it was taken but before its head went out', async () => {
    const seen: string[] = [];
    const up = await httpUpstream((req, res) => {
      seen.push(req.url ?? '');
      res.end('ok');
    });
    const pool = nativePool(up.port, { maxConnectionsPerHost: 1 });
    await send(pool, { path: '/warm' }).result;
    const aborted = send(pool, { path: '/aborted' });
    expect(aborted.connected).toBe(true);
    aborted.abortFn?.(new Error('gone'));
    await expect(aborted.result).rejects.toThrow('gone');
    expect((await send(pool, { path: '/next' }).result).body.toString()).toBe('ok');
    expect(seen).toEqual(['/warm', '/next']);
    expect(up.sockets).toHaveLength(1);
  });

  it('moves a request taken by an idle connection whose FIN is pending to a fresh connection, even a POST', async () => {
    const requests: number[] = [];
    const up = await rawUpstream((socket, _data, index) => {
      requests.push(index);
      socket.write(OK);
    });
    const pool = nativePool(up.port);
    const first = await send(pool).result;
    // In one timer callback: the upstream closes its idle connection (the FIN is on the wire at once), then a
    // request is dispatched before the event loop has polled that connection's EOF. Nothing is written to it:
    // the EOF is read before the check phase writes heads, so even a POST goes to a fresh connection.
    const second = await new Promise<Recorder>((resolve) => {
      setTimeout(() => {
        up.sockets[0]?.destroy();
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        resolve(send(pool, { method: 'POST' }));
      }, 1);
    });
    const r = await second.result;
    expect(r.status).toBe(200);
    expect(r.connectionId).not.toBe(first.connectionId);
    expect(requests).toEqual([0, 1]);
  });

  it('closes the connection after a response with Connection: close', async () => {
    const up = await rawUpstream((socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok'));
    const pool = nativePool(up.port);
    const a = await send(pool).result;
    const b = await send(pool).result;
    expect(a.body.toString()).toBe('ok');
    expect(b.connectionId).not.toBe(a.connectionId);
    expect(up.sockets).toHaveLength(2);
  });

  it('closes a connection idle for idleTimeoutMs', async () => {
    const up = await httpUpstream((_req, res) => res.end('ok'));
    const pool = nativePool(up.port, { idleTimeoutMs: 100 });
    await send(pool).result;
    const closed = new Promise<number>((r) => {
      const start = Date.now();
      up.sockets[0]?.once('close', () => r(Date.now() - start));
    });
    const after = await closed;
    expect(after).toBeGreaterThanOrEqual(50);
    expect(after).toBeLessThan(1000);
    await until(() => pool.connections === 0);
  });

  it('honours a shorter Keep-Alive: timeout= from the upstream', async () => {
    const up = await rawUpstream((socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nkeep-alive: timeout=1\r\n\r\nok'));
    const pool = nativePool(up.port, { idleTimeoutMs: 0 });
    await send(pool).result;
    const start = Date.now();
    await until(() => pool.connections === 0, 3000);
    expect(Date.now() - start).toBeGreaterThanOrEqual(800);
  });

  it('closes a connection after maxRequestsPerConnection requests, announcing it on the last one', async () => {
    const heads: string[] = [];
    const up = await rawUpstream((socket, data) => {
      heads.push(data);
      socket.write(OK);
    });
    const pool = nativePool(up.port, { maxRequestsPerConnection: 2 });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await send(pool).result).connectionId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);
    expect(heads.map((h) => /connection: (\S+)/.exec(h)?.[1])).toEqual(['keep-alive', 'close', 'keep-alive']);
    expect(up.sockets).toHaveLength(2);
  });

  it('connects over a Unix socket (pipe)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orion-h1-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'up.sock');
    let head = '';
    await rawUpstream((socket, data) => {
      head += data;
      socket.write(OK);
    }, path);
    const pool = nativePool({ type: 'pipe', path });
    const a = await send(pool).result;
    const b = await send(pool).result;
    expect(a.body.toString()).toBe('ok');
    expect(b.connectionId).toBe(a.connectionId);
    expect(head).toContain('host: localhost\r\n');
  });

  it('close() lets in-flight and queued requests finish; destroy() fails them as a local reset', async () => {
    const held: (() => void)[] = [];
    const up = await httpUpstream((req, res) => held.push(() => res.end(req.url)));
    const pool = nativePool(up.port, { maxConnectionsPerHost: 1 });
    const a = send(pool, { path: '/a' });
    const b = send(pool, { path: '/b' });
    await until(() => held.length === 1);
    const closed = pool.close();
    const late = await send(pool).result.catch((e: unknown) => e);
    expect(reason(late)).toBe('localReset');
    held.shift()?.();
    await until(() => held.length === 1);
    held.shift()?.();
    expect((await a.result).body.toString()).toBe('/a');
    expect((await b.result).body.toString()).toBe('/b');
    await closed;
    expect(pool.connections).toBe(0);

    const pool2 = nativePool(up.port, { maxConnectionsPerHost: 1 });
    const c = send(pool2, { path: '/c' });
    const d = send(pool2, { path: '/d' });
    await until(() => held.length === 1);
    await pool2.destroy();
    expect(reason(await c.result.catch((e: unknown) => e))).toBe('localReset');
    expect(reason(await d.result.catch((e: unknown) => e))).toBe('localReset');
  });
});

describe('Http1ConnectionPool: connect failures', () => {
  it('reports a refused connection (UF) to the oldest waiting request and the events', async () => {
    const up = await httpUpstream(() => undefined);
    const port = up.port;
    await runCleanup();
    const errors: string[] = [];
    const pool = nativePool(port, {}, { onConnectError: (_l, err) => errors.push(err.code ?? '') });
    const err = await send(pool).result.catch((e: unknown) => e as Error & { code?: string });
    expect(err).toMatchObject({ code: 'ECONNREFUSED' });
    expect(reason(err)).toBe('connectionFailure');
    expect(errors).toEqual(['ECONNREFUSED']);
  });

  it('times a connect out after connectTimeoutMs (UF, connection timeout)', async () => {
    const port = await blackholePort();
    const errors: string[] = [];
    const pool = nativePool(port, { connectTimeoutMs: 150 }, { onConnectError: (_l, err) => errors.push(err.code ?? '') });
    const start = Date.now();
    const r = send(pool);
    const err = await r.result.catch((e: unknown) => e as Error & { code?: string });
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    expect(err).toMatchObject({ code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(reason(err)).toBe('connectionTimeout');
    expect(errors).toEqual(['UND_ERR_CONNECT_TIMEOUT']);
    // onConnect was never called: a reset before the request.
    expect(r.connected).toBe(false);
  });
});

describe('Http1ConnectionPool: request bodies', () => {
  it('sends a body with its content-length, and chunked without one', async () => {
    const seen: { te: string | undefined; cl: string | undefined; body: string }[] = [];
    const up = await httpUpstream((req, res) => {
      let body = '';
      req.setEncoding('latin1');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        seen.push({ te: req.headers['transfer-encoding'], cl: req.headers['content-length'], body });
        res.end('done');
      });
    });
    const pool = nativePool(up.port);
    await send(pool, { method: 'POST', headers: { 'content-length': '11' }, body: chunks(['hello', ' ', 'world']) }).result;
    await send(pool, { method: 'PUT', body: chunks(['a', '', 'bc']) }).result;
    await send(pool, { method: 'POST' }).result;
    expect(seen).toEqual([
      { te: undefined, cl: '11', body: 'hello world' },
      { te: 'chunked', cl: undefined, body: 'abc' },
      { te: undefined, cl: '0', body: '' },
    ]);
  });

  it('fails a body that does not match its content-length, and does not reuse the connection', async () => {
    const up = await httpUpstream((req, res) => {
      req.resume();
      req.on('end', () => res.end('done'));
    });
    const pool = nativePool(up.port);
    const err = await send(pool, { method: 'POST', headers: { 'content-length': '3' }, body: chunks(['abcd']) }).result.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH' });
    await until(() => pool.connections === 0);
  });

  it('waits for the upstream to read the body before pulling more (backpressure)', async () => {
    let paused: (() => void) | undefined;
    let receivedBytes = 0;
    const up = await httpUpstream((req, res) => {
      req.pause();
      paused = () => {
        req.on('data', (d: Buffer) => (receivedBytes += d.length));
        req.on('end', () => res.end('done'));
        req.resume();
      };
    });
    const pool = nativePool(up.port);
    let pulled = 0;
    const total = 64 * 1024 * 1024;
    async function* big(): AsyncIterable<Buffer> {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      while (pulled < total) {
        pulled += chunk.length;
        yield chunk;
      }
    }
    const r = send(pool, { method: 'POST', headers: { 'content-length': String(total) }, body: big() });
    await until(() => paused !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pulled).toBeLessThan(total / 2);
    paused?.();
    expect((await r.result).body.toString()).toBe('done');
    expect(receivedBytes).toBe(total);
  }, 30_000);
});

describe('Http1ConnectionPool: responses', () => {
  it('reads content-length, chunked and read-until-close bodies', async () => {
    const up = await rawUpstream((socket, data) => {
      if (data.startsWith('GET /cl')) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello');
      else if (data.startsWith('GET /chunked')) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
      else socket.end('HTTP/1.1 200 OK\r\n\r\nuntil close');
    });
    const pool = nativePool(up.port);
    const cl = await send(pool, { path: '/cl' }).result;
    const chunked = await send(pool, { path: '/chunked' }).result;
    const eof = await send(pool, { path: '/eof' }).result;
    expect(cl.body.toString()).toBe('hello');
    expect(chunked.body.toString()).toBe('abcde');
    expect(chunked.connectionId).toBe(cl.connectionId);
    expect(eof.body.toString()).toBe('until close');
    await until(() => pool.connections === 0);
  });

  it('stops reading while the handler applies backpressure, until resume()', async () => {
    const total = 8 * 1024 * 1024;
    const up = await rawUpstream((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${total}\r\n\r\n`);
      socket.write(Buffer.alloc(total, 0x62));
    });
    const pool = nativePool(up.port);
    const r = new Recorder();
    r.pauseChunks = 1;
    send(pool, {}, r);
    await until(() => r.chunks.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // One read's worth at most arrives after the handler said stop.
    expect(r.received).toBeLessThan(1024 * 1024);
    r.resumeFn?.();
    const done = await r.result;
    expect(done.body.length).toBe(total);
  }, 30_000);

  it('skips 1xx responses and delivers trailers', async () => {
    const up = await rawUpstream((socket) =>
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nx-checksum: abc\r\nx-other: 1\r\n\r\n'),
    );
    const pool = nativePool(up.port);
    const r = await send(pool).result;
    expect(r.status).toBe(200);
    expect(header(r.headers, 'link')).toBeUndefined();
    expect(r.body.toString()).toBe('hi');
    expect(r.trailers).toEqual(['x-checksum', 'abc', 'x-other', '1']);
    expect((await send(pool).result).connectionId).toBe(r.connectionId);
  });

  it('reads HEAD, 204 and 304 responses without a body and keeps the connection', async () => {
    const up = await rawUpstream((socket, data) => {
      if (data.startsWith('HEAD')) socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n');
      else if (data.startsWith('GET /204')) socket.write('HTTP/1.1 204 No Content\r\n\r\n');
      else if (data.startsWith('GET /304')) socket.write('HTTP/1.1 304 Not Modified\r\ncontent-length: 50\r\n\r\n');
      else socket.write(OK);
    });
    const pool = nativePool(up.port);
    const head = await send(pool, { method: 'HEAD' }).result;
    const nc = await send(pool, { path: '/204' }).result;
    const nm = await send(pool, { path: '/304' }).result;
    const ok = await send(pool).result;
    expect([head.status, head.body.length, header(head.headers, 'content-length')]).toEqual([200, 0, '100']);
    expect([nc.status, nc.body.length]).toEqual([204, 0]);
    expect([nm.status, nm.body.length]).toEqual([304, 0]);
    expect(ok.body.toString()).toBe('ok');
    expect(new Set([head.connectionId, nc.connectionId, nm.connectionId, ok.connectionId]).size).toBe(1);
  });

  it('reports an upstream that closes before responding or mid-response as a connection termination (UC)', async () => {
    const up = await rawUpstream((socket, data) => {
      if (data.startsWith('GET /mid')) socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
      else socket.destroy();
    });
    const pool = nativePool(up.port);
    const before = send(pool, { path: '/before' });
    const beforeErr = await before.result.catch((e: unknown) => e);
    expect(reason(beforeErr)).toBe('connectionTermination');
    expect(before.status).toBe(0);
    const mid = send(pool, { path: '/mid' });
    const midErr = await mid.result.catch((e: unknown) => e);
    expect(reason(midErr)).toBe('connectionTermination');
    expect(mid.status).toBe(200);
    expect(Buffer.concat(mid.chunks).toString()).toBe('partial');
  });

  it('rejects malformed responses and oversized headers as protocol errors (UPE), closing the connection', async () => {
    const up = await rawUpstream((socket, data) => {
      if (data.startsWith('GET /bad')) socket.write('HTTP/1.1 abc\r\n\r\n');
      else if (data.startsWith('GET /big')) socket.write(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(4096)}\r\ncontent-length: 0\r\n\r\n`);
      else if (data.startsWith('GET /chunk')) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n');
      else socket.write(OK);
    });
    const pool = nativePool(up.port, { maxResponseHeaderBytes: 1024 });
    for (const path of ['/bad', '/big', '/chunk']) {
      const err = await send(pool, { path }).result.catch((e: unknown) => e as Error & { code?: string });
      expect(reason(err)).toBe('protocolError');
      if (path === '/big') expect(err).toMatchObject({ code: 'UND_ERR_HEADERS_OVERFLOW' });
    }
    expect((await send(pool).result).status).toBe(200);
    expect(up.sockets).toHaveLength(4);
  });

  it('treats a response nobody asked for as a protocol error and drops the connection', async () => {
    const up = await rawUpstream((socket) => {
      socket.write(OK);
      setTimeout(() => socket.write(OK), 20);
    });
    const pool = nativePool(up.port);
    await send(pool).result;
    await until(() => pool.connections === 0);
  });

  it('parses with execute() when the handle is not consumed', async () => {
    const up = await rawUpstream((socket, data) => {
      if (data.startsWith('GET /chunked')) socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-t: 1\r\n\r\n');
      else socket.write(OK);
    });
    const pool = nativePool(up.port, { consume: false });
    const a = await send(pool).result;
    const b = await send(pool, { path: '/chunked' }).result;
    expect(a.body.toString()).toBe('ok');
    expect(b.body.toString()).toBe('abc');
    expect(b.trailers).toEqual(['x-t', '1']);
    expect(b.connectionId).toBe(a.connectionId);
  });
});
