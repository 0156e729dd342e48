import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { Dispatcher } from 'undici';
import type { ConnectionPoolStats } from '../../src/transport/connection-pool-stats.js';
import { Http1ConnectionPool } from '../../src/transport/http1-connection-pool.js';
import { Http1PoolSet } from '../../src/transport/http1-pool-set.js';
import { loadNativeHttpParser } from '../../src/transport/native-http-parser.js';
import { cleanup, httpUpstream, Recorder, runCleanup, send, tcpTimer, until } from './http1-pool-helpers.js';

afterEach(runCleanup);

const SETTINGS = { connectTimeoutMs: 1000, idleTimeoutMs: 3_600_000 };

/** Pool stats recording into arrays. */
function recordingStats(): ConnectionPoolStats & { readonly connects: number[]; readonly lengths: number[] } {
  const connects: number[] = [];
  const lengths: number[] = [];
  return {
    pending: { upstream_rq_pending_total: 0, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 },
    connectMs: { record: (v) => connects.push(v) },
    lengthMs: { record: (v) => lengths.push(v) },
    connects,
    lengths,
  };
}

/** undici hands headers over as Buffers, the native pool as strings: the recorder keeps what it gets. */
function text(list: readonly (string | Buffer)[]): string[] {
  return list.map((h) => (typeof h === 'string' ? h : h.toString('latin1')));
}

