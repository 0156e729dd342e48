import cluster from 'node:cluster';
import { describe, expect, it } from 'vitest';
import { chooseListenerSharing, clusterPolicyFrom, describeListenerSharing, reusePortSupported } from '../../src/primary/listener-sharing.js';
import { PortReservations } from '../../src/primary/port-reservations.js';
import { testBootstrap } from '../support/test-config.js';

/** Node honours `reusePort` from 22.12 (22.x) and 23.1. */
function nodeHasReusePort(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

describe('listener sharing', () => {
  it('detects whether the running Node honours reusePort', async () => {
    expect(await reusePortSupported()).toBe(nodeHasReusePort());
  });

  it('serves alone with one worker, else SO_REUSEPORT where supported, else node:cluster with the chosen policy', async () => {
    expect(await chooseListenerSharing(1, {})).toEqual({ type: 'single' });
    const sharing = await chooseListenerSharing(2, { NODE_CLUSTER_SCHED_POLICY: 'none' });
    if (nodeHasReusePort()) {
      expect(sharing).toEqual({ type: 'reusePort' });
    } else {
      expect(sharing).toEqual({ type: 'cluster', policy: 'none' });
      expect(cluster.schedulingPolicy).toBe(cluster.SCHED_NONE);
      expect(await chooseListenerSharing(2, { NODE_CLUSTER_SCHED_POLICY: 'rr' })).toEqual({ type: 'cluster', policy: 'rr' });
      expect(cluster.schedulingPolicy).toBe(cluster.SCHED_RR);
      expect(await chooseListenerSharing(2, {})).toEqual({ type: 'cluster', policy: 'none' });
    }
    expect(describeListenerSharing(sharing)).toMatch(nodeHasReusePort() ? /SO_REUSEPORT/ : /node:cluster \(SCHED_NONE/);
  });

  it('takes the policy from NODE_CLUSTER_SCHED_POLICY, SCHED_NONE by default', () => {
    expect(clusterPolicyFrom({ NODE_CLUSTER_SCHED_POLICY: 'none' })).toBe('none');
    expect(clusterPolicyFrom({ NODE_CLUSTER_SCHED_POLICY: 'rr' })).toBe('rr');
    expect(clusterPolicyFrom({ NODE_CLUSTER_SCHED_POLICY: 'bogus' })).toBe('none');
    expect(clusterPolicyFrom({})).toBe('none');
  });
});

describe('PortReservations', () => {
  it('gives a port-0 listener a concrete port and keeps it for that listener', async () => {
    const bootstrap = await testBootstrap({ listeners: [{ name: 'a', route: { body: 'x' } }, { name: 'b', port: 1234, route: { body: 'y' } }] });
    const reservations = new PortReservations();
    const [a, b] = await reservations.resolve(bootstrap.staticResources.listeners);
    const port = a?.address.type === 'socket' ? a.address.port : 0;
    expect(port).toBeGreaterThan(0);
    expect(b?.address).toMatchObject({ port: 1234 });
    await reservations.release();
    const [again] = await reservations.resolve(bootstrap.staticResources.listeners);
    expect(again?.address).toMatchObject({ port });
    await reservations.release();
  });
});
