import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';
import { HTTP2_CLUSTER, http2Upstream } from './support.js';

function h2load(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('h2load', args, { timeout: 60_000 }, (err, stdout) => resolve({ code: err === null ? 0 : 1, stdout }));
  });
}

describe('orion with HTTP/2 clients and upstreams (e2e)', () => {
  let served: ServedConfig;
  let h1: TestUpstream;
  let h2: Awaited<ReturnType<typeof http2Upstream>>;
  let auto: number;
  let h2only: number;

  beforeAll(async () => {
    h1 = await httpUpstream('h1');
    h2 = await http2Upstream((stream, headers) => {
      let n = 0;
      stream.on('data', (c: Buffer) => (n += c.length));
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'x-upstream-protocol': 'h2' });
        stream.end(`h2 ${String(headers[':method'])} ${String(headers[':path'])} ${n}`);
      });
    });
    auto = await freePort();
    h2only = await freePort();
    const routes = `                        - match: { prefix: /h2up }
                          route: { cluster: h2 }
                        - match: { prefix: / }
                          route: { cluster: h1 }
`;
    served = await serveConfig(
      bootstrap(
        [httpListener('auto', auto, routes), httpListener('h2only', h2only, routes, '                codec_type: HTTP2\n                http2_protocol_options: { max_concurrent_streams: 50 }\n')],
        [staticCluster('h1', [h1.port]), staticCluster('h2', [h2.port], HTTP2_CLUSTER)],
      ),
    );
  });

  afterAll(async () => {
    await served?.stop();
    await h1?.close();
    await h2?.close();
  });

  it('serves curl --http2-prior-knowledge and HTTP/1.1 on an AUTO listener', async () => {
    const viaH2 = await curl(`http://127.0.0.1:${auto}/hello`, ['--http2-prior-knowledge', '-d', 'abc']);
    expect(viaH2.exitCode).toBe(0);
    expect(viaH2.stdout).toMatch(/^HTTP\/2 200/);
    expect(viaH2.body).toBe('h1 POST /hello 3');
    expect(viaH2.headers['server']).toBe('envoy');
    const viaH1 = await curl(`http://127.0.0.1:${auto}/hello`);
    expect(viaH1.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(viaH1.body).toBe('h1 GET /hello 0');
  });

  it('forwards to an HTTP/2 upstream (explicit_http_config.http2_protocol_options)', async () => {
    const viaH2 = await curl(`http://127.0.0.1:${auto}/h2up/x`, ['--http2-prior-knowledge', '-d', 'abcd']);
    expect(viaH2.body).toBe('h2 POST /h2up/x 4');
    expect(viaH2.headers['x-upstream-protocol']).toBe('h2');
    const viaH1 = await curl(`http://127.0.0.1:${auto}/h2up/y`);
    expect(viaH1.body).toBe('h2 GET /h2up/y 0');
  });

  it('speaks only HTTP/2 on a codec_type HTTP2 listener', async () => {
    expect((await curl(`http://127.0.0.1:${h2only}/z`, ['--http2-prior-knowledge'])).body).toBe('h1 GET /z 0');
    const h1attempt = await curl(`http://127.0.0.1:${h2only}/z`, ['--max-time', '3']);
    expect(h1attempt.status).toBe(0);
  });

  it('completes an h2load run with multiplexed streams', async () => {
    const run = await h2load(['-n', '3000', '-c', '4', '-m', '16', `http://127.0.0.1:${auto}/load`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/requests: 3000 total, 3000 started, 3000 done, 3000 succeeded, 0 failed, 0 errored/);
    expect(run.stdout).toMatch(/status codes: 3000 2xx/);
    const upstreamH2 = await h2load(['-n', '1000', '-c', '2', '-m', '10', `http://127.0.0.1:${h2only}/h2up/load`]);
    expect(upstreamH2.stdout).toMatch(/1000 succeeded, 0 failed/);
  });
});
