import { createServer, type AddressInfo } from 'node:net';
import { DEFAULT_STATS_CONFIG, loadConfiguration, type Bootstrap } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotOf } from '../../src/config/configuration-snapshot.js';
import { diffConfiguration } from '../../src/config/diff-configuration.js';
import { ProxyErrorCode } from '../../src/error-codes.js';
import { streamLogDestination } from '../../src/logging/log-destination.js';
import { createLogger } from '../../src/logging/logger.js';
import { WorkerRuntime } from '../../src/worker/worker-runtime.js';
import { get, upstream } from '../support/serve-harness.js';
import { testBootstrap, testConfigYaml, type TestConfig } from '../support/test-config.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const logger = createLogger({ logging: { level: 'off', components: {} }, destination: streamLogDestination({ write: () => undefined }) });

async function runtime(config: TestConfig): Promise<{ runtime: WorkerRuntime; port: number }> {
  const bootstrap = await testBootstrap(config);
  const rt = await WorkerRuntime.start({ workerId: 1, workers: 1, reusePort: false, snapshot: snapshotOf(bootstrap), logging: bootstrap.logging }, { logger });
  cleanups.push(() => rt.destroy());
  const main = rt.addresses().find(([name]) => name === 'main')?.[1];
  return { runtime: rt, port: main?.type === 'socket' ? main.port : 0 };
}

describe('WorkerRuntime', () => {
  it('applies a change set and swaps in the next snapshot', async () => {
    const { runtime: rt, port } = await runtime({ listeners: [{ name: 'main', route: { body: 'v1' } }] });
    const before = rt.snapshot;
    const next = snapshotOf(await testBootstrap({ listeners: [{ name: 'main', route: { body: 'v2' } }] }));
    await rt.apply(2, diffConfiguration(before, next));
    expect(rt.snapshot.version).toBe(2);
    expect(rt.snapshot).not.toBe(before);
    expect(Object.isFrozen(rt.snapshot)).toBe(true);
    expect((await get(port, '/')).body).toBe('v2');
  });

  it('keeps its snapshot and data plane when a change set cannot be applied, and resyncs to a whole snapshot', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => blocker.close(r)));
    const taken = (blocker.address() as AddressInfo).port;
    const { runtime: rt, port } = await runtime({ listeners: [{ name: 'main', route: { body: 'v1' } }] });
    const v1 = rt.snapshot;
    const bad = snapshotOf(await testBootstrap({ listeners: [{ name: 'main', route: { body: 'v2' } }, { name: 'taken', port: taken, route: { body: 'x' } }] }));
    const failure = await rt.apply(2, diffConfiguration(v1, bad)).catch((err: unknown) => err);
    expect(OrionError.is(failure, ProxyErrorCode.CONFIG_APPLY)).toBe(true);
    expect((failure as Error).message).toMatch(/^worker 1 could not apply configuration version 2: .*EADDRINUSE/s);
    expect(rt.snapshot).toBe(v1);
    expect((await get(port, '/')).body).toBe('v1');
    const v3 = { ...snapshotOf(await testBootstrap({ listeners: [{ name: 'main', route: { body: 'v3' } }] })), version: 3 };
    await rt.resync(v3);
    expect(rt.snapshot.version).toBe(3);
    expect((await get(port, '/')).body).toBe('v3');
  });

  it('splits circuit-breaker limits among the workers (max_requests 2 over 2 workers: 1 each)', async () => {
    const slow = await upstream('slow');
    cleanups.push(() => slow.close());
    const yaml = testConfigYaml({ listeners: [{ name: 'main', route: { cluster: 'slow' } }], clusters: { slow: slow.port } }).replace(
      '      connect_timeout: 1s',
      '      connect_timeout: 1s\n      circuit_breakers: { thresholds: [{ max_requests: 2 }] }',
    );
    const { bootstrap } = await loadConfiguration({ text: yaml, path: 'cb.yaml', env: {} });
    const statuses = async (workers: number): Promise<number[]> => {
      const rt = await WorkerRuntime.start({ workerId: 1, workers, reusePort: false, snapshot: snapshotOf(bootstrap), logging: bootstrap.logging }, { logger });
      cleanups.push(() => rt.destroy());
      const main = rt.addresses()[0]?.[1];
      const port = main?.type === 'socket' ? main.port : 0;
      const first = get(port, '/?delay=300');
      await new Promise((r) => setTimeout(r, 100));
      const second = await get(port, '/');
      return [(await first).status, second.status];
    };
    expect(await statuses(1)).toEqual([200, 200]);
    expect(await statuses(2)).toEqual([200, 503]);
  });

  it('refuses to start on a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => blocker.close(r)));
    const taken = (blocker.address() as AddressInfo).port;
    const failure = await runtime({ listeners: [{ name: 'main', port: taken, route: { body: 'x' } }] }).catch((err: unknown) => err);
    expect(OrionError.is(failure, ProxyErrorCode.WORKER_START)).toBe(true);
  });

  it('/drain_listeners: stops at once without graceful; the stopped listener stays stopped across a change set', async () => {
    const { runtime: rt, port } = await runtime({ listeners: [{ name: 'main', route: { body: 'v1' } }] });
    expect((await get(port, '/')).body).toBe('v1');
    rt.drainListeners({ graceful: false, inboundOnly: false, drainMs: 60_000, strategy: 'gradual' });
    const refused = async (): Promise<boolean> => (await get(port, '/').then(() => undefined, (err: NodeJS.ErrnoException) => err.code)) === 'ECONNREFUSED';
    const deadline = Date.now() + 2_000;
    while (!(await refused()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await refused()).toBe(true);
    const next = snapshotOf(await testBootstrap({ listeners: [{ name: 'main', route: { body: 'v2' } }] }));
    await rt.apply(2, diffConfiguration(rt.snapshot, next));
    expect(rt.snapshot.version).toBe(2);
    expect(await refused()).toBe(true);
    expect(rt.addresses()).toEqual([]);
  });
});

