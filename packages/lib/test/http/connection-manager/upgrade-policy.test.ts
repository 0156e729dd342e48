import { describe, expect, it } from 'vitest';
import { isUpgradeAllowed } from '../../../src/http/connection-manager/upgrade-policy.js';

const ws = (enabled: boolean) => ({ upgradeType: 'websocket', enabled });

describe('isUpgradeAllowed', () => {
  it('follows the connection manager when the route says nothing', () => {
    expect(isUpgradeAllowed('websocket', [ws(true)], [])).toBe(true);
    expect(isUpgradeAllowed('websocket', [ws(false)], undefined)).toBe(false);
    expect(isUpgradeAllowed('websocket', [], [])).toBe(false);
    expect(isUpgradeAllowed('h2c', [ws(true)], [])).toBe(false);
  });

  it('lets the route enable or disable an upgrade, as Envoy\'s createUpgradeFilterChain does', () => {
    expect(isUpgradeAllowed('websocket', [ws(true)], [ws(false)])).toBe(false);
    expect(isUpgradeAllowed('websocket', [ws(false)], [ws(true)])).toBe(true);
    expect(isUpgradeAllowed('websocket', [], [ws(true)])).toBe(true);
  });

  it('compares upgrade types case-insensitively', () => {
    expect(isUpgradeAllowed('websocket', [{ upgradeType: 'WebSocket', enabled: true }], [])).toBe(true);
  });
});
