import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../src/config/configuration-snapshot.js';
import { ProxyErrorCode } from '../../src/error-codes.js';
import { streamLogDestination } from '../../src/logging/log-destination.js';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { Primary, type PrimaryOptions } from '../../src/primary/primary.js';
import { testBootstrap, type TestConfig } from '../support/test-config.js';
import { fakeWorkers, type FakeWorker } from './fake-workers.js';

const V1: TestConfig = { listeners: [{ name: 'main', route: { body: 'v1' } }] };
const V2: TestConfig = { listeners: [{ name: 'main', route: { body: 'v2' } }] };

function logger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ logging: { level: 'debug', components: {}, format: '%l %v' }, destination: streamLogDestination({ write: (t: string) => lines.push(t.trimEnd()) }) }) };
}

async function resources(config: TestConfig): Promise<Omit<ReturnType<typeof snapshotOf>, 'version'>> {
  const { version: _v, ...rest } = snapshotOf(await testBootstrap(config));
  return rest;
}

async function start(workers: number, fakes: ReturnType<typeof fakeWorkers>, extra: Partial<PrimaryOptions> = {}): Promise<{ primary: Primary; lines: string[] }> {
  const bootstrap = await testBootstrap(V1);
  const log = logger();
  const primary = await Primary.start({
    snapshot: snapshotOf(bootstrap),
    workers,
    spawn: fakes.spawn,
    reusePort: false,
    logging: bootstrap.logging,
    logger: log.logger,
    replacementBackoff: { baseMs: 20, maxMs: 50 },
    ...extra,
  });
  return { primary, lines: log.lines };
}

const tick = (ms = 10): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('Primary', () => {
  it('starts one worker per slot and reports the first one\'s addresses', async () => {
    const fakes = fakeWorkers();
    const { primary } = await start(3, fakes);
    expect(fakes.started.map((w) => w.id)).toEqual([1, 2, 3]);
    expect(primary.addresses().get('main')).toMatchObject({ port: 8001 });
    await primary.destroy();
  });

  it('stops the started workers and rejects when one cannot start', async () => {
    const fakes = fakeWorkers();
    fakes.failStarts = 1;
    const failure = await start(2, fakes).catch((err: unknown) => err);
    expect(OrionError.is(failure, ProxyErrorCode.WORKER_START)).toBe(true);
    expect((failure as Error).message).toBe('worker 1 cannot bind');
    expect(fakes.started[1]?.calls).toEqual(['destroy']);
    expect(fakes.started).toHaveLength(2);
  });

  it('replaces a worker that dies with one serving the current snapshot, counts and logs it', async () => {
    const fakes = fakeWorkers();
    const { primary, lines } = await start(2, fakes);
    await primary.reload(await resources(V2));
    const victim = fakes.started[0] as FakeWorker;
    victim.end({ code: null, signal: 'SIGKILL' });
    await tick();
    const replacement = fakes.started[2] as FakeWorker;
    expect(replacement.id).toBe(1);
    expect(replacement.snapshot.version).toBe(2);
    expect(primary.workers.get(1)).toBe(replacement);
    expect(primary.stats.workersReplaced).toBe(1);
    expect(lines).toContain(`warning worker 1 (pid ${victim.pid}) exited (signal SIGKILL); starting a replacement (1 replaced so far) worker=1`);
    expect(lines).toContain(`info worker 1 replaced: pid ${replacement.pid} serves configuration version 2 worker=1 pid=${replacement.pid}`);
    await primary.destroy();
  });

  it('backs off when a slot keeps dying at once, and stops replacing on shutdown', async () => {
    const fakes = fakeWorkers();
    const { primary } = await start(1, fakes);
    (fakes.started[0] as FakeWorker).end({ code: 1, signal: null });
    await tick();
    expect(fakes.started).toHaveLength(2);
    (fakes.started[1] as FakeWorker).end({ code: 1, signal: null });
    await tick();
    expect(fakes.started).toHaveLength(2);
    await tick(40);
    expect(fakes.started).toHaveLength(3);
    (fakes.started[2] as FakeWorker).end({ code: 1, signal: null });
    await primary.destroy();
    await tick(80);
    expect(fakes.started).toHaveLength(3);
  });

  it('sends a reload to every worker and makes it the running configuration', async () => {
    const fakes = fakeWorkers();
    const { primary } = await start(2, fakes);
    expect(await primary.reload(await resources(V1))).toEqual({ type: 'unchanged', version: 1 });
    const outcome = await primary.reload(await resources(V2));
    expect(outcome).toMatchObject({ type: 'applied', version: 2, workers: 2 });
    expect(fakes.started.map((w) => w.snapshot.version)).toEqual([2, 2]);
    expect(primary.snapshot.version).toBe(2);
    expect(primary.stats.reloadsApplied).toBe(1);
    await primary.destroy();
  });

  it('moves every worker back when one refuses a reload', async () => {
    const fakes = fakeWorkers();
    const { primary } = await start(2, fakes);
    (fakes.started[1] as FakeWorker).refuse = true;
    const failure = await primary.reload(await resources(V2)).catch((err: unknown) => err);
    expect(OrionError.is(failure, ProxyErrorCode.CONFIG_APPLY)).toBe(true);
    expect((failure as Error).message).toBe('worker 2 refuses version 2');
    expect(primary.snapshot.version).toBe(1);
    expect(fakes.started[0]?.calls).toEqual(['apply 2', 'resync 1']);
    expect(fakes.started.map((w) => w.snapshot.version)).toEqual([1, 1]);
    expect(primary.stats.reloadsFailed).toBe(1);
    await primary.destroy();
  });

  it('drains every worker and resolves once they have ended', async () => {
    const fakes = fakeWorkers();
    fakes.configure = (w) => (w.drainMs = 20);
    const { primary } = await start(2, fakes);
    expect(await primary.drain(1_000)).toBe('drained');
    expect(fakes.started.map((w) => w.calls)).toEqual([['drain'], ['drain']]);
    const late = await primary.reload(await resources(V2)).catch((err: unknown) => err);
    expect(OrionError.is(late, ProxyErrorCode.RELOAD_REFUSED)).toBe(true);
  });

  it('stops the workers still draining at the drain deadline, and does not replace them', async () => {
    const fakes = fakeWorkers();
    fakes.configure = (w) => (w.drainMs = w.id === 1 ? 0 : undefined);
    const { primary } = await start(2, fakes);
    expect(await primary.drain(50)).toBe('timedOut');
    expect(fakes.started[1]?.calls).toEqual(['drain', 'destroy']);
    await tick();
    expect(fakes.started).toHaveLength(2);
  });

  it('asks every worker to reopen its logs', async () => {
    const fakes = fakeWorkers();
    const { primary } = await start(2, fakes);
    primary.reopenLogs();
    expect(fakes.started.map((w) => w.calls)).toEqual([['reopen'], ['reopen']]);
    await primary.destroy();
  });
});
