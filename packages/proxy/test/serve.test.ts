import { Agent } from 'node:http';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { get, load, serveInProcess, upstream, type ServeRun } from './support/serve-harness.js';
import { testConfigYaml, type TestConfig } from './support/test-config.js';

let dir = '';
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orion-serve-'));
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await rm(dir, { recursive: true, force: true });
});

async function serve(config: TestConfig, ...extra: string[]): Promise<{ run: ServeRun; file: string; port: number }> {
  const file = join(dir, 'orion.yaml');
  await writeFile(file, testConfigYaml(config));
  const run = serveInProcess(['-c', file, '--concurrency', '1', ...extra]);
  cleanups.push(async () => {
    run.signals.emit('SIGTERM');
    run.signals.emit('SIGTERM');
    await run.done;
  });
  await run.waitFor(/orion: ready/);
  return { run, file, port: await run.port('main') };
}

describe('orion serve (one process)', () => {
  it('logs how it serves and where it listens', async () => {
    const { run, port } = await serve({ listeners: [{ name: 'main', route: { body: 'hello' } }] });
    expect(run.err()).toMatch(/\[info\]\[main\] serving in this process \(--concurrency 1\): one process serves every listener/);
    expect(run.err()).toMatch(new RegExp(`\\[main\\] worker 1 pid ${process.pid} serving worker=1 pid=${process.pid}`));
    expect((await get(port, '/')).body).toBe('hello');
  });

  it('applies a changed route on SIGHUP without failing a request under load', async () => {
    const { run, file, port } = await serve({ listeners: [{ name: 'main', route: { body: 'v1' } }] });
    const traffic = load(port, { connections: 4, maxRequests: 4_000 });
    await new Promise((r) => setTimeout(r, 100));
    await writeFile(file, testConfigYaml({ listeners: [{ name: 'main', route: { body: 'v2' } }] }));
    run.signals.emit('SIGHUP');
    await run.waitFor(/configuration version 2 applied by 1 worker\(s\): routes of listener "main" \(chain 0\) updated/);
    const seen = traffic.results.length;
    await new Promise((r) => setTimeout(r, 100));
    await traffic.stop();
    expect(traffic.results.filter((r) => !r.ok)).toEqual([]);
    expect(traffic.results.slice(seen).every((r) => r.body === 'v2')).toBe(true);
    expect(traffic.results[0]?.body).toBe('v1');
  });

  it('logs every error of an invalid file on SIGHUP and keeps serving the running configuration', async () => {
    const { run, file, port } = await serve({ listeners: [{ name: 'main', route: { body: 'v1' } }] });
    const traffic = load(port, { connections: 2, maxRequests: 2_000 });
    await writeFile(file, testConfigYaml({ listeners: [{ name: 'main', route: { cluster: 'missing' } }] }).replace('stat_prefix: main', 'stat_prefix: main\n                bogus_field: 1'));
    run.signals.emit('SIGHUP');
    await run.waitFor(/is invalid; configuration version 1 keeps serving/);
    await run.waitFor(/unknown cluster "missing"/);
    await new Promise((r) => setTimeout(r, 100));
    await traffic.stop();
    expect(run.err()).toMatch(/\[error\]\[config\] 2 errors in .*orion\.yaml:/);
    expect(run.err()).toMatch(/\[error\]\[config\] .*orion\.yaml:\d+:\d+: .*bogus_field: unknown field/);
    expect(traffic.results.length).toBeGreaterThan(0);
    expect(traffic.results.every((r) => r.ok && r.body === 'v1')).toBe(true);
    expect((await get(port, '/')).body).toBe('v1');
  });

  it('keeps the running configuration when a reload cannot be applied', async () => {
    const { run, file, port } = await serve({ listeners: [{ name: 'main', route: { body: 'v1' } }] });
    const blocker = await upstream('blocker');
    cleanups.push(() => blocker.close());
    await writeFile(file, testConfigYaml({ listeners: [{ name: 'main', route: { body: 'v2' } }, { name: 'taken', port: blocker.port, route: { body: 'x' } }] }));
    run.signals.emit('SIGHUP');
    await run.waitFor(/could not be applied; configuration version 1 keeps serving/);
    expect(run.err()).toMatch(/EADDRINUSE/);
    expect((await get(port, '/')).body).toBe('v1');
  });

  it('drains on SIGTERM: idle connections close at once, requests in flight finish, new connections are refused', async () => {
    const slow = await upstream('slow');
    cleanups.push(() => slow.close());
    const { run, port } = await serve({ listeners: [{ name: 'main', route: { cluster: 'slow' } }], clusters: { slow: slow.port } }, '--drain-time-s', '30');
    const agent = new Agent({ keepAlive: true });
    cleanups.push(() => agent.destroy());
    const idle = (await get(port, '/', agent)).socket;
    const idleClosed = new Promise<number>((resolve) => idle.once('close', () => resolve(Date.now())));
    const inFlight = [get(port, '/?delay=500'), get(port, '/?delay=500'), get(port, '/?delay=500')];
    while (slow.received() < 4) await new Promise((r) => setTimeout(r, 5));
    const signalled = Date.now();
    run.signals.emit('SIGTERM');
    expect((await idleClosed) - signalled).toBeLessThan(200);
    expect(await get(port, '/').catch((e: NodeJS.ErrnoException) => e.code)).toBe('ECONNREFUSED');
    for (const reply of await Promise.all(inFlight)) expect(reply).toMatchObject({ status: 200, body: 'slow', headers: { connection: 'close' } });
    expect(await run.done).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(2_000);
    expect(run.err()).toMatch(/draining \(at most 30 s\); send the signal again to stop now/);
    expect(run.err()).toMatch(/drained; exiting/);
  });

  it('stops at once on a second signal', async () => {
    const slow = await upstream('slow');
    cleanups.push(() => slow.close());
    const { run, port } = await serve({ listeners: [{ name: 'main', route: { cluster: 'slow' } }], clusters: { slow: slow.port } });
    const inFlight = get(port, '/?delay=5000').catch((e: Error) => e.message);
    while (slow.received() < 1) await new Promise((r) => setTimeout(r, 5));
    const signalled = Date.now();
    run.signals.emit('SIGINT');
    run.signals.emit('SIGINT');
    expect(await run.done).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(1_000);
    expect(await inFlight).toBe('socket hang up');
    expect(run.err()).toMatch(/second signal: stopping now/);
  });

  it('reopens access-log files on SIGUSR1', async () => {
    const log = join(dir, 'access.log');
    const { run, port } = await serve({ listeners: [{ name: 'main', route: { body: 'x' }, accessLog: log }] });
    await get(port, '/before');
    const until = Date.now() + 5_000;
    while (!(await readFile(log, 'utf8').catch(() => '')).includes('/before') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await rename(log, `${log}.1`);
    run.signals.emit('SIGUSR1');
    await new Promise((r) => setTimeout(r, 100));
    await get(port, '/after');
    run.signals.emit('SIGTERM');
    expect(await run.done).toBe(0);
    expect(await readFile(`${log}.1`, 'utf8')).toBe('200 /before\n');
    expect(await readFile(log, 'utf8')).toBe('200 /after\n');
  });

  it('writes JSON log lines with --log-format json and honours component levels', async () => {
    const { run } = await serve({ listeners: [{ name: 'main', route: { body: 'x' } }] }, '--log-format', 'json', '--component-log-level', 'dataplane:debug');
    const lines = run
      .err()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { component: string; level: string; message: string });
    expect(lines.find((l) => l.component === 'main')).toMatchObject({ level: 'info', message: expect.stringContaining('serving in this process') });
    expect(lines.find((l) => l.component === 'dataplane')).toMatchObject({ level: 'info', message: 'listeners added: main' });
  });
});
