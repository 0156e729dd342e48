import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveCorpusFile, type ServedConfig } from '../../src/orion/corpus.js';
import { echoUpstream, httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';

/** Sends `data` through a TCP connection, half-closes, and collects the echo until the proxy closes. */
function tcpRoundTrip(port: number, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('tcp round trip timed out'));
    }, 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      clearTimeout(timer);
      socket.end();
      resolve(Buffer.concat(chunks));
    });
    socket.on('error', reject);
    socket.end(data);
  });
}

describe('the meow demo (orion-proxy__conf__orion-runtime.yaml) served by orion', () => {
  let served: ServedConfig;
  let http1: TestUpstream;
  let http2: TestUpstream;
  let tcp1: Awaited<ReturnType<typeof echoUpstream>>;
  let tcp2: Awaited<ReturnType<typeof echoUpstream>>;
  let httpPort: number;
  let tcpPort: number;

  beforeAll(async () => {
    [http1, http2, tcp1, tcp2, httpPort, tcpPort] = await Promise.all([httpUpstream('up1'), httpUpstream('up2'), echoUpstream(), echoUpstream(), freePort(), freePort()]);
    served = await serveCorpusFile('orion-proxy__conf__orion-runtime.yaml', {
      listenerPorts: new Map([
        [8000, httpPort],
        [8001, tcpPort],
      ]),
      endpoints: new Map([
        ['10.206.137.58:4001', { address: '127.0.0.1', port: http1.port }],
        ['10.206.137.58:4002', { address: '127.0.0.1', port: http2.port }],
        ['10.206.137.58:4003', { address: '127.0.0.1', port: tcp1.port }],
        ['10.206.137.58:4004', { address: '127.0.0.1', port: tcp2.port }],
      ]),
    });
  });

  afterAll(async () => {
    await served?.stop();
    await Promise.all([http1?.close(), http2?.close(), tcp1?.close(), tcp2?.close()]);
  });

  it('answers GET /direct-response with meow (curl)', async () => {
    const r = await curl(`http://127.0.0.1:${httpPort}/direct-response`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('meow! 🐱');
    expect(r.headers['server']).toBe('envoy');
  });

  it('routes a POST to /direct-response to the cluster (the direct response matches GET only)', async () => {
    const r = await curl(`http://127.0.0.1:${httpPort}/direct-response`, ['-X', 'POST', '--data', 'abc']);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^up[12] POST \/direct-response 3$/);
  });

  it('balances other paths round-robin over both endpoints', async () => {
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push((await curl(`http://127.0.0.1:${httpPort}/pets/${i}`)).body);
    expect(bodies.filter((b) => b.startsWith('up1 GET')).length).toBe(3);
    expect(bodies.filter((b) => b.startsWith('up2 GET')).length).toBe(3);
  });

  it('proxies the TCP listener to the echo cluster, both directions and half-close', async () => {
    const payload = Buffer.from('hello over tcp_proxy\n'.repeat(100));
    const echoed = await tcpRoundTrip(tcpPort, payload);
    expect(echoed.equals(payload)).toBe(true);
    const second = await tcpRoundTrip(tcpPort, Buffer.from('again'));
    expect(second.toString()).toBe('again');
    expect(tcp1.connections + tcp2.connections).toBe(2);
  });
});

describe('weighted clusters (orion-proxy__conf__orion-runtime-weighted-clusters.yaml) served by orion', () => {
  let served: ServedConfig;
  let http1: TestUpstream;
  let http2: TestUpstream;
  let tcp1: Awaited<ReturnType<typeof echoUpstream>>;
  let tcp2: Awaited<ReturnType<typeof echoUpstream>>;
  let httpPort: number;
  let tcpPort: number;

  beforeAll(async () => {
    [http1, http2, tcp1, tcp2, httpPort, tcpPort] = await Promise.all([httpUpstream('w1'), httpUpstream('w2'), echoUpstream(), echoUpstream(), freePort(), freePort()]);
    served = await serveCorpusFile('orion-proxy__conf__orion-runtime-weighted-clusters.yaml', {
      listenerPorts: new Map([
        [8000, httpPort],
        [8001, tcpPort],
      ]),
      endpoints: new Map([
        ['127.0.0.1:4001', { address: '127.0.0.1', port: http1.port }],
        ['127.0.0.1:4002', { address: '127.0.0.1', port: http2.port }],
        ['127.0.0.1:4003', { address: '127.0.0.1', port: tcp1.port }],
        ['127.0.0.1:4004', { address: '127.0.0.1', port: tcp2.port }],
      ]),
    });
  });

  afterAll(async () => {
    await served?.stop();
    await Promise.all([http1?.close(), http2?.close(), tcp1?.close(), tcp2?.close()]);
  });

  it('serves GETs through the weighted cluster entries (all naming cluster_http) and other methods directly', async () => {
    const gets = await Promise.all(Array.from({ length: 8 }, (_, i) => curl(`http://127.0.0.1:${httpPort}/w/${i}`)));
    for (const [i, r] of gets.entries()) expect(`${r.status} ${r.body}`).toMatch(new RegExp(`^200 w[12] GET /w/${i} 0$`));
    const del = await curl(`http://127.0.0.1:${httpPort}/d`, ['-X', 'DELETE']);
    expect(del.body).toMatch(/^w[12] DELETE \/d 0$/);
    expect(http1.requests.length + http2.requests.length).toBe(9);
  });

  it('echoes through the TCP listener', async () => {
    expect((await tcpRoundTrip(tcpPort, Buffer.from('ping'))).toString()).toBe('ping');
  });
});
