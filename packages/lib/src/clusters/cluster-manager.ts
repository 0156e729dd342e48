import type { Cluster, ClusterLoadAssignment } from '@orion/configuration';
import { OrionError } from '@orion/error';
import type { StatsStore } from '@orion/metrics';
import { LibErrorCode } from '../error-codes.js';
import { configEqual } from './config-equal.js';
import { systemDnsResolver, type DnsResolver } from './dns-resolver.js';
import type { RandomSource } from './load-balancers/host-picker.js';
import { ManagedCluster, type UpstreamCluster } from './upstream-cluster.js';

/** Options of {@link ClusterManager.create}. */
export interface ClusterManagerOptions {
  /** Aborting it closes the manager (timers cleared, clusters' signals aborted). */
  readonly signal?: AbortSignal;
  /** Resolver for STRICT_DNS / LOGICAL_DNS clusters. Default: {@link systemDnsResolver}. */
  readonly resolver?: DnsResolver;
  /** Random numbers in [0, 1) for load balancing. Default `Math.random`. */
  readonly random?: RandomSource;
  /**
   * Worker processes running a cluster manager each: circuit-breaker limits are split as `ceil(limit / workers)`
   * (an Orion difference from Envoy, whose limits are process-wide). Default 1.
   */
  readonly workers?: number;
  /** Where clusters record their per-request stats (`cluster.<stat_name>.upstream_rq_<code>`, `upstream_rq_time`). Default none. */
  readonly stats?: StatsStore;
}

/** What {@link ClusterManager.update} did, by cluster name. */
export interface ClusterUpdateResult {
  /** New clusters. */
  readonly added: readonly string[];
  /** Clusters whose configuration changed: rebuilt, the old instance closed. */
  readonly updated: readonly string[];
  /** Clusters no longer configured: closed. */
  readonly removed: readonly string[];
  /** Clusters with the same configuration: kept with their hosts, counters and load-balancer state. */
  readonly unchanged: readonly string[];
}

/**
 * The upstream clusters of a worker. Envoy: `ClusterManager` (primary clusters and CDS updates, each cluster warming
 * before it is used). Clusters are immutable snapshots: a changed cluster is rebuilt and swapped in by reference,
 * and the replaced instance's `signal` aborts so its connection pools can drain.
 *
 * ```ts
 * const clusters = ClusterManager.create(config.clusters);
 * await clusters.ready();
 * const host = clusters.get('backend')?.chooseHost();
 * ```
 */
