import type { Listener } from '@orion/configuration';
import { describe, expect, it } from 'vitest';
import { inlineRouteChanges } from '../../src/data-plane/listener-route-changes.js';
import { proxyConfig } from './support.js';

async function mainListener(options: Parameters<typeof proxyConfig>[0]): Promise<Listener> {
  const listener = (await proxyConfig(options)).staticResources.listeners[0];
  if (listener === undefined) throw new Error('no listener');
  return listener;
}

describe('inlineRouteChanges', () => {
  it('returns the new route table of each chain whose inline routes alone changed', async () => {
    const before = await mainListener({ route: { body: 'v1' } });
    const after = await mainListener({ route: { body: 'v2' } });
    const changes = inlineRouteChanges(before, after);
    expect(changes).toHaveLength(1);
    expect(changes?.[0]?.filterChain).toBe(0);
    const hcm = after.filterChains[0]?.filters[0];
    expect(hcm?.type === 'httpConnectionManager' && hcm.routeSpecifier.type === 'inline' ? hcm.routeSpecifier.routeConfiguration : undefined).toBe(changes?.[0]?.routeConfiguration);
  });

  it('returns no change for equal listeners', async () => {
    expect(inlineRouteChanges(await mainListener({ route: { body: 'v1' } }), await mainListener({ route: { body: 'v1' } }))).toEqual([]);
  });

  it('returns undefined when anything besides the routes changed', async () => {
    expect(inlineRouteChanges(await mainListener({ route: { body: 'v1' } }), await mainListener({ route: { body: 'v2' }, serverName: 'other' }))).toBeUndefined();
    expect(inlineRouteChanges(await mainListener({ route: { body: 'v1' } }), await mainListener({ route: { body: 'v1' }, port: 1 }))).toBeUndefined();
  });
});
