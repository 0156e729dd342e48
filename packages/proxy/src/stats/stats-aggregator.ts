import { aggregateSnapshots, type StatsSnapshot } from '@orion/metrics';
import type { Logger } from '../logging/logger.js';
import type { WorkerHandle } from '../primary/worker-handle.js';
import type { WorkerStats } from '../worker/worker-messages.js';
import type { ClusterStatus, HostStatus } from './cluster-status.js';

/** How long the primary waits for a worker's stats before answering without them. Default 1000 ms. */
export const DEFAULT_STATS_REQUEST_TIMEOUT_MS = 1_000;

/** The aggregate the admin API and the stats sink read. */
export interface AggregatedStats {
  /** The primary's store, the workers' latest snapshots and what replaced workers had counted. */
  readonly snapshot: StatsSnapshot;
  /** Every cluster with per-host stats summed over the workers that answered. */
  readonly clusters: readonly ClusterStatus[];
  /** Workers that did not answer in time (their last snapshot, if any, was used). */
  readonly missing: readonly number[];
}

/** Keeps counters and histograms (totals), drops gauges (what a dead worker held is gone with it). */
function retiredPart(snapshot: StatsSnapshot): StatsSnapshot {
  return { ...snapshot, gauges: [] };
}

function sumHosts(into: Map<string, HostStatus>, hosts: readonly HostStatus[]): void {
  for (const host of hosts) {
    const seen = into.get(host.address);
    if (seen === undefined) {
      into.set(host.address, host);
      continue;
    }
    const a = seen.stats;
    const b = host.stats;
    into.set(host.address, {
      ...seen,
      stats: {
        cx_active: a.cx_active + b.cx_active,
        cx_connect_fail: a.cx_connect_fail + b.cx_connect_fail,
        cx_total: a.cx_total + b.cx_total,
        rq_active: a.rq_active + b.rq_active,
        rq_error: a.rq_error + b.rq_error,
        rq_success: a.rq_success + b.rq_success,
        rq_timeout: a.rq_timeout + b.rq_timeout,
        rq_total: a.rq_total + b.rq_total,
      },
    });
  }
}

/** Sums the cluster statuses of several workers: same clusters and hosts, per-host stats added. */
export function mergeClusterStatuses(perWorker: readonly (readonly ClusterStatus[])[]): ClusterStatus[] {
  const order: string[] = [];
  const clusters = new Map<string, { status: ClusterStatus; hosts: Map<string, HostStatus> }>();
  for (const statuses of perWorker) {
    for (const status of statuses) {
      let entry = clusters.get(status.name);
      if (entry === undefined) {
        entry = { status, hosts: new Map() };
        clusters.set(status.name, entry);
        order.push(status.name);
      }
      sumHosts(entry.hosts, status.hosts);
    }
  }
  return order.map((name) => {
    const entry = clusters.get(name) as { status: ClusterStatus; hosts: Map<string, HostStatus> };
    return { ...entry.status, hosts: [...entry.hosts.values()] };
  });
}

/**
 * Collects the workers' stats for the primary. Each request asks every worker (over IPC, or directly with one
 * process) and waits at most `timeoutMs`; a worker that does not answer in time is counted as missing and its last
 * answer stands in, so a dead or slow worker never holds up `/stats`. When a worker is replaced, the counters and
 * histograms of its last answer are folded into a retired total, so aggregated counters never go backwards (what
 * it counted after its last answer is lost; its gauges are dropped, as what it held is gone with it).
 */
export class StatsAggregator {
  readonly #workers: () => ReadonlyMap<number, WorkerHandle>;
  readonly #primary: () => StatsSnapshot;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #latest = new Map<WorkerHandle, WorkerStats>();
  #retired: StatsSnapshot | undefined;

  constructor(options: {
    readonly workers: () => ReadonlyMap<number, WorkerHandle>;
    readonly primary: () => StatsSnapshot;
    readonly logger: Logger;
    readonly timeoutMs?: number;
  }) {
    this.#workers = options.workers;
    this.#primary = options.primary;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_STATS_REQUEST_TIMEOUT_MS;
  }

  /**
   * Asks every worker for its stats and aggregates them with the primary's own; `beforeAggregate` sees the workers'
   * snapshots first (the primary derives `server.total_connections` from them).
   */
  async collect(beforeAggregate?: (workers: readonly StatsSnapshot[]) => void): Promise<AggregatedStats> {
    const handles = [...this.#workers().values()];
    const answers = await Promise.all(handles.map((h) => h.stats(this.#timeoutMs)));
    const missing: number[] = [];
    handles.forEach((h, i) => {
      const answer = answers[i];
      if (answer === undefined) missing.push(h.id);
      else this.#latest.set(h, answer);
    });
    if (missing.length > 0) this.#logger.debug(`stats: no answer from worker(s) ${missing.join(', ')}; using their last snapshot`);
    const current = new Set(handles);
    for (const [handle, stats] of [...this.#latest]) {
      if (current.has(handle)) continue;
      this.#latest.delete(handle);
      const part = retiredPart(stats.snapshot);
      this.#retired = this.#retired === undefined ? part : retiredPart(aggregateSnapshots([this.#retired, part]));
    }
    const live = handles.map((h) => this.#latest.get(h)).filter((s): s is WorkerStats => s !== undefined);
    beforeAggregate?.(live.map((s) => s.snapshot));
    const snapshots = [this.#primary(), ...(this.#retired === undefined ? [] : [this.#retired]), ...live.map((s) => s.snapshot)];
    return { snapshot: aggregateSnapshots(snapshots), clusters: mergeClusterStatuses(live.map((s) => s.clusters)), missing };
  }

  /** `/reset_counters`: the retired totals go too (the workers reset their own). */
  resetCounters(): void {
    const retired = this.#retired;
    if (retired !== undefined) this.#retired = { ...retired, counters: retired.counters.map((c) => ({ ...c, value: 0 })) };
    for (const [handle, stats] of this.#latest) {
      this.#latest.set(handle, { ...stats, snapshot: { ...stats.snapshot, counters: stats.snapshot.counters.map((c) => ({ ...c, value: 0 })) } });
    }
  }
}
