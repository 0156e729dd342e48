import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl } from '../../src/orion/curl.js';
import { startOrion, type OrionProcess } from '../../src/orion/orion-process.js';

// `npm start` runs `orion` with no arguments: the embedded default configuration on :8000 (and :8080).
describe('orion with no arguments (the embedded default configuration)', () => {
  let orion: OrionProcess;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'orion-default-'));
    orion = startOrion([], { cwd: dir });
    await orion.waitForLine(/^orion: ready$/, 20_000);
  });

  afterAll(async () => {
    await orion?.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('prints where it listens and a curl line to try', async () => {
    await orion.waitForLine(/^orion: listener listener_http listening on 0\.0\.0\.0:8000$/);
    await orion.waitForLine(/^try: curl http:\/\/127\.0\.0\.1:8000\/direct-response$/);
  });

  it('answers curl :8000/direct-response with meow! 🐱', async () => {
    const r = await curl('http://127.0.0.1:8000/direct-response');
    expect(r.status).toBe(200);
    expect(r.body).toBe('meow! 🐱');
  });

  it('routes other paths to the embedded upstream on 127.0.0.1:8080 and logs to stdout', async () => {
    const r = await curl('http://127.0.0.1:8000/anything');
    expect(r.status).toBe(200);
    expect(r.body).toBe("hello from orion's embedded upstream\n");
    await orion.waitForLine(/"GET \/anything HTTP\/1\.1" 200 - 0 37 \d+ \d+ "-" "curl\/[\d.]+" "[0-9a-f-]{36}" "127\.0\.0\.1:8000" "127\.0\.0\.1:8080"$/, 5000);
  });

  it('serves the admin API on 127.0.0.1:9901, as Envoy\'s examples do', async () => {
    await orion.waitForLine(/^orion: admin listening on 127\.0\.0\.1:9901$/);
    const r = await curl('http://127.0.0.1:9901/ready');
    expect([r.status, r.body]).toEqual([200, 'LIVE\n']);
  });

  it('exits 0 on SIGTERM', async () => {
    expect(await orion.stop('SIGTERM')).toBe(0);
  });
});
