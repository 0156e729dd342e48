import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOrion, type OrionProcess } from '../../src/orion/orion-process.js';
import { connectionsOnEveryWorker, get, listenerPort, loadOn, nodeHonoursReusePort, proxyConfigYaml, sleep, workerPids, type PinnedConnection } from './proxy-harness.js';

// The worker runtime: `orion --concurrency 2` forks two worker processes that share the listener, through
// SO_REUSEPORT where the running Node honours it (`.ci/run` reruns this file under Node 24) and node:cluster
// otherwise, and replaces a worker that dies.
describe('orion --concurrency 2', () => {
  let dir: string;
  let orion: OrionProcess | undefined;
  const open: PinnedConnection[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'orion-workers-'));
  });

  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await orion?.stop('SIGINT');
    orion = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<{ orion: OrionProcess; port: number; pids: Map<number, number> }> {
    const file = path.join(dir, 'orion.yaml');
    await writeFile(file, yaml);
    orion = startOrion(['-c', file, '--concurrency', '2'], { env });
    await orion.waitForLine(/^orion: ready$/, 20_000);
    return { orion, port: await listenerPort(orion, 'main'), pids: await workerPids(orion, 2) };
  }

  it('reports how the workers share the listener and spreads new connections over both', async () => {
    const { orion: o, port, pids } = await start(proxyConfigYaml({ listeners: [{ name: 'main', route: { body: 'hi' } }] }));
    await o.waitForLine(nodeHonoursReusePort() ? /2 worker processes: each worker binds its own SO_REUSEPORT socket per listener/ : /2 worker processes: workers share listening sockets through node:cluster \(SCHED_/);
    const served = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const r = await get(port);
      expect(r).toMatchObject({ status: 200, body: 'hi' });
      served.add(r.pid);
    }
    expect([...served].sort()).toEqual([...pids.values()].sort());
  });

  it('leaves termination to the primary: a worker ignores SIGTERM, SIGINT and SIGHUP sent to it directly', async () => {
    const { orion: o, port, pids } = await start(proxyConfigYaml({ listeners: [{ name: 'main', route: { body: 'hi' } }] }));
    const worker = pids.get(1) as number;
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.kill(worker, signal);
    await sleep(300);
    expect(() => process.kill(worker, 0)).not.toThrow();
    const served = new Set<number>();
    for (let i = 0; i < 40 && served.size < 2; i++) served.add((await get(port)).pid);
    expect(served).toEqual(new Set(pids.values()));
    expect(o.stderr.join('\n')).not.toMatch(/exited/);
  });

  it('replaces a worker killed under load; only requests on its own connections fail and the listener stays up', async () => {
    const { orion: o, port, pids } = await start(proxyConfigYaml({ listeners: [{ name: 'main', route: { body: 'hi' } }] }));
    const [victim, survivor] = [pids.get(1) as number, pids.get(2) as number];
    const connections = await connectionsOnEveryWorker(port, [victim, survivor], 4);
    open.push(...connections);
    const traffic = loadOn(connections);
    await sleep(300);
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');

    await o.waitForLine(new RegExp(`worker 1 \\(pid ${victim}\\) exited \\(signal SIGKILL\\); starting a replacement \\(1 replaced so far\\)`), 10_000);
    // The listener stays up while the replacement starts: new connections go to the live worker(s).
    for (let i = 0; i < 10; i++) expect(await get(port)).toMatchObject({ status: 200, body: 'hi' });
    const replaced = await o.waitForLine(/worker 1 replaced: pid (\d+) serves configuration version 1/, 20_000);
    const replacement = Number(replaced[1]);
    await sleep(200);
    await traffic.stop();

    for (const c of connections) {
      const failures = c.outcomes.filter((x) => !x.ok);
      if (c.pid === victim) {
        expect(failures.length).toBe(1);
        expect(failures[0]?.at).toBeGreaterThanOrEqual(killedAt);
      } else {
        expect(failures).toEqual([]);
        expect(c.outcomes.filter((x) => x.at > killedAt).length).toBeGreaterThan(0);
      }
    }
    const served = new Set<number>();
    for (let i = 0; i < 40 && !served.has(replacement); i++) {
      const r = await get(port);
      expect(r.status).toBe(200);
      served.add(r.pid);
    }
    expect(served.has(replacement)).toBe(true);
    expect(served.has(victim)).toBe(false);
  });

  it('pins each worker to one core with affinity_strategy auto, and warns when taskset is missing', async () => {
    const status = await readFile('/proc/self/status', 'utf8');
    const allowed = /^Cpus_allowed_list:\s*(\S+)$/m.exec(status)?.[1] ?? '0';
    const first = Number(allowed.split(/[,-]/)[0]);
    const yaml = proxyConfigYaml({ listeners: [{ name: 'main', route: { body: 'hi' } }], runtime: '{ num_cpus: 1, affinity_strategy: auto }' });
    const { pids } = await start(yaml);
    for (const pid of pids.values()) {
      let list = '';
      for (let i = 0; i < 50 && list !== String(first); i++) {
        list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
        if (list !== String(first)) await sleep(50);
      }
      expect(list).toBe(String(first));
    }
    await orion?.stop('SIGINT');
    const noTaskset = await start(yaml, { PATH: path.join(dir, 'empty-bin') });
    await noTaskset.orion.waitForLine(/\[warning\]\[main\] runtime\.affinity_strategy asks for CPU pinning, but taskset \(util-linux\) is not installed: workers run unpinned/);
  });
});
