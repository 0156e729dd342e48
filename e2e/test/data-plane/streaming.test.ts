import { createWriteStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { treeRssBytes } from '../../src/orion/process-rss.js';
import { httpUpstream, type TestUpstream } from '../../src/orion/upstreams.js';

const MiB = 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

/** Writes `bytes` to the response in 64 KiB chunks, honouring backpressure. */
function stream(res: ServerResponse, bytes: number): void {
  let left = bytes;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, CHUNK.length);
      left -= n;
      if (!res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes) });
  pump();
}

async function writeFileOfSize(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  for (let left = bytes; left > 0; left -= CHUNK.length) {
    if (!out.write(left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
}

/** Runs `work` while sampling the RSS of the orion process tree; returns the peak. */
async function peakRssDuring<T>(pid: number, work: Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = await treeRssBytes(pid);
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, await treeRssBytes(pid));
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    return { result: await work, peak };
  } finally {
    done = true;
    await sampler;
  }
}

describe('streaming bodies through orion (never buffered whole)', () => {
  let served: ServedConfig;
  let upstream: TestUpstream;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'orion-stream-'));
    upstream = await httpUpstream('up', (req, res) => {
      const size = /^\/download\/(\d+)$/.exec(req.url ?? '')?.[1];
      if (size !== undefined) {
        req.resume();
        stream(res, Number(size));
        return;
      }
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => res.end(`received ${bytes}`));
    });
    port = await freePort();
    served = await serveConfig(
      bootstrap(
        [httpListener('stream', port, `                        - match: { prefix: / }\n                          route: { cluster: up, timeout: 0s }\n`)],
        [staticCluster('up', [upstream.port])],
      ),
      'orion.yaml',
      // One worker: the warm-up and the measured transfer must reach the same process.
      ['--concurrency', '1'],
    );
    await writeFileOfSize(path.join(dir, 'warm'), 5 * MiB);
    await writeFileOfSize(path.join(dir, 'big'), 50 * MiB);
  });

  afterAll(async () => {
    await served?.stop();
    await upstream?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads 50 MiB with RSS growth under 20 MiB after a 5 MiB warm-up', async () => {
    const pid = served.orion.child.pid ?? 0;
    // The baseline is the warmed-up process: its peak during and right after 5 MiB transfers (at full speed, so the
    // one-time growth of V8's young generation under a high allocation rate happens here rather than later).
    let before = 0;
    for (let i = 0; i < 2; i++) {
      const warm = await peakRssDuring(pid, curl(`http://127.0.0.1:${port}/download/${5 * MiB}`, ['-o', '/dev/null', '-w', '%{size_download}']));
      expect(warm.result.exitCode).toBe(0);
      before = Math.max(before, warm.peak, await treeRssBytes(pid));
    }
    const { result, peak } = await peakRssDuring(pid, curl(`http://127.0.0.1:${port}/download/${50 * MiB}`, ['-o', '/dev/null', '-w', '%{size_download}', '--limit-rate', '25M']));
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(String(50 * MiB));
    expect(peak - before, `RSS grew by ${((peak - before) / MiB).toFixed(1)} MiB`).toBeLessThanOrEqual(20 * MiB);
  }, 60_000);

  it('uploads 50 MiB with RSS growth under 20 MiB after a 5 MiB warm-up', async () => {
    const pid = served.orion.child.pid ?? 0;
    const warm = await peakRssDuring(pid, curl(`http://127.0.0.1:${port}/upload`, ['-T', path.join(dir, 'warm')]));
    expect(warm.result.body).toBe(`received ${5 * MiB}`);
    const before = Math.max(warm.peak, await treeRssBytes(pid));
    const { result, peak } = await peakRssDuring(pid, curl(`http://127.0.0.1:${port}/upload`, ['-T', path.join(dir, 'big')]));
    expect(result.status).toBe(200);
    expect(result.body).toBe(`received ${50 * MiB}`);
    expect(peak - before, `RSS grew by ${((peak - before) / MiB).toFixed(1)} MiB`).toBeLessThanOrEqual(20 * MiB);
  }, 60_000);

  it('streams a chunked upload of unknown length', async () => {
    const r = await curl(`http://127.0.0.1:${port}/upload`, ['-H', 'transfer-encoding: chunked', '--data-binary', `@${path.join(dir, 'warm')}`]);
    expect(r.body).toBe(`received ${5 * MiB}`);
  });
});