describe('WorkerRuntime with stats_config', () => {
  async function started(statsConfig: Bootstrap['statsConfig']): Promise<{ runtime: WorkerRuntime; port: number }> {
    const bootstrap = await testBootstrap({ listeners: [{ name: 'main', route: { body: 'ok' } }] });
    const rt = await WorkerRuntime.start(
      { workerId: 1, workers: 1, reusePort: false, snapshot: snapshotOf(bootstrap), logging: bootstrap.logging, statsConfig },
      { logger, reportProcessMemory: true },
    );
    cleanups.push(() => rt.destroy());
    const main = rt.addresses().find(([name]) => name === 'main')?.[1];
    return { runtime: rt, port: main?.type === 'socket' ? main.port : 0 };
  }

  it('records nothing with stats_matcher reject_all: the data plane gets no store', async () => {
    const { runtime: rt, port } = await started({ ...DEFAULT_STATS_CONFIG, statsMatcher: { type: 'rejectAll' } });
    expect((await get(port, '/')).body).toBe('ok');
    const { snapshot } = rt.stats();
    expect([snapshot.counters, snapshot.gauges, snapshot.histograms]).toEqual([[], [], []]);
  });

  it('leaves out what an exclusion list matches and keeps the rest', async () => {
    const { runtime: rt, port } = await started({
      ...DEFAULT_STATS_CONFIG,
      statsMatcher: { type: 'exclusionList', patterns: [{ type: 'prefix', value: 'listener.', ignoreCase: false }, { type: 'prefix', value: 'server.', ignoreCase: false }] },
    });
    expect((await get(port, '/')).body).toBe('ok');
    const names = [...rt.stats().snapshot.counters, ...rt.stats().snapshot.gauges].map((s) => s.name);
    expect(names.some((n) => n.startsWith('http.'))).toBe(true);
    expect(names.filter((n) => n.startsWith('listener.') || n.startsWith('server.'))).toEqual([]);
  });
});
