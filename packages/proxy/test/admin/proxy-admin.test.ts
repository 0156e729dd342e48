import { parseCliOptions } from '@orion/configuration';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyAdmin } from '../../src/admin/proxy-admin.js';
import { snapshotOf } from '../../src/config/configuration-snapshot.js';
import { streamLogDestination } from '../../src/logging/log-destination.js';
import { createLogger } from '../../src/logging/logger.js';
import type { Primary } from '../../src/primary/primary.js';
import { FakeWorker } from '../primary/fake-workers.js';
import { testBootstrap } from '../support/test-config.js';

const logger = createLogger({ logging: { level: 'off', components: {} }, destination: streamLogDestination({ write: () => true }) });
const admins: ProxyAdmin[] = [];
afterEach(() => {
  for (const a of admins.splice(0)) a.close();
});

async function adminWithWorkers(args: readonly string[]): Promise<{ admin: ProxyAdmin; workers: FakeWorker[] }> {
  const bootstrap = await testBootstrap({ listeners: [{ name: 'main', route: { body: 'x' } }] });
  const snapshot = snapshotOf(bootstrap);
  const workers = [1, 2].map((workerId) => new FakeWorker({ workerId, workers: 2, reusePort: false, snapshot, logging: bootstrap.logging }));
  const admin = new ProxyAdmin({ options: parseCliOptions(['-c', 'envoy.yaml', ...args]), bootstrap, logger, workers: 2, quit: () => undefined, reopenLogs: () => undefined });
  admins.push(admin);
  // The part of Primary the admin reads.
  const primary = { snapshot, workers: new Map(workers.map((w) => [w.id, w])), addresses: () => new Map() } as unknown as Primary;
  admin.attach(primary);
  return { admin, workers };
}

describe('ProxyAdmin /drain_listeners', () => {
  it('relays the drain period and strategy to every worker, ignores a second graceful drain (as Envoy) and keeps the state LIVE', async () => {
    const { admin, workers } = await adminWithWorkers(['--drain-time-s', '30', '--drain-strategy', 'immediate']);
    admin.drainListeners({ graceful: true, inboundOnly: true });
    admin.drainListeners({ graceful: true, inboundOnly: false });
    admin.drainListeners({ graceful: false, inboundOnly: false });
    for (const w of workers) expect(w.calls).toEqual(['drain-listeners graceful inbound 30000 immediate', 'drain-listeners 30000 immediate']);
    expect(admin.state()).toBe('LIVE');
  });
});
