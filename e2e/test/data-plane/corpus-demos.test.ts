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

/** Two HTTP upstreams and two TCP echo servers standing in for a corpus file's endpoints, and the file served. */
interface DemoSetup {
  served: ServedConfig;
  http: [TestUpstream, TestUpstream];
  tcp: [Awaited<ReturnType<typeof echoUpstream>>, Awaited<ReturnType<typeof echoUpstream>>];
  httpPort: number;
  tcpPort: number;
  close(): Promise<void>;
}

async function serveDemo(file: string, names: [string, string], endpointHost: string): Promise<DemoSetup> {
  const [http1, http2, tcp1, tcp2, httpPort, tcpPort] = await Promise.all([httpUpstream(names[0]), httpUpstream(names[1]), echoUpstream(), echoUpstream(), freePort(), freePort()]);
  // One worker, so round-robin order is one sequence (each worker balances on its own, as Envoy's workers do).
  const served = await serveCorpusFile(file, {
    listenerPorts: new Map([
      [8000, httpPort],
      [8001, tcpPort],
    ]),
    endpoints: new Map([
      [`${endpointHost}:4001`, { address: '127.0.0.1', port: http1.port }],
      [`${endpointHost}:4002`, { address: '127.0.0.1', port: http2.port }],
      [`${endpointHost}:4003`, { address: '127.0.0.1', port: tcp1.port }],
      [`${endpointHost}:4004`, { address: '127.0.0.1', port: tcp2.port }],
    ]),
  }, ['--concurrency', '1']);
  return {
    served,
    http: [http1, http2],
    tcp: [tcp1, tcp2],
    httpPort,
    tcpPort,
    close: async () => {
      await served.stop();
      await Promise.all([http1.close(), http2.close(), tcp1.close(), tcp2.close()]);
    },
  };
}

describe('the meow demo (orion-proxy__conf__orion-runtime.yaml) served by orion', () => {
  let demo: DemoSetup;

  beforeAll(async () => {
    demo = await serveDemo('orion-proxy__conf__orion-runtime.yaml', ['up1', 'up2'], '10.206.137.58');
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('answers GET /direct-response with meow (curl)', async () => {
    const r = await curl(`http://127.0.0.1:${demo.httpPort}/direct-response`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('meow! 🐱');
    expect(r.headers['server']).toBe('envoy');
  });

  it('routes a POST to /direct-response to the cluster (the direct response matches GET only)', async () => {
    const r = await curl(`http://127.0.0.1:${demo.httpPort}/direct-response`, ['-X', 'POST', '--data', 'abc']);
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^up[12] POST \/direct-response 3$/);
  });

  it('balances other paths round-robin over both endpoints', async () => {
    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) bodies.push((await curl(`http://127.0.0.1:${demo.httpPort}/pets/${i}`)).body);
    expect(bodies.filter((b) => b.startsWith('up1 GET')).length).toBe(3);
    expect(bodies.filter((b) => b.startsWith('up2 GET')).length).toBe(3);
  });

  it('proxies the TCP listener to the echo cluster, both directions and half-close', async () => {
    const payload = Buffer.from('hello over tcp_proxy\n'.repeat(100));
    const echoed = await tcpRoundTrip(demo.tcpPort, payload);
    expect(echoed.equals(payload)).toBe(true);
    const second = await tcpRoundTrip(demo.tcpPort, Buffer.from('again'));
    expect(second.toString()).toBe('again');
    expect(demo.tcp[0].connections + demo.tcp[1].connections).toBe(2);
  });
});

describe('weighted clusters (orion-proxy__conf__orion-runtime-weighted-clusters.yaml) served by orion', () => {
  let demo: DemoSetup;

  beforeAll(async () => {
    demo = await serveDemo('orion-proxy__conf__orion-runtime-weighted-clusters.yaml', ['w1', 'w2'], '127.0.0.1');
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('serves GETs through the weighted cluster entries (all naming cluster_http) and other methods directly', async () => {
    const gets = await Promise.all(Array.from({ length: 8 }, (_, i) => curl(`http://127.0.0.1:${demo.httpPort}/w/${i}`)));
    for (const [i, r] of gets.entries()) expect(`${r.status} ${r.body}`).toMatch(new RegExp(`^200 w[12] GET /w/${i} 0$`));
    const del = await curl(`http://127.0.0.1:${demo.httpPort}/d`, ['-X', 'DELETE']);
    expect(del.body).toMatch(/^w[12] DELETE \/d 0$/);
    expect(demo.http[0].requests.length + demo.http[1].requests.length).toBe(9);
  });

  it('echoes through the TCP listener', async () => {
    expect((await tcpRoundTrip(demo.tcpPort, Buffer.from('ping'))).toString()).toBe('ping');
  });
});
