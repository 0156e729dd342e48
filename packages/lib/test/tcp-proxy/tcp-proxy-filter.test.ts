import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, TcpProxy } from '@orion/configuration';
import { LogFormatter, ResponseFlag, type FormatContext } from '@orion/format';
import { OrionError } from '@orion/error';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessLogSinks } from '../../src/access-log/access-log-sinks.js';
import { ClusterManager } from '../../src/clusters/index.js';
import { LibErrorCode } from '../../src/error-codes.js';
import { ListenerManager, nextConnectionId } from '../../src/listeners/index.js';
import { TcpProxyFilter, type TcpProxySessionInfo } from '../../src/tcp-proxy/index.js';
import { staticCluster } from '../clusters/cluster-config.js';
import { listener } from '../listeners/listener-config.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tcpProxy(overrides: Partial<TcpProxy> = {}): TcpProxy {
  return { type: 'tcpProxy', name: 'tcp', statPrefix: 'ingress', cluster: { type: 'cluster', name: 'backend' }, idleTimeoutMs: 3_600_000, accessLogs: [], ...overrides };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.emit('test-cleanup');
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** An upstream echo server that tracks its sockets. */
async function echoServer(): Promise<{ port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  server.on('test-cleanup', () => sockets.forEach((s) => s.destroy()));
  return { port: await listen(server), sockets };
}

const LOG_FORMAT = '%RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %UPSTREAM_HOST% %UPSTREAM_CLUSTER% %CONNECTION_ID% %LISTENER_NAME% %UPSTREAM_TRANSPORT_FAILURE_REASON%';

interface Proxy {
  readonly port: number;
  readonly filter: TcpProxyFilter;
  readonly clusters: ClusterManager;
  readonly lines: string[];
  readonly ended: TcpProxySessionInfo[];
  nextEnd(): Promise<TcpProxySessionInfo>;
}

/** A real listener on port 0 whose connections go through a tcp_proxy filter to `clusters`. */
async function proxy(clusters: Cluster[], config: TcpProxy = tcpProxy(), bufferLimitBytes = 1_048_576): Promise<Proxy> {
  const manager = ClusterManager.create(clusters);
  await manager.ready();
  const formatter = LogFormatter.text(LOG_FORMAT);
  const lines: string[] = [];
  const ended: TcpProxySessionInfo[] = [];
  const waiters: ((i: TcpProxySessionInfo) => void)[] = [];
  const filter = await TcpProxyFilter.create(config, {
    clusters: manager,
    accessLogs: [{ log: (ctx: FormatContext) => lines.push(formatter.render(ctx)) }],
    nextConnectionId,
    onSessionEnd: (info) => {
      const w = waiters.shift();
      if (w !== undefined) w(info);
      else ended.push(info);
    },
  });
  const listeners = new ListenerManager({ onConnection: (socket, info) => filter.handle(socket, info) });
  await listeners.apply([listener('tcp-in', { perConnectionBufferLimitBytes: bufferLimitBytes })]);
  cleanups.push(async () => {
    await listeners.destroy();
    await filter.destroy();
    await manager.close();
  });
  const address = listeners.addresses().get('tcp-in');
  if (address?.type !== 'socket') throw new Error('no address');
  const nextEnd = (): Promise<TcpProxySessionInfo> => {
    const e = ended.shift();
    return e !== undefined ? Promise.resolve(e) : new Promise((r) => waiters.push(r));
  };
  return { port: address.port, filter, clusters: manager, lines, ended, nextEnd };
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(s));
    s.on('error', reject);
    cleanups.push(() => void s.destroy());
  });
}

/** Collects what a socket receives until it ends or closes. */
function received(s: Socket): Promise<{ text: string; ended: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    let ended = false;
    s.setEncoding('utf8');
    s.on('data', (c: string) => (text += c));
    s.on('end', () => {
      ended = true;
      resolve({ text, ended });
    });
    s.on('close', () => resolve({ text, ended }));
    s.on('error', () => undefined);
  });
}

