import { describe, expect, it } from 'vitest';
import { ClusterManager, xxHash64 } from '../../src/clusters/index.js';
import { EdfScheduler } from '../../src/clusters/load-balancers/edf-scheduler.js';
import { seededRandom, staticCluster, tally } from './cluster-config.js';

const zero = (): number => 0;

function manager(...args: Parameters<typeof staticCluster>): ClusterManager {
  return ClusterManager.create([staticCluster(...args)], { random: seededRandom(7) });
}

describe('xxHash64', () => {
  it.each([
    ['', 0xef46db3751d8e999n],
    ['a', 0xd24ec4f1a98c6e5bn],
    ['abc', 0x44bc2cf5ad770999n],
    ['Nobody inspects the spammish repetition', 0xfbcea83c8a378bf1n],
  ])('hashes %j like the reference implementation', (input, expected) => {
    expect(xxHash64(input)).toBe(expected);
  });
});

describe('EdfScheduler', () => {
  it('interleaves by weight, ties to the entry queued first', () => {
    const edf = new EdfScheduler<string>();
    edf.add('a', 3);
    edf.add('b', 1);
    const picks = Array.from({ length: 8 }, () => edf.pickAndAdd());
    expect(picks.filter((p) => p === 'a')).toHaveLength(6);
    expect(picks.slice(0, 4).join('')).toBe('aaba');
  });
});

describe('RoundRobinLoadBalancer', () => {
  it('cycles through equally weighted hosts in order', () => {
    const m = ClusterManager.create([staticCluster('c', [{ port: 1 }, { port: 2 }, { port: 3 }])], { random: zero });
    const c = m.get('c');
    expect(Array.from({ length: 6 }, () => c?.chooseHost()?.label)).toEqual([
      '127.0.0.1:1',
      '127.0.0.1:2',
      '127.0.0.1:3',
      '127.0.0.1:1',
      '127.0.0.1:2',
      '127.0.0.1:3',
    ]);
  });

  it('spreads picks exactly by weight, smoothly', () => {
    const m = ClusterManager.create([staticCluster('c', [{ port: 1, weight: 3 }, { port: 2, weight: 1 }])], { random: zero });
    const c = m.get('c');
    const picks = Array.from({ length: 400 }, () => c?.chooseHost()?.label);
    expect(picks.filter((p) => p === '127.0.0.1:1')).toHaveLength(300);
    // Interleaved, not in blocks: the light host comes at least every fifth pick.
    expect(picks.join(',')).not.toContain(Array(5).fill('127.0.0.1:1').join(','));
    expect(picks.slice(0, 4)).toEqual(['127.0.0.1:1', '127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:1']);
  });
});

describe('RandomLoadBalancer', () => {
  it('picks every host about equally, ignoring weights', () => {
    const m = manager('c', [{ port: 1, weight: 9 }, { port: 2 }], { type: 'random' });
    const counts = tally(() => m.get('c')?.chooseHost(), 10_000);
    expect(counts['127.0.0.1:1']).toBeGreaterThan(4500);
    expect(counts['127.0.0.1:2']).toBeGreaterThan(4500);
  });
});

describe('LeastRequestLoadBalancer', () => {
  it('prefers the host with fewer active requests', () => {
    const m = manager('c', [{ port: 1 }, { port: 2 }], { type: 'leastRequest', choiceCount: 2 });
    const c = m.get('c');
    const busy = c?.hosts.find((h) => h.label === '127.0.0.1:1');
    for (let i = 0; i < 5; i++) busy?.requestStarted();
    const counts = tally(() => c?.chooseHost(), 1000);
    // Only draws of the busy host twice pick it: about a quarter.
    expect(counts['127.0.0.1:2']).toBeGreaterThan(700);
    expect(counts['127.0.0.1:1']).toBeLessThan(300);
    for (let i = 0; i < 5; i++) busy?.requestFinished('success');
    expect(busy?.counters).toMatchObject({ rq_total: 5, rq_active: 0, rq_success: 5 });
    expect(c?.counters).toMatchObject({ upstream_rq_total: 5, upstream_rq_active: 0 });
  });

  it('weighs unequal hosts by weight over active requests', () => {
    const m = manager('c', [{ port: 1, weight: 2 }, { port: 2, weight: 1 }], { type: 'leastRequest', choiceCount: 2 });
    const c = m.get('c');
    const counts = tally(() => c?.chooseHost(), 9000);
    expect(counts['127.0.0.1:1']).toBeGreaterThan(5500);
    // With one request on the heavy host its effective weight equals the light one's.
    c?.hosts.find((h) => h.label === '127.0.0.1:1')?.requestStarted();
    const loaded = tally(() => c?.chooseHost(), 10_000);
    expect(loaded['127.0.0.1:1']).toBeGreaterThan(4500);
    expect(loaded['127.0.0.1:1']).toBeLessThan(5500);
  });
});

describe('RingHashLoadBalancer', () => {
  const policy = { type: 'ringHash', minimumRingSize: 1024, maximumRingSize: 8_388_608 } as const;
  const hosts = [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }];

  it('sends the same hash key to the same host', () => {
    const c = manager('c', hosts, policy).get('c');
    for (let k = 0n; k < 50n; k++) {
      const key = xxHash64(`user-${k}`);
      const first = c?.chooseHost({ hashKey: key });
      expect(c?.chooseHost({ hashKey: key })).toBe(first);
    }
  });

  it('spreads keys over hosts and keeps most keys in place when a host leaves', async () => {
    const m = manager('c', hosts, policy);
    const keys = Array.from({ length: 2000 }, (_, i) => xxHash64(`k${i}`));
    const before = keys.map((hashKey) => m.get('c')?.chooseHost({ hashKey })?.label);
    const counts = tally(() => undefined, 0);
    for (const l of before) counts[l ?? 'none'] = (counts[l ?? 'none'] ?? 0) + 1;
    for (const h of ['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3', '127.0.0.1:4']) expect(counts[h]).toBeGreaterThan(300);
    await m.update([staticCluster('c', hosts.slice(0, 3), policy)]);
    const after = keys.map((hashKey) => m.get('c')?.chooseHost({ hashKey })?.label);
    // The removed host's keys move; of the others only those taken by the remaining hosts' extra ring entries
    // move (the ring is rebuilt at a size that depends on the host count, as in Envoy).
    const kept = keys.filter((_, i) => before[i] !== '127.0.0.1:4');
    const moved = keys.filter((_, i) => before[i] !== after[i] && before[i] !== '127.0.0.1:4');
    expect(moved.length).toBeLessThan(kept.length * 0.2);
    expect(after).not.toContain('127.0.0.1:4');
    await m.close();
  });
});

describe('MaglevLoadBalancer', () => {
  const policy = { type: 'maglev', tableSize: 65_537 } as const;

  it('fills the table in proportion to weight and keeps keys stable', () => {
    const c = manager('c', [{ port: 1, weight: 1 }, { port: 2, weight: 3 }], policy).get('c');
    const keys = Array.from({ length: 4000 }, (_, i) => xxHash64(`m${i}`));
    const labels = keys.map((hashKey) => c?.chooseHost({ hashKey })?.label);
    const heavy = labels.filter((l) => l === '127.0.0.1:2').length;
    expect(heavy).toBeGreaterThan(2700);
    expect(heavy).toBeLessThan(3300);
    expect(keys.map((hashKey) => c?.chooseHost({ hashKey })?.label)).toEqual(labels);
  });
});