export class ClusterManager {
  #clusters = new Map<string, ManagedCluster>();
  readonly #resolver: DnsResolver;
  readonly #random: RandomSource;
  readonly #workers: number;
  readonly #stats: StatsStore | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => void this.close();
  #ready: Promise<void>;
  #updating: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(options: ClusterManagerOptions) {
    this.#resolver = options.resolver ?? systemDnsResolver;
    this.#random = options.random ?? Math.random;
    this.#workers = options.workers ?? 1;
    this.#stats = options.stats;
    this.#signal = options.signal;
    this.#ready = Promise.resolve();
  }

  /**
   * Builds every cluster and starts their discovery (initial DNS resolutions run in the background; see
   * {@link ready}). Throws `ORION_ERR_LIB_CLUSTER_DUPLICATE` for a repeated name and the cluster's own error
   * (`ORION_ERR_LIB_CLUSTER_INVALID`, `ORION_ERR_LIB_CLUSTER_UNSUPPORTED`) with the cluster named in its context.
   */
  static create(clusters: readonly Cluster[], options: ClusterManagerOptions = {}): ClusterManager {
    const manager = new ClusterManager(options);
    const built = manager.#build(clusters);
    manager.#clusters = built;
    manager.#ready = settleAll([...built.values()].map((c) => c.initialized));
    if (options.signal !== undefined) {
      if (options.signal.aborted) void manager.close();
      else options.signal.addEventListener('abort', manager.#onAbort, { once: true });
    }
    return manager;
  }

  /** Resolves when every cluster has finished its first host discovery (DNS clusters: the first resolution round, whatever its outcome). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** The cluster named `name`, or undefined (the router answers 503 `NC` "no cluster found" then). */
  get(name: string): UpstreamCluster | undefined {
    return this.#clusters.get(name);
  }

  /** Every cluster, in configuration order. */
  get clusters(): readonly UpstreamCluster[] {
    return [...this.#clusters.values()];
  }

  /**
   * Applies a new set of clusters (CDS state of the world): new ones are added, changed ones rebuilt, missing ones
   * removed, unchanged ones kept with their state. New and changed clusters warm (first DNS round) before they are
   * swapped in. Updates are applied one at a time, in call order. Rejects, changing nothing, when a cluster cannot
   * be built, and with `ORION_ERR_LIB_MANAGER_CLOSED` after {@link close}.
   */
  update(clusters: readonly Cluster[]): Promise<ClusterUpdateResult> {
    const run = this.#updating.then(() => this.#update(clusters));
    this.#updating = run.catch(() => undefined);
    return run;
  }

  /**
   * Replaces the endpoints of an EDS cluster (an EDS `ClusterLoadAssignment`). Returns false when there is no EDS
   * cluster of that name; throws like {@link create} for unusable endpoints.
   */
  updateLoadAssignment(clusterName: string, assignment: ClusterLoadAssignment): boolean {
    this.#assertOpen();
    const cluster = this.#clusters.get(clusterName);
    if (cluster === undefined || cluster.config.discovery.type !== 'eds') return false;
    try {
      cluster.setLoadAssignment(assignment);
    } catch (err) {
      throw OrionError.from(err).withContext(`updating the endpoints of cluster ${JSON.stringify(clusterName)}`);
    }
    return true;
  }

  /** Stops every cluster's discovery and timers and aborts their signals. Idempotent. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const cluster of this.#clusters.values()) cluster.close();
    this.#clusters.clear();
    return Promise.resolve();
  }

  async #update(clusters: readonly Cluster[]): Promise<ClusterUpdateResult> {
    this.#assertOpen();
    const keep = new Map<string, ManagedCluster>();
    const fresh: Cluster[] = [];
    const seen = new Set<string>();
    for (const config of clusters) {
      if (seen.has(config.name)) throw duplicate(config.name);
      seen.add(config.name);
      const current = this.#clusters.get(config.name);
      if (current !== undefined && configEqual(current.config, config)) keep.set(config.name, current);
      else fresh.push(config);
    }
    const built = this.#build(fresh);
    await settleAll([...built.values()].map((c) => c.initialized));
    if (this.#closed) {
      for (const c of built.values()) c.close();
      throw closedError();
    }
    const added: string[] = [];
    const updated: string[] = [];
    const removed: string[] = [];
    const next = new Map<string, ManagedCluster>();
    for (const config of clusters) {
      const cluster = keep.get(config.name) ?? (built.get(config.name) as ManagedCluster);
      next.set(config.name, cluster);
      const old = this.#clusters.get(config.name);
      if (old === undefined) added.push(config.name);
      else if (old !== cluster) updated.push(config.name);
    }
    for (const [name, old] of this.#clusters) {
      if (!next.has(name)) removed.push(name);
      if (next.get(name) !== old) old.close();
    }
    this.#clusters = next;
    return { added, updated, removed, unchanged: [...keep.keys()] };
  }

  #build(clusters: readonly Cluster[]): Map<string, ManagedCluster> {
    const built = new Map<string, ManagedCluster>();
    try {
      for (const config of clusters) {
        if (built.has(config.name)) throw duplicate(config.name);
        try {
          built.set(config.name, new ManagedCluster(config, { resolver: this.#resolver, random: this.#random, workers: this.#workers, stats: this.#stats }));
        } catch (err) {
          throw OrionError.from(err, LibErrorCode.CLUSTER_INVALID).withContext(`building cluster ${JSON.stringify(config.name)}`, { cluster: config.name });
        }
      }
    } catch (err) {
      for (const c of built.values()) c.close();
      throw err;
    }
    return built;
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError();
  }
}

function duplicate(name: string): OrionError {
  return new OrionError(LibErrorCode.CLUSTER_DUPLICATE, `cluster ${JSON.stringify(name)} is defined more than once`, { details: { cluster: name } });
}

function closedError(): OrionError {
  return new OrionError(LibErrorCode.MANAGER_CLOSED, 'the cluster manager is closed');
}

async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  await Promise.allSettled(promises);
}
