import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';

const UPLOAD_BYTES = 2 * 1024 * 1024;

/** curl with a `-w` format per transfer: what it printed, one line per URL. */
function curlWrite(urls: readonly string[], format: string, args: readonly string[] = []): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const discard = urls.flatMap(() => ['-o', '/dev/null']);
    execFile('curl', ['-sS', '--max-time', '10', ...discard, '-w', `${format}\\n`, ...args, ...urls], { timeout: 15_000 }, (err, stdout) => {
      if (err !== null) reject(err);
      else resolve(stdout.trim().split('\n'));
    });
  });
}

describe('orion with HTTP/1.1 clients (e2e, curl)', () => {
  let served: ServedConfig;
  let upstream: TestUpstream;
  let port: number;
  /** A listener with `accept_http_10`. */
  let http10: number;
  let dir: string;
  let upload: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'orion-e2e-http1-'));
    upload = join(dir, 'upload.bin');
    await writeFile(upload, Buffer.alloc(UPLOAD_BYTES, 0x61));
    upstream = await httpUpstream('h1');
    port = await freePort();
    const routes = `                        - match: { prefix: /direct }
                          direct_response: { status: 200, body: { inline_string: direct } }
                        - match: { prefix: / }
                          route: { cluster: h1 }
`;
    http10 = await freePort();
    served = await serveConfig(
      bootstrap(
        [httpListener('main', port, routes), httpListener('http10', http10, routes, '                http_protocol_options: { accept_http_10: true, default_host_for_http_10: legacy.internal }\n')],
        [staticCluster('h1', [upstream.port])],
      ),
    );
  });

  afterAll(async () => {
    await served?.stop();
    await upstream?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the connection between requests, with no Connection header on the responses (as Envoy)', async () => {
    const base = `http://127.0.0.1:${port}`;
    // One curl, two transfers: the second reuses the first's connection (num_connects 0).
    expect(await curlWrite([`${base}/a`, `${base}/b`], '%{http_code} %{num_connects}')).toEqual(['200 1', '200 0']);
    const reply = await curl(`${base}/c`);
    expect([reply.status, reply.body, reply.headers['connection']]).toEqual([200, 'h1 GET /c 0', undefined]);
  });

  it('answers Expect: 100-continue with 100 Continue and forwards the whole body', async () => {
    const reply = await curl(`http://127.0.0.1:${port}/upload`, ['-H', 'Expect: 100-continue', '--data-binary', `@${upload}`]);
    expect(reply.exitCode).toBe(0);
    expect(reply.stdout.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n')).toBe(true);
    expect(reply.body).toBe(`h1 POST /upload ${UPLOAD_BYTES}`);
    // Envoy answers the expectation itself: the upstream never sees it.
    expect(upstream.requests.at(-1)?.headers['expect']).toBeUndefined();
  });

  it('refuses HTTP/1.0 with 426 Upgrade Required, as Envoy does without accept_http_10', async () => {
    const reply = await curl(`http://127.0.0.1:${port}/old`, ['--http1.0']);
    expect([reply.status, reply.body, reply.headers['connection']]).toEqual([426, 'Upgrade Required', 'close']);
  });

  it('serves HTTP/1.0 with accept_http_10 and closes the connection after the response', async () => {
    const reply = await curl(`http://127.0.0.1:${http10}/old`, ['--http1.0']);
    expect([reply.status, reply.body, reply.headers['connection']]).toEqual([200, 'h1 GET /old 0', 'close']);
  });

  it('answers before a large request body is complete with connection: close, and the client reads the answer', async () => {
    // No Expect: curl sends the 2 MiB body at once; the direct response is written while it arrives.
    const reply = await curl(`http://127.0.0.1:${port}/direct`, ['-H', 'Expect:', '--data-binary', `@${upload}`]);
    expect(reply.exitCode).toBe(0);
    expect([reply.status, reply.body, reply.headers['connection']]).toEqual([200, 'direct', 'close']);
  });
});
