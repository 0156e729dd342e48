import { CLUSTER_STATS_LAYOUT, StatsSync } from '@orion/lib';
import { createStatsStore } from '@orion/metrics';
import { describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../src/primary/worker-handle.js';
import { mergeClusterStatuses, StatsAggregator } from '../../src/stats/stats-aggregator.js';
import type { ClusterStatus } from '../../src/stats/cluster-status.js';
import type { WorkerStats } from '../../src/worker/worker-messages.js';
import { createLogger } from '../../src/logging/logger.js';
import { streamLogDestination } from '../../src/logging/log-destination.js';

const logger = createLogger({ logging: { level: 'off', components: {} }, destination: streamLogDestination({ write: () => true }) });

function workerStats(requests: number, connections: number): WorkerStats {
  const store = createStatsStore();
  store.counter('http.in.downstream_rq_total').add(requests);
  store.gauge('http.in.downstream_cx_active').set(connections);
  return { snapshot: store.snapshot(), clusters: [] };
}

/** A worker handle that answers stats with what the test sets (or never, when `silent`). */
function handle(id: number, answer: () => WorkerStats | 'silent'): WorkerHandle {
  return {
    id,
    pid: 100 + id,
    ready: Promise.resolve({ addresses: [] }),
    exited: new Promise(() => undefined),
    apply: () => Promise.resolve(),
    resync: () => Promise.resolve(),
    drain: () => undefined,
    destroy: () => undefined,
    reopenLogs: () => undefined,
    stats: (timeoutMs) => {
      const a = answer();
      return a === 'silent' ? new Promise((resolve) => setTimeout(() => resolve(undefined), timeoutMs)) : Promise.resolve(a);
    },
    resetCounters: () => undefined,
    drainListeners: () => undefined,
    setLogLevels: () => undefined,
  };
}

function value(snapshot: { counters: readonly { name: string; value: number }[]; gauges: readonly { name: string; value: number }[] }, name: string): number | undefined {
  return [...snapshot.counters, ...snapshot.gauges].find((s) => s.name === name)?.value;
}

describe('StatsAggregator', () => {
  it('sums the workers with the primary, and a silent worker is answered around with its last snapshot', async () => {
    const primary = createStatsStore({ origin: 'primary' });
    primary.gauge('server.live', 'neverImport').set(1);
    let second: WorkerStats | 'silent' = workerStats(3, 1);
    const workers = new Map([
      [1, handle(1, () => workerStats(5, 2))],
      [2, handle(2, () => second)],
    ]);
    const aggregator = new StatsAggregator({ workers: () => workers, primary: () => primary.snapshot(), logger, timeoutMs: 50 });
    const first = await aggregator.collect();
    expect([value(first.snapshot, 'http.in.downstream_rq_total'), value(first.snapshot, 'http.in.downstream_cx_active'), value(first.snapshot, 'server.live')]).toEqual([8, 3, 1]);
    second = 'silent';
    const started = Date.now();
    const next = await aggregator.collect();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(next.missing).toEqual([2]);
    expect(value(next.snapshot, 'http.in.downstream_rq_total')).toBe(8);
  });

  it('folds a replaced worker\'s counters into the totals (never backwards) and drops its gauges', async () => {
    const primary = createStatsStore({ origin: 'primary' });
    const workers = new Map([[1, handle(1, () => workerStats(7, 4))]]);
    const aggregator = new StatsAggregator({ workers: () => workers, primary: () => primary.snapshot(), logger });
    expect(value((await aggregator.collect()).snapshot, 'http.in.downstream_rq_total')).toBe(7);
    workers.set(1, handle(1, () => workerStats(2, 1)));
    const after = await aggregator.collect();
    expect(value(after.snapshot, 'http.in.downstream_rq_total')).toBe(9);
    expect(value(after.snapshot, 'http.in.downstream_cx_active')).toBe(1);
    aggregator.resetCounters();
    workers.set(1, handle(1, () => workerStats(0, 1)));
    expect(value((await aggregator.collect()).snapshot, 'http.in.downstream_rq_total')).toBe(0);
  });
});

describe('mergeClusterStatuses', () => {
  it('adds per-host stats of the same host over the workers', () => {
    const status = (rq: number): ClusterStatus => ({
      name: 'backend',
      observabilityName: 'backend',
      circuitBreakers: {
        default: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
        high: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
      },
      hosts: [
        {
          address: '127.0.0.1:80',
          hostname: '',
          weight: 1,
          priority: 0,
          region: '',
          zone: '',
          subZone: '',
          healthFlags: ['healthy'],
          stats: { cx_active: 1, cx_connect_fail: 0, cx_total: 1, rq_active: 0, rq_error: 0, rq_success: rq, rq_timeout: 0, rq_total: rq },
        },
      ],
    });
    const merged = mergeClusterStatuses([[status(2)], [status(3)]]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.hosts[0]?.stats).toMatchObject({ cx_active: 2, cx_total: 2, rq_success: 5, rq_total: 5 });
  });
});

describe('aggregation by import mode', () => {
  it("takes one worker's cluster membership gauges (lib registers them NeverImport) and sums the in-flight ones", async () => {
    const primary = createStatsStore({ origin: 'primary' });
    const member = (): WorkerStats => {
      const store = createStatsStore();
      const sync = new StatsSync(store);
      sync.beginRound();
      sync.track({ membership_total: 3, membership_healthy: 3, max_host_weight: 2, upstream_cx_active: 2 }, 'cluster.backend', CLUSTER_STATS_LAYOUT);
      sync.sync();
      return { snapshot: store.snapshot(), clusters: [] };
    };
    const workers = new Map([
      [1, handle(1, member)],
      [2, handle(2, member)],
    ]);
    const aggregator = new StatsAggregator({ workers: () => workers, primary: () => primary.snapshot(), logger });
    const { snapshot } = await aggregator.collect();
    expect(value(snapshot, 'cluster.backend.membership_total')).toBe(3);
    expect(value(snapshot, 'cluster.backend.membership_healthy')).toBe(3);
    expect(value(snapshot, 'cluster.backend.max_host_weight')).toBe(2);
    expect(value(snapshot, 'cluster.backend.upstream_cx_active')).toBe(4);
  });
});
