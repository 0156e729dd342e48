import { constants, createServer as createHttp2Server, type ClientHttp2Stream, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream, type Settings } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Http2ProtocolOptions } from '@orion/configuration';
import { Http2ConnectionPool, type Http2PoolSettings, type Http2StreamFailure, type Http2StreamRequester } from '../../src/transport/http2-connection-pool.js';
import { Http2PoolSet } from '../../src/transport/http2-pool-set.js';
import type { ConnectionPoolStats } from '../../src/transport/connection-pool-stats.js';
import { tcpTimer } from './http1-pool-helpers.js';

const DEFAULT_HTTP2: Http2ProtocolOptions = { hpackTableSize: 4096, maxConcurrentStreams: 2_147_483_647, initialStreamWindowSize: 268_435_456, initialConnectionWindowSize: 268_435_456 };

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

interface Upstream {
  readonly port: number;
  readonly server: Http2Server;
  /** Sessions ever accepted. */
  readonly accepted: ServerHttp2Session[];
  /** Streams waiting for an answer. */
  readonly held: ServerHttp2Stream[];
}

/** An HTTP/2 server that holds every stream until the test answers it. */
async function startUpstream(settings: Settings = {}): Promise<Upstream> {
  const server = createHttp2Server({ settings });
  const accepted: ServerHttp2Session[] = [];
  const held: ServerHttp2Stream[] = [];
  server.on('session', (s: ServerHttp2Session) => accepted.push(s));
  server.on('stream', (stream: ServerHttp2Stream) => held.push(stream));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of accepted) s.destroy();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as AddressInfo).port, server, accepted, held };
}

function pool(port: number, settings: Partial<Http2PoolSettings> = {}, events: ConstructorParameters<typeof Http2ConnectionPool>[3] = {}, stats?: ConnectionPoolStats): Http2ConnectionPool {
  const p = new Http2ConnectionPool({ type: 'socket', host: '127.0.0.1', port }, `127.0.0.1:${port}`, { connectTimeoutMs: 1000, idleTimeoutMs: 3_600_000, http2: DEFAULT_HTTP2, ...settings }, events, stats);
  cleanup.push(() => p.destroy());
  return p;
}

/** Opens a GET stream and resolves with it (or rejects with the failure reason). */
function open(p: Http2ConnectionPool, path = '/'): Promise<ClientHttp2Stream> {
  return new Promise((resolve, reject) => {
    const requester: Http2StreamRequester = {
      onStream: (stream) => {
        stream.on('error', () => undefined);
        resolve(stream);
      },
      onStreamFailure: (reason: Http2StreamFailure, err) => reject(Object.assign(new Error(`${reason}: ${err.message}`), { reason })),
    };
    p.request({ ':method': 'GET', ':path': path, ':scheme': 'http', ':authority': 'x' }, true, requester);
  });
}

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function answer(stream: ServerHttp2Stream, body = 'ok'): void {
  stream.respond({ ':status': 200 });
  stream.end(body);
}

function readAll(stream: ClientHttp2Stream): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