function readSome(s: Socket, expected: string): Promise<void> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (c: Buffer): void => {
      text += c.toString('utf8');
      if (text.length >= expected.length) {
        s.off('data', onData);
        resolve();
      }
    };
    s.on('data', onData);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('TcpProxyFilter', () => {
  it('proxies data both ways and logs bytes, upstream host and cluster', async () => {
    const echo = await echoServer();
    const p = await proxy([staticCluster('backend', [{ port: echo.port }])]);
    const client = await dial(p.port);
    const got = received(client);
    client.write('hello ');
    client.end('world');
    expect(await got).toEqual({ text: 'hello world', ended: true });
    const info = await p.nextEnd();
    expect(info).toMatchObject({ bytesReceived: 11, bytesSent: 11, responseFlags: 0, upstreamClusterName: 'backend', listenerName: 'tcp-in' });
    expect(info.durationNs).toBeGreaterThan(0);
    expect(p.lines[0]).toBe(`- 11 11 127.0.0.1:${echo.port} backend ${info.connectionId} tcp-in -`);
    expect(p.filter.counters).toMatchObject({ downstream_cx_total: 1, downstream_cx_rx_bytes_total: 11, downstream_cx_tx_bytes_total: 11 });
    const cluster = p.clusters.get('backend');
    expect(cluster?.counters).toMatchObject({ upstream_cx_total: 1, upstream_cx_active: 0, upstream_cx_destroy: 1, upstream_cx_rx_bytes_total: 11, upstream_cx_tx_bytes_total: 11 });
    expect(p.filter.activeSessions).toBe(0);
  });

  it('forwards a downstream FIN upstream and keeps the other direction open', async () => {
    // The upstream answers only after the client's FIN, then closes.
    const server = createServer({ allowHalfOpen: true }, (s) => {
      let text = '';
      s.setEncoding('utf8');
      s.on('data', (c: string) => (text += c));
      s.on('end', () => s.end(`got ${text}`));
    });
    const port = await listen(server);
    const p = await proxy([staticCluster('backend', [{ port }])]);
    const client = await dial(p.port);
    const got = received(client);
    client.end('request');
    expect(await got).toEqual({ text: 'got request', ended: true });
    expect((await p.nextEnd()).responseFlags).toBe(0);
  });

  it('forwards an upstream FIN downstream and keeps the other direction open', async () => {
    // The upstream greets and half-closes at once, then still reads until the client's FIN.
    let upstreamGot: Promise<string> = Promise.resolve('');
    const server = createServer({ allowHalfOpen: true }, (s) => {
      upstreamGot = new Promise((resolve) => {
        let text = '';
        s.setEncoding('utf8');
        s.on('data', (c: string) => (text += c));
        s.on('end', () => resolve(text));
      });
      s.end('bye');
    });
    const port = await listen(server);
    const p = await proxy([staticCluster('backend', [{ port }])]);
    const client = await dial(p.port);
    const got = received(client);
    expect(await got).toEqual({ text: 'bye', ended: true });
    client.end('late data');
    expect(await upstreamGot).toBe('late data');
    const info = await p.nextEnd();
    expect(info).toMatchObject({ bytesReceived: 9, bytesSent: 3, responseFlags: 0 });
  });

  it('delivers the last bytes and the FIN of an upstream that closes completely', async () => {
    const server = createServer({ allowHalfOpen: true }, (s) => {
      s.on('error', () => undefined);
      s.write('last words');
      s.destroySoon();
    });
    const port = await listen(server);
    const p = await proxy([staticCluster('backend', [{ port }])]);
    const client = await dial(p.port);
    expect(await received(client)).toEqual({ text: 'last words', ended: true });
    // A FIN cannot tell a full close from a half-close: the session ends when the client ends too.
    client.end();
    expect((await p.nextEnd()).bytesSent).toBe(10);
    expect(p.filter.activeSessions).toBe(0);
  });

  it('closes the downstream with UF when the upstream refuses the connection', async () => {
    const port = await freePort();
    const p = await proxy([staticCluster('backend', [{ port }])]);
    const client = await dial(p.port);
    const got = received(client);
    client.write('lost');
    expect((await got).text).toBe('');
    const info = await p.nextEnd();
    expect(info.responseFlags).toBe(ResponseFlag.UpstreamConnectionFailure);
    expect(info.upstreamTransportFailureReason).toBe('ECONNREFUSED');
    expect(p.lines[0]).toMatch(new RegExp(`^UF 0 0 127\\.0\\.0\\.1:${port} backend \\d+ tcp-in ECONNREFUSED$`));
    expect(p.clusters.get('backend')?.counters).toMatchObject({ upstream_cx_connect_fail: 1, upstream_cx_active: 0 });
  });

  it('closes the downstream with UH when the cluster has no healthy host (panic mode off)', async () => {
    const p = await proxy([{ ...staticCluster('backend', [{ port: 1, health: 'unhealthy' }]), healthyPanicThresholdPercent: 0 }]);
    const client = await dial(p.port);
    await received(client);
    const info = await p.nextEnd();
    expect(info.responseFlags).toBe(ResponseFlag.NoHealthyUpstream);
    expect(p.lines[0]?.startsWith('UH 0 0 - backend')).toBe(true);
    expect(p.clusters.get('backend')?.counters.upstream_cx_none_healthy).toBe(1);
  });

  it('closes the downstream with NC when the cluster does not exist', async () => {
    const p = await proxy([], tcpProxy({ cluster: { type: 'cluster', name: 'missing' } }));
    const client = await dial(p.port);
    await received(client);
    expect((await p.nextEnd()).responseFlags).toBe(ResponseFlag.NoClusterFound);
    expect(p.filter.counters.downstream_cx_no_route).toBe(1);
  });

  it('closes the downstream with UO when max_connections is reached', async () => {
    const echo = await echoServer();
    const limited: Cluster = {
      ...staticCluster('backend', [{ port: echo.port }]),
      circuitBreakers: [{ priority: 'default', maxConnections: 1, maxPendingRequests: 1, maxRequests: 1, maxRetries: 1 }],
    };
    const p = await proxy([limited]);
    const first = await dial(p.port);
    first.write('x');
    await readSome(first, 'x');
    const second = await dial(p.port);
    await received(second);
    const info = await p.nextEnd();
    expect(info.responseFlags).toBe(ResponseFlag.UpstreamOverflow);
    expect(p.clusters.get('backend')?.counters.upstream_cx_overflow).toBe(1);
  });

  it('picks among weighted clusters', async () => {
    const echo = await echoServer();
    const p = await proxy(
      [staticCluster('a', [{ port: echo.port }])],
      tcpProxy({ cluster: { type: 'weightedClusters', clusters: [{ name: 'a', weight: 1 }, { name: 'b', weight: 0 }] } }),
    );
    const client = await dial(p.port);
    const got = received(client);
    client.end('x');
    expect((await got).text).toBe('x');
    expect((await p.nextEnd()).upstreamClusterName).toBe('a');
  });

  it('closes both sides after idle_timeout without traffic (SI)', async () => {
    const echo = await echoServer();
    const p = await proxy([staticCluster('backend', [{ port: echo.port }])], tcpProxy({ idleTimeoutMs: 400 }));
    const client = await dial(p.port);
    const got = received(client);
    // Traffic within the timeout keeps the connection open, past the first 400 ms.
    const start = Date.now();
    for (let i = 0; i < 9; i++) {
      client.write('ping');
      await readSome(client, 'ping');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Date.now() - start).toBeGreaterThanOrEqual(400);
    const quietSince = Date.now();
    await got;
    expect(Date.now() - quietSince).toBeGreaterThanOrEqual(300);
    expect(Date.now() - quietSince).toBeLessThan(5000);
    const info = await p.nextEnd();
    expect(info.responseFlags).toBe(ResponseFlag.StreamIdleTimeout);
    expect(p.filter.counters.idle_timeout).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(echo.sockets.size).toBe(0);
  });

  it('closes the upstream when the client resets', async () => {
    const echo = await echoServer();
    const p = await proxy([staticCluster('backend', [{ port: echo.port }])]);
    const client = await dial(p.port);
    client.write('a');
    await readSome(client, 'a');
    client.resetAndDestroy();
    await p.nextEnd();
    await new Promise((r) => setTimeout(r, 20));
    expect(echo.sockets.size).toBe(0);
  });

  it('moves 10 MiB each way through a slow upstream without buffering it', async () => {
    const total = 10 * 1024 * 1024;
    // A slow echo upstream: it pauses 1 ms after every chunk, so the proxy must push back on the client.
    const server = createServer({ allowHalfOpen: true }, (s) => {
      s.on('error', () => undefined);
      s.on('data', (chunk: Buffer) => {
        s.pause();
        const ok = s.write(chunk);
        const resume = (): void => void setTimeout(() => s.resume(), 1);
        if (ok) resume();
        else s.once('drain', resume);
      });
      s.on('end', () => s.end());
    });
    const port = await listen(server);
    const limit = 64 * 1024;
    const p = await proxy([{ ...staticCluster('backend', [{ port }]), perConnectionBufferLimitBytes: limit }], tcpProxy(), limit);
    const client = await dial(p.port);
    const chunk = Buffer.alloc(64 * 1024, 7);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, p.filter.bufferedBytes)), 2);
    cleanups.push(() => clearInterval(sampler));
    let echoed = 0;
    let intact = true;
    const sevens = Buffer.alloc(1024 * 1024, 7);
    const done = new Promise<void>((resolve) => {
      client.on('data', (c: Buffer) => {
        echoed += c.length;
        if (!c.equals(sevens.subarray(0, c.length))) intact = false;
      });
      client.on('end', () => resolve());
    });
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (!client.write(chunk)) await new Promise((r) => client.once('drain', r));
    }
    client.end();
    await done;
    clearInterval(sampler);
    expect(echoed).toBe(total);
    expect(intact).toBe(true);
    // The proxy's four socket buffers stay near their 64 KiB high-water marks, far below the 10 MiB moved.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(1024 * 1024);
    expect(p.filter.counters.downstream_flow_control_paused_reading_total).toBeGreaterThan(0);
    const info = await p.nextEnd();
    expect(info).toMatchObject({ bytesReceived: total, bytesSent: total });
  });

  it('writes access logs from its configuration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orion-tcp-log-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'access.log');
    const echo = await echoServer();
    const manager = ClusterManager.create([staticCluster('backend', [{ port: echo.port }])]);
    cleanups.push(() => manager.close());
    const filter = await TcpProxyFilter.create(
      tcpProxy({
        accessLogs: [
          { name: 'text', sink: { type: 'file', path }, format: { type: 'text', format: '%UPSTREAM_CLUSTER% %BYTES_RECEIVED% %ACCESS_LOG_TYPE%\n', omitEmptyValues: false } },
          { name: 'json', sink: { type: 'file', path }, format: { type: 'json', format: { flags: '%RESPONSE_FLAGS%', sent: '%BYTES_SENT%' }, omitEmptyValues: false } },
        ],
      }),
      { clusters: manager },
    );
    const listeners = new ListenerManager({ onConnection: (s, info) => filter.handle(s, info) });
    cleanups.push(() => listeners.destroy());
    await listeners.apply([listener('l')]);
    const address = listeners.addresses().get('l');
    const client = await dial(address?.type === 'socket' ? address.port : 0);
    const got = received(client);
    client.end('abc');
    await got;
    await filter.close();
    const text = await readFile(path, 'utf8');
    expect(text).toContain('backend 3 TcpConnectionEnd\n');
    expect(text).toContain('{"flags":"-","sent":3}');
  });

  it('rejects an access log whose format does not parse', async () => {
    const sinks = new AccessLogSinks();
    cleanups.push(() => sinks.closeAll());
    const err = await TcpProxyFilter.create(
      tcpProxy({ accessLogs: [{ name: 'bad', sink: { type: 'stdout' }, format: { type: 'text', format: '%NOT_AN_OPERATOR%', omitEmptyValues: false } }] }),
      { clusters: ClusterManager.create([]), accessLogSinks: sinks },
    ).catch((e: unknown) => e);
    expect(OrionError.is(err, LibErrorCode.TCP_PROXY_ACCESS_LOG)).toBe(true);
    expect(String(err)).toContain('"bad"');
  });
});
