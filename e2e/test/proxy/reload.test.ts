import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOrion, type OrionProcess } from '../../src/orion/orion-process.js';
import { connectionsOnEveryWorker, listenerPort, loadOn, proxyConfigYaml, sleep, workerPids, type PinnedConnection } from './proxy-harness.js';

// SIGHUP re-reads the configuration file (an Orion extension; Envoy has no reload signal).
describe('orion --concurrency 2 on SIGHUP', () => {
  let dir: string;
  let file: string;
  let orion: OrionProcess | undefined;
  const open: PinnedConnection[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'orion-reload-'));
    file = path.join(dir, 'orion.yaml');
  });

  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await orion?.stop('SIGINT');
    orion = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(body: string): Promise<{ orion: OrionProcess; port: number; pids: number[] }> {
    await writeFile(file, proxyConfigYaml({ listeners: [{ name: 'main', route: { body } }] }));
    orion = startOrion(['-c', file, '--concurrency', '2']);
    await orion.waitForLine(/^orion: ready$/, 20_000);
    return { orion, port: await listenerPort(orion, 'main'), pids: [...(await workerPids(orion, 2)).values()] };
  }

  it('switches every worker to a changed route without failing a request under load', async () => {
    const { orion: o, port, pids } = await start('v1');
    const connections = await connectionsOnEveryWorker(port, pids, 3);
    open.push(...connections);
    const traffic = loadOn(connections);
    await sleep(200);
    await writeFile(file, proxyConfigYaml({ listeners: [{ name: 'main', route: { body: 'v2' } }] }));
    o.child.kill('SIGHUP');
    await o.waitForLine(/\[config\] SIGHUP: configuration version 2 applied by 2 worker\(s\): routes of listener "main" \(chain 0\) updated/, 10_000);
    const applied = Date.now();
    await sleep(300);
    await traffic.stop();
    for (const c of connections) {
      expect(c.outcomes.every((x) => x.ok)).toBe(true);
      expect(c.outcomes[0]?.body).toBe('v1');
      const after = c.outcomes.filter((x) => x.at > applied);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((x) => x.body === 'v2')).toBe(true);
    }
    expect(new Set(connections.map((c) => c.pid))).toEqual(new Set(pids));
  });

  it('logs every error of an invalid file and leaves traffic unaffected', async () => {
    const { orion: o, port, pids } = await start('v1');
    const connections = await connectionsOnEveryWorker(port, pids, 2);
    open.push(...connections);
    const traffic = loadOn(connections);
    await writeFile(file, proxyConfigYaml({ listeners: [{ name: 'main', route: 'upstream' }] }).replace('stat_prefix: main', 'stat_prefix: main\n                bogus_field: 1'));
    o.child.kill('SIGHUP');
    await o.waitForLine(/\[error\]\[config\] SIGHUP: .*orion\.yaml is invalid; configuration version 1 keeps serving/, 10_000);
    await o.waitForLine(/\[error\]\[config\] 2 errors in .*orion\.yaml:/);
    await o.waitForLine(/\[error\]\[config\] .*orion\.yaml:\d+:\d+: .*bogus_field: unknown field/);
    await o.waitForLine(/\[error\]\[config\] .*orion\.yaml:\d+:\d+: .*route\.cluster: unknown cluster "upstream"/);
    await sleep(300);
    await traffic.stop();
    for (const c of connections) {
      expect(c.outcomes.length).toBeGreaterThan(1);
      expect(c.outcomes.every((x) => x.ok && x.body === 'v1')).toBe(true);
    }
  });
});