describe('Http2ConnectionPool', () => {
  it.each([
    [30, 2],
    [undefined, 0],
  ] as const)('turns TCP keep-alive on only with upstream_connection_options.tcp_keepalive (keepalive_time %s)', async (keepaliveS, timer) => {
    const up = await startUpstream();
    const p = pool(up.port, keepaliveS === undefined ? {} : { tcpKeepaliveTimeS: keepaliveS });
    await open(p);
    const peerPort = up.accepted[0]?.socket.remotePort ?? 0;
    expect(tcpTimer(peerPort, up.port)).toBe(timer);
  });

  it('multiplexes streams on one connection', async () => {
    const upstream = await startUpstream();
    const p = pool(upstream.port);
    const streams = await Promise.all([open(p), open(p), open(p)]);
    await until(() => upstream.held.length === 3);
    expect(upstream.accepted).toHaveLength(1);
    expect(p.connectionCount).toBe(1);
    for (const s of upstream.held) answer(s);
    expect(await Promise.all(streams.map(readAll))).toEqual(['ok', 'ok', 'ok']);
  });

  it('opens another connection when the peer\'s max_concurrent_streams is reached', async () => {
    const upstream = await startUpstream({ maxConcurrentStreams: 2 });
    const p = pool(upstream.port);
    // One exchange first, so the peer's SETTINGS are known.
    const warm = await open(p);
    await until(() => upstream.held.length === 1);
    answer(upstream.held.shift() as ServerHttp2Stream);
    await readAll(warm);
    await Promise.all([open(p), open(p), open(p)]);
    await until(() => upstream.held.length === 3);
    expect(upstream.accepted).toHaveLength(2);
    expect(upstream.accepted.map((s) => upstream.held.filter((h) => h.session === s).length)).toEqual([2, 1]);
    for (const s of upstream.held) answer(s);
  });

  it('queues streams beyond the connection limit until a stream ends', async () => {
    const upstream = await startUpstream({ maxConcurrentStreams: 1 });
    const p = pool(upstream.port, { maxConnectionsPerHost: 1 });
    const warm = await open(p);
    await until(() => upstream.held.length === 1);
    answer(upstream.held.shift() as ServerHttp2Stream);
    await readAll(warm);
    const first = await open(p);
    const second = open(p);
    await new Promise((r) => setTimeout(r, 50));
    expect(p.pendingCount).toBe(1);
    await until(() => upstream.held.length === 1);
    answer(upstream.held.shift() as ServerHttp2Stream);
    expect(await readAll(first)).toBe('ok');
    const next = await second;
    await until(() => upstream.held.length === 1);
    answer(upstream.held.shift() as ServerHttp2Stream);
    expect(await readAll(next)).toBe('ok');
    expect(upstream.accepted).toHaveLength(1);
  });

  it('applies the configured max_concurrent_streams when it is lower than the peer\'s', async () => {
    const upstream = await startUpstream();
    const p = pool(upstream.port, { http2: { ...DEFAULT_HTTP2, maxConcurrentStreams: 1 } });
    await Promise.all([open(p), open(p)]);
    await until(() => upstream.held.length === 2);
    expect(upstream.accepted).toHaveLength(2);
    for (const s of upstream.held) answer(s);
  });

  it('takes no new streams on a connection after GOAWAY, and reconnects', async () => {
    const upstream = await startUpstream();
    const p = pool(upstream.port);
    const inflight = await open(p);
    await until(() => upstream.held.length === 1);
    (upstream.accepted[0] as ServerHttp2Session).goaway(constants.NGHTTP2_NO_ERROR, 1);
    await new Promise((r) => setTimeout(r, 50));
    const next = await open(p, '/after');
    await until(() => upstream.held.length === 2);
    expect(upstream.accepted).toHaveLength(2);
    for (const s of upstream.held) answer(s);
    expect(await readAll(inflight)).toBe('ok');
    expect(await readAll(next)).toBe('ok');
  });

  it('drains a connection after max_requests_per_connection streams', async () => {
    const upstream = await startUpstream();
    const p = pool(upstream.port, { maxRequestsPerConnection: 2 });
    for (let i = 0; i < 3; i++) {
      const s = await open(p);
      await until(() => upstream.held.length === 1);
      answer(upstream.held.shift() as ServerHttp2Stream);
      await readAll(s);
    }
    expect(upstream.accepted).toHaveLength(2);
  });

  it('closes a connection idle for idle_timeout', async () => {
    const upstream = await startUpstream();
    const events: string[] = [];
    const p = pool(upstream.port, { idleTimeoutMs: 100 }, { onConnect: () => events.push('connect'), onDisconnect: () => events.push('disconnect') });
    const s = await open(p);
    await until(() => upstream.held.length === 1);
    answer(upstream.held.shift() as ServerHttp2Stream);
    await readAll(s);
    await until(() => p.connectionCount === 0, 2000);
    expect(events).toEqual(['connect', 'disconnect']);
  });

  it('fails waiting streams with connectionFailure when the host refuses the connection', async () => {
    const probe = await startUpstream();
    const port = probe.port;
    await new Promise<void>((r) => probe.server.close(() => r()));
    const errors: string[] = [];
    const p = pool(port, {}, { onConnectError: (_l, err) => errors.push(err.code ?? '') });
    await expect(open(p)).rejects.toMatchObject({ reason: 'connectionFailure' });
    expect(errors).toEqual(['ECONNREFUSED']);
  });

  it('destroys a connection whose keep-alive PING goes unanswered', async () => {
    // A peer that completes the HTTP/2 handshake and then ignores everything (PINGs included).
    const sockets: Socket[] = [];
    const silent: NetServer = createNetServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => socket.write(Buffer.from('000000040000000000000000040100000000', 'hex')));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          silent.close(() => r());
        }),
    );
    const events: string[] = [];
    const p = pool((silent.address() as AddressInfo).port, { http2: { ...DEFAULT_HTTP2, connectionKeepalive: { intervalMs: 50, timeoutMs: 100 } } }, { onConnect: () => events.push('connect'), onDisconnect: () => events.push('disconnect') });
    const stream = await open(p);
    const closed = new Promise<number | undefined>((r) => stream.on('close', () => r(stream.rstCode)));
    await until(() => events.includes('disconnect'), 3000);
    expect(events).toEqual(['connect', 'disconnect']);
    expect(await closed).not.toBe(constants.NGHTTP2_NO_ERROR);
  });

  it('counts streams waiting for a connection in stats.pending until served, cancelled or failed', async () => {
    const upstream = await startUpstream({ maxConcurrentStreams: 1 });
    const connectMs: number[] = [];
    const lengthMs: number[] = [];
    const stats: ConnectionPoolStats = {
      pending: { upstream_rq_pending_total: 0, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 },
      connectMs: { record: (v) => connectMs.push(v) },
      lengthMs: { record: (v) => lengthMs.push(v) },
    };
    const p = pool(upstream.port, { maxConnectionsPerHost: 1 }, {}, stats);
    // No connection yet: the first stream waits for it (and the exchange makes the peer's SETTINGS known).
    const warm = await open(p);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 1, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
    expect(connectMs).toHaveLength(1);
    await until(() => upstream.held.length === 1);
    answer(upstream.held.shift() as ServerHttp2Stream);
    await readAll(warm);
    // A free stream slot: no wait.
    const first = await open(p);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 1, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
    await until(() => upstream.held.length === 1);
    // The only stream slot is taken: the next two wait; one is cancelled.
    const second = open(p);
    const cancelled: Http2StreamRequester = { onStream: () => undefined, onStreamFailure: () => undefined };
    p.request({ ':method': 'GET', ':path': '/', ':scheme': 'http', ':authority': 'x' }, true, cancelled);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 3, upstream_rq_pending_active: 2, upstream_rq_pending_overflow: 0 });
    p.cancel(cancelled);
    p.cancel(cancelled);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 3, upstream_rq_pending_active: 1, upstream_rq_pending_overflow: 0 });
    answer(upstream.held.shift() as ServerHttp2Stream);
    expect(await readAll(first)).toBe('ok');
    await second;
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 3, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
    await until(() => upstream.held.length === 1);
    // One more waits, and is failed by destroy().
    const third = expect(open(p)).rejects.toMatchObject({ reason: 'connectionTermination' });
    expect(stats.pending.upstream_rq_pending_active).toBe(1);
    await p.destroy();
    await third;
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 4, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
    expect([connectMs.length, lengthMs.length]).toEqual([1, 1]);
    expect(lengthMs[0]).toBeGreaterThanOrEqual(connectMs[0] as number);
  });

  it('records a failed connection attempt in lengthMs only, and fails its waiting streams out of stats.pending', async () => {
    const probe = await startUpstream();
    const port = probe.port;
    await new Promise<void>((r) => probe.server.close(() => r()));
    const connectMs: number[] = [];
    const lengthMs: number[] = [];
    const stats: ConnectionPoolStats = {
      pending: { upstream_rq_pending_total: 0, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 },
      connectMs: { record: (v) => connectMs.push(v) },
      lengthMs: { record: (v) => lengthMs.push(v) },
    };
    const p = pool(port, {}, {}, stats);
    await Promise.all([expect(open(p)).rejects.toMatchObject({ reason: 'connectionFailure' }), expect(open(p)).rejects.toMatchObject({ reason: 'connectionFailure' })]);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 2, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
    expect([connectMs.length, lengthMs.length]).toEqual([0, 1]);
  });

  it('reports the bytes of the session socket as streams close and when it closes', async () => {
    const upstream = await startUpstream();
    const sockets: Socket[] = [];
    upstream.server.on('connection', (socket: Socket) => sockets.push(socket));
    const reports: [number, number][] = [];
    const p = pool(upstream.port, { idleTimeoutMs: 100 }, { onBytes: (_label, received, sent) => reports.push([received, sent]) });
    for (let i = 0; i < 2; i++) {
      const stream = await open(p);
      await until(() => upstream.held.length === 1);
      answer(upstream.held.shift() as ServerHttp2Stream, 'x'.repeat(1000));
      expect(await readAll(stream)).toBe('x'.repeat(1000));
      await until(() => reports.length === i + 1);
    }
    // The idle timeout closes the session; the upstream sees its socket close.
    await until(() => p.connectionCount === 0 && sockets.length === 1 && (sockets[0] as Socket).destroyed);
    const received = reports.reduce((n, r) => n + r[0], 0);
    const sent = reports.reduce((n, r) => n + r[1], 0);
    expect(received).toBeGreaterThan(2000);
    expect({ received, sent }).toEqual({ received: (sockets[0] as Socket).bytesWritten, sent: (sockets[0] as Socket).bytesRead });
  });

  it('fails new streams once closed', async () => {
    const upstream = await startUpstream();
    const p = pool(upstream.port);
    await p.close();
    await expect(open(p)).rejects.toMatchObject({ reason: 'connectionTermination' });
  });
});

describe('Http2PoolSet', () => {
  it('keeps one pool per host and closes them all', async () => {
    const a = await startUpstream();
    const b = await startUpstream();
    const set = new Http2PoolSet({ connectTimeoutMs: 1000, idleTimeoutMs: 3_600_000, http2: DEFAULT_HTTP2 });
    const pa = set.get({ type: 'socket', host: '127.0.0.1', port: a.port });
    expect(set.get({ type: 'socket', host: '127.0.0.1', port: a.port })).toBe(pa);
    set.get({ type: 'socket', host: '127.0.0.1', port: b.port });
    expect(set.size).toBe(2);
    const s = await open(pa);
    await until(() => a.held.length === 1);
    const closing = set.close();
    answer(a.held[0] as ServerHttp2Stream);
    expect(await readAll(s)).toBe('ok');
    await closing;
    expect(set.size).toBe(0);
    expect(() => set.get({ type: 'socket', host: '127.0.0.1', port: a.port })).toThrow(expect.objectContaining({ code: 'ORION_ERR_LIB_POOL_SET_CLOSED' }));
  });
});
