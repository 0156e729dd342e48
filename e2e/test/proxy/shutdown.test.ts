import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOrion, type OrionProcess } from '../../src/orion/orion-process.js';
import { get, listenerPort, proxyConfigYaml, sleep, startUpstream, workerPids } from './proxy-harness.js';

// Shutdown is an Orion extension (Envoy exits at once on SIGTERM): SIGTERM drains, a second signal stops now.
describe('orion --concurrency 2 on SIGTERM', () => {
  let dir: string;
  let orion: OrionProcess | undefined;
  const cleanups: (() => Promise<unknown> | void)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'orion-shutdown-'));
  });

  afterEach(async () => {
    await orion?.stop('SIGKILL');
    orion = undefined;
    for (const c of cleanups.splice(0).reverse()) await c();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(drainTimeS: number): Promise<{ orion: OrionProcess; port: number; upstream: Awaited<ReturnType<typeof startUpstream>>; accessLog: string }> {
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const accessLog = path.join(dir, 'access.log');
    const file = path.join(dir, 'orion.yaml');
    await writeFile(file, proxyConfigYaml({ listeners: [{ name: 'main', route: 'upstream', accessLog }], upstreamPort: upstream.port }));
    orion = startOrion(['-c', file, '--concurrency', '2', '--drain-time-s', String(drainTimeS)]);
    await orion.waitForLine(/^orion: ready$/, 20_000);
    await workerPids(orion, 2);
    return { orion, port: await listenerPort(orion, 'main'), upstream, accessLog };
  }

  it('finishes every 2-second request in flight, closes idle connections at once, refuses new ones and exits 0 well before the drain time', async () => {
    const { orion: o, port, upstream, accessLog } = await start(60);
    const agent = new Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const idle = (await get(port, '/idle', agent)).socket;
    const idleClosed = new Promise<number>((resolve) => idle.once('close', () => resolve(Date.now())));
    const inFlight = Array.from({ length: 6 }, (_, i) => get(port, `/slow-${i}?delay=2000`));
    while (upstream.received() < 7) await sleep(10);
    const signalled = Date.now();
    o.child.kill('SIGTERM');

    expect((await idleClosed) - signalled).toBeLessThan(500);
    await sleep(300);
    expect(await get(port, '/late').catch((e: NodeJS.ErrnoException) => e.code)).toBe('ECONNREFUSED');
    const replies = await Promise.all(inFlight);
    for (const r of replies) expect(r).toMatchObject({ status: 200, body: 'ok', headers: { connection: 'close' } });
    expect(await o.exited(10_000)).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    await o.waitForLine(/draining \(at most 60 s\); send the signal again to stop now/);
    await o.waitForLine(/drained; exiting/);
    const logged = (await readFile(accessLog, 'utf8')).trim().split('\n').sort();
    expect(logged).toEqual(['200 /idle', ...Array.from({ length: 6 }, (_, i) => `200 /slow-${i}?delay=2000`)].sort());
  });

  it('exits at once on a second SIGTERM', async () => {
    const { orion: o, port, upstream } = await start(60);
    const inFlight = Array.from({ length: 2 }, () => get(port, '/?delay=10000').then(
      (r) => r.status,
      (e: Error) => e.message,
    ));
    while (upstream.received() < 2) await sleep(10);
    o.child.kill('SIGTERM');
    await o.waitForLine(/draining \(at most 60 s\)/);
    const second = Date.now();
    o.child.kill('SIGTERM');
    expect(await o.exited(5_000)).toBe(0);
    expect(Date.now() - second).toBeLessThan(1_500);
    await o.waitForLine(/second signal: stopping now/);
    expect(await Promise.all(inFlight)).toEqual(['socket hang up', 'socket hang up']);
  });
});