describe('Http1PoolSet', () => {
  it.each([
    ['native', 30, 2],
    ['native', undefined, 0],
    ['undici', 30, 2],
    ['undici', undefined, 0],
  ] as const)('turns TCP keep-alive on (%s, keepalive_time %s) only with upstream_connection_options.tcp_keepalive', async (client, keepaliveS, timer) => {
    let peerPort = 0;
    const up = await httpUpstream((req, res) => {
      peerPort = req.socket.remotePort ?? 0;
      res.end('ok');
    });
    const set = new Http1PoolSet({ ...SETTINGS, client, ...(keepaliveS === undefined ? {} : { tcpKeepaliveTimeS: keepaliveS }) });
    cleanup.push(() => set.destroy());
    await send(set.get({ type: 'socket', host: '127.0.0.1', port: up.port }) as never).result;
    // The idle pooled connection: with keep-alive its kernel socket runs the keep-alive timer (30 s), else no timer.
    expect(tcpTimer(peerPort, up.port)).toBe(timer);
  });


  it('serves through the native-parser pool on this Node', async () => {
    expect(loadNativeHttpParser()).not.toBeNull();
    const up = await httpUpstream((_req, res) => res.end('native'));
    const set = new Http1PoolSet(SETTINGS);
    cleanup.push(() => set.destroy());
    expect(set.native).toBe(true);
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port: up.port });
    expect(pool).toBeInstanceOf(Http1ConnectionPool);
    expect((await send(pool as never).result).body.toString()).toBe('native');
  });

  it("serves through undici with client: 'undici', with the same handler protocol and connection slot", async () => {
    const up = await httpUpstream((_req, res) => {
      res.setHeader('x-from', 'up');
      res.end('undici');
    });
    const set = new Http1PoolSet({ ...SETTINGS, client: 'undici' });
    cleanup.push(() => set.destroy());
    expect(set.native).toBe(false);
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port: up.port });
    expect(pool).not.toBeInstanceOf(Http1ConnectionPool);
    const a = await send(pool as never).result;
    const b = await send(pool as never).result;
    expect(a.body.toString()).toBe('undici');
    expect(text(a.headers)).toContain('x-from');
    expect(a.connectionId).toBeGreaterThan(0);
    expect(b.body.toString()).toBe('undici');
  });

  it('reports the bytes each host received and sent after every response (upstream_cx_rx/tx_bytes_total)', async () => {
    const RESPONSE = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
    let upstreamReceived = 0;
    const server: Server = createNetServer((socket) => {
      let pending = '';
      socket.on('data', (chunk: Buffer) => {
        upstreamReceived += chunk.length;
        pending += chunk.toString('latin1');
        while (pending.includes('\r\n\r\n')) {
          pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
          socket.write(RESPONSE);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const totals = { received: 0, sent: 0 };
    const set = new Http1PoolSet(SETTINGS, {
      onBytes: (label, received, sent) => {
        expect(label).toBe(`127.0.0.1:${port}`);
        totals.received += received;
        totals.sent += sent;
      },
    });
    cleanup.push(() => set.destroy());
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port });
    await send(pool as never).result;
    await send(pool as never).result;
    expect(totals).toEqual({ received: 2 * Buffer.byteLength(RESPONSE), sent: upstreamReceived });
    expect(upstreamReceived).toBeGreaterThan(0);
  });

  it('counts requests waiting for a native connection in stats.pending, and records connect time and length per connection', async () => {
    const held: (() => void)[] = [];
    const up = await httpUpstream((_req, res) => held.push(() => res.end('x')));
    const stats = recordingStats();
    const set = new Http1PoolSet({ ...SETTINGS, maxConnectionsPerHost: 1 }, {}, stats);
    cleanup.push(() => set.destroy());
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port: up.port });
    // The first request waits for the connection; the next two wait for it to be free.
    const first = send(pool as never);
    await until(() => held.length === 1);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 1, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
    const second = send(pool as never);
    const third = send(pool as never);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 3, upstream_rq_pending_active: 2, upstream_rq_pending_overflow: 0 });
    held.shift()?.();
    expect((await first.result).body.toString()).toBe('x');
    await until(() => held.length === 1);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 3, upstream_rq_pending_active: 1, upstream_rq_pending_overflow: 0 });
    // destroy() fails the one still waiting, and it waits no more.
    await set.destroy();
    await expect(second.result).rejects.toThrow();
    await expect(third.result).rejects.toMatchObject({ code: 'UND_ERR_DESTROYED' });
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 3, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
    expect([stats.connects.length, stats.lengths.length]).toEqual([1, 1]);
    expect(stats.lengths[0]).toBeGreaterThanOrEqual(stats.connects[0] as number);
  });

  it("records each undici connection's connect time and length (client: 'undici'); undici reports no waiting requests", async () => {
    const up = await httpUpstream((_req, res) => res.end('x'));
    const stats = recordingStats();
    const set = new Http1PoolSet({ ...SETTINGS, client: 'undici', maxConnectionsPerHost: 1 }, {}, stats);
    cleanup.push(() => set.destroy());
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port: up.port });
    expect((await send(pool as never).result).body.toString()).toBe('x');
    expect((await send(pool as never).result).body.toString()).toBe('x');
    expect([stats.connects.length, stats.lengths.length]).toEqual([1, 0]);
    await set.close();
    await until(() => stats.lengths.length === 1);
    expect(stats.lengths[0]).toBeGreaterThanOrEqual(stats.connects[0] as number);
    expect(stats.pending).toEqual({ upstream_rq_pending_total: 0, upstream_rq_pending_active: 0, upstream_rq_pending_overflow: 0 });
  });

  it('reports connection events per host label, and remove() closes a host pool', async () => {
    const up = await httpUpstream((_req, res) => res.end('x'));
    const events: string[] = [];
    const set = new Http1PoolSet(SETTINGS, { onConnect: (l) => events.push(`+${l}`), onDisconnect: (l) => events.push(`-${l}`) });
    cleanup.push(() => set.destroy());
    const label = `127.0.0.1:${up.port}`;
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port: up.port });
    expect(set.get({ type: 'socket', host: '127.0.0.1', port: up.port })).toBe(pool);
    await send(pool as never).result;
    expect(set.size).toBe(1);
    await set.remove(label);
    expect(set.size).toBe(0);
    expect(events).toEqual([`+${label}`, `-${label}`]);
    await set.close();
    expect(() => set.get({ type: 'socket', host: '127.0.0.1', port: up.port })).toThrow(expect.objectContaining({ code: 'ORION_ERR_LIB_POOL_SET_CLOSED' }));
  });

  it('sends upgrade requests through undici from the native pool', async () => {
    const up = await httpUpstream((_req, res) => res.end('plain'));
    const wss = new WebSocketServer({ server: up.server });
    cleanup.push(() => new Promise<void>((r) => wss.close(() => r())));
    wss.on('connection', (ws) => ws.send('hello'));
    const set = new Http1PoolSet(SETTINGS);
    cleanup.push(() => set.destroy());
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port: up.port });
    const upgraded = await new Promise<{ status: number; socket: Duplex }>((resolve, reject) => {
      const handler = {
        onConnect: () => undefined,
        onHeaders: () => true,
        onData: () => true,
        onComplete: () => reject(new Error('no upgrade')),
        onError: reject,
        onUpgrade: (status: number, _headers: unknown, socket: Duplex) => resolve({ status, socket }),
      };
      pool.dispatch(
        {
          method: 'GET',
          path: '/',
          upgrade: 'websocket',
          headers: { 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
        } as Dispatcher.DispatchOptions,
        handler as unknown as Dispatcher.DispatchHandler,
      );
    });
    expect(upgraded.status).toBe(101);
    let got = '';
    upgraded.socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    await until(() => got.includes('hello'));
    upgraded.socket.destroy();
  });

  it('passes the request abort through a waiting request', async () => {
    const up = await httpUpstream((_req, res) => res.end('x'));
    const set = new Http1PoolSet({ ...SETTINGS, maxConnectionsPerHost: 1 });
    cleanup.push(() => set.destroy());
    const pool = set.get({ type: 'socket', host: '127.0.0.1', port: up.port });
    const r = new Recorder();
    r.abortOnConnect = new Error('gone');
    send(pool as never, {}, r);
    await expect(r.result).rejects.toThrow('gone');
    expect((await send(pool as never).result).body.toString()).toBe('x');
    expect(up.sockets).toHaveLength(1);
  });
});
