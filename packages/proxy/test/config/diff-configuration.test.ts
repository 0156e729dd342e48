import { describe, expect, it } from 'vitest';
import { applyConfigurationChanges } from '../../src/config/apply-configuration-changes.js';
import { snapshotOf, type ConfigurationSnapshot } from '../../src/config/configuration-snapshot.js';
import { diffConfiguration } from '../../src/config/diff-configuration.js';
import { describeChanges } from '../../src/config/describe-changes.js';
import { configEqual } from '@orion/lib';
import { testBootstrap, type TestConfig } from '../support/test-config.js';

async function snapshot(config: TestConfig): Promise<ConfigurationSnapshot> {
  return snapshotOf(await testBootstrap(config));
}

describe('diffConfiguration', () => {
  it('sends a route change, not a listener change, when only an inline route table differs', async () => {
    const before = await snapshot({ listeners: [{ name: 'a', route: { body: 'v1' } }] });
    const after = await snapshot({ listeners: [{ name: 'a', route: { body: 'v2' } }] });
    const changes = diffConfiguration(before, after);
    expect(changes.map((c) => [c.type, c.kind])).toEqual([['route', 'updated']]);
    expect(changes[0]).toMatchObject({ listener: 'a', filterChain: 0 });
    expect(describeChanges(changes)).toBe('routes of listener "a" (chain 0) updated');
  });

  it('orders additions before listener changes and removals last', async () => {
    const before = await snapshot({ listeners: [{ name: 'a', route: { cluster: 'old' } }, { name: 'gone', route: { body: 'x' } }], clusters: { old: 1 } });
    const after = await snapshot({ listeners: [{ name: 'a', route: { cluster: 'new' }, serverName: 'other' }, { name: 'b', route: { body: 'y' } }], clusters: { new: 2 } });
    const changes = diffConfiguration(before, after);
    expect(changes.map((c) => `${c.type} ${c.kind}`)).toEqual(['cluster added', 'listener updated', 'listener added', 'listener removed', 'cluster removed']);
    expect(describeChanges(changes)).toBe('cluster "new" added; listener "a" updated; listener "b" added; listener "gone" removed; cluster "old" removed');
  });

  it('is empty for equal configurations', async () => {
    const config: TestConfig = { listeners: [{ name: 'a', route: { cluster: 'c' } }], clusters: { c: 1 } };
    expect(diffConfiguration(await snapshot(config), await snapshot(config))).toEqual([]);
  });
});

describe('applyConfigurationChanges', () => {
  it('turns the old snapshot into the new one, and applying the same changes again changes nothing', async () => {
    const before = await snapshot({ listeners: [{ name: 'a', route: { body: 'v1' } }, { name: 'gone', route: { body: 'x' } }], clusters: { old: 1 } });
    const after = await snapshot({ listeners: [{ name: 'a', route: { body: 'v2' } }, { name: 'b', route: { cluster: 'new' } }], clusters: { new: 2 } });
    const changes = diffConfiguration(before, after);
    const applied = applyConfigurationChanges(before, changes, 2);
    expect(applied.version).toBe(2);
    expect(configEqual({ ...applied, version: 0 }, { ...after, version: 0 })).toBe(true);
    expect(Object.isFrozen(applied.listeners[0])).toBe(true);
    expect(before.listeners.map((l) => l.name)).toEqual(['a', 'gone']);
    expect(configEqual(applyConfigurationChanges(applied, changes, 2), applied)).toBe(true);
  });

  it('survives the IPC channel: changes sent as JSON give the same snapshot', async () => {
    const before = await snapshot({ listeners: [{ name: 'a', route: { body: 'v1' } }] });
    const after = await snapshot({ listeners: [{ name: 'a', route: { cluster: 'c' } }, { name: 'b', route: { body: 'y' } }], clusters: { c: 3 } });
    const changes = diffConfiguration(before, after);
    const wired = JSON.parse(JSON.stringify(changes)) as typeof changes;
    expect(configEqual(applyConfigurationChanges(before, wired, 2), applyConfigurationChanges(before, changes, 2))).toBe(true);
  });

  it('refuses a route change for a listener it does not have', async () => {
    const before = await snapshot({ listeners: [{ name: 'a', route: { body: 'v1' } }] });
    const after = await snapshot({ listeners: [{ name: 'a', route: { body: 'v2' } }] });
    const [change] = diffConfiguration(before, after);
    expect(() => applyConfigurationChanges(before, [{ ...(change as object), listener: 'missing' } as never], 2)).toThrow(/listener "missing".*no such listener/);
  });
});
