import type { Cluster, ClusterLoadAssignment } from '@orion/configuration';
import { OrionError } from '@orion/error';
import type { StatsStore } from '@orion/metrics';
import { ClusterRequestStats } from '../stats/cluster-request-stats.js';
import { LibErrorCode } from '../error-codes.js';
import { createClusterCounters, type ClusterCounters } from './cluster-counters.js';
import { clusterLimits, type ClusterLimitsByPriority } from './cluster-limits.js';
import type { DnsResolver } from './dns-resolver.js';
import { DnsDiscovery } from './discovery/dns-discovery.js';
import { hostsFromLoadAssignment } from './discovery/load-assignment-hosts.js';
import { parseOriginalDst } from './discovery/original-dst-address.js';
import type { LoadBalancerContext } from './load-balancer-context.js';
import type { RandomSource } from './load-balancers/host-picker.js';
import { healthClass, PrioritySet, type PriorityLevel } from './priority-set.js';
import { upstreamAddressLabel } from './upstream-address.js';
import { Host, type HostSpec, type UpstreamHost } from './upstream-host.js';

/** Called after a cluster's hosts changed, with the hosts that joined and left. */
export type MembershipListener = (added: readonly UpstreamHost[], removed: readonly UpstreamHost[]) => void;

/**
 * One upstream cluster: its hosts, load balancer and counters. Envoy: `Upstream::Cluster` + its thread-local
 * load balancer. Obtained from {@link ClusterManager.get}; replaced (not mutated) when its configuration changes.
 */
export interface UpstreamCluster {
  /** `name`. */
  readonly name: string;
  /** `alt_stat_name`, else the name: the name in stats and `%UPSTREAM_CLUSTER%`. */
  readonly statName: string;
  /** The same as {@link statName} (the name `%UPSTREAM_CLUSTER%` prints). */
  readonly observabilityName: string;
  /** The configuration it was built from. */
  readonly config: Cluster;
  /**
   * Counters with Envoy's names. Membership and DNS counters are the cluster's; connection and request counters move
   * through {@link UpstreamHost}'s methods; the overflow counters are the callers' to increment.
   */
  readonly counters: ClusterCounters;
  /** Per-request stats beyond the plain counters (`upstream_rq_<code>`, `upstream_rq_time`) and the retry budget. */
  readonly stats: ClusterRequestStats;
  /** Every host, whatever its health. */
  readonly hosts: readonly UpstreamHost[];
  /** Hosts by priority with their health split. */
  readonly priorities: readonly PriorityLevel[];
  /** Circuit-breaker limits (this worker's share) by routing priority; enforced by the callers that open connections and send requests. */
  readonly limits: ClusterLimitsByPriority;
  /** Aborted when the cluster is removed, replaced by an update, or its manager closes: release its pools then. */
  readonly signal: AbortSignal;
  /**
   * Chooses a host for one request or connection, or undefined when none is available (the caller answers 503 /
   * closes with response flag `UH`, "no healthy upstream"; `upstream_cx_none_healthy` is counted here).
   */
  chooseHost(ctx?: LoadBalancerContext): UpstreamHost | undefined;
  /** Subscribes to membership changes; returns the unsubscribe function. */
  onMembershipChange(listener: MembershipListener): () => void;
}

/** What a {@link ManagedCluster} needs from its manager. */
export interface ClusterDependencies {
  readonly resolver: DnsResolver;
  readonly random: RandomSource;
  /** Worker processes sharing the limits. */
  readonly workers: number;
  /** Where `cluster.<stat_name>.*` per-request stats go; none by default. */
  readonly stats?: StatsStore | undefined;
}

const EMPTY_ASSIGNMENT_FACTOR = 140;

/** The implementation of {@link UpstreamCluster} used by the cluster manager. */
export class ManagedCluster implements UpstreamCluster {
  readonly name: string;
  readonly statName: string;
  readonly observabilityName: string;
  readonly config: Cluster;
  readonly counters: ClusterCounters = createClusterCounters();
  readonly stats: ClusterRequestStats;
  readonly limits: ClusterLimitsByPriority;
  readonly #controller = new AbortController();
  readonly #random: RandomSource;
  readonly #listeners = new Set<MembershipListener>();
  #hosts = new Map<string, Host>();
  #hostList: Host[] = [];
  #prioritySet: PrioritySet;
  #overprovisioningFactor: number;
  #dns: DnsDiscovery | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  /** Settles when the first host discovery finished (at once for all but DNS clusters). */
  readonly initialized: Promise<void>;

  /** Builds the cluster; throws `OrionError`s for endpoints it cannot use. */
  constructor(config: Cluster, deps: ClusterDependencies) {
    this.name = config.name;
    this.statName = config.statName === '' ? config.name : config.statName;
    this.observabilityName = this.statName;
    this.limits = clusterLimits(config.circuitBreakers, deps.workers);
    this.stats = new ClusterRequestStats(this.counters, this.limits.default.maxRetries, deps.stats?.scope(`cluster.${this.statName}`));
    this.config = config;
    this.#random = deps.random;
    this.#overprovisioningFactor = EMPTY_ASSIGNMENT_FACTOR;
    this.#prioritySet = new PrioritySet([], config.lbPolicy, this.#overprovisioningFactor, this.#random, config.healthyPanicThresholdPercent, this.counters);
    const discovery = config.discovery;
    switch (discovery.type) {
      case 'static':
        this.#setAssignment(discovery.loadAssignment);
        this.initialized = Promise.resolve();
        break;
      case 'eds':
        if (discovery.loadAssignment !== undefined) this.#setAssignment(discovery.loadAssignment);
        this.initialized = Promise.resolve();
        break;
      case 'strictDns':
      case 'logicalDns': {
        this.#overprovisioningFactor = discovery.loadAssignment.overprovisioningFactor;
        const dns = new DnsDiscovery(discovery.loadAssignment, discovery, discovery.type === 'logicalDns', deps.resolver, this.counters, (hosts) =>
          this.#setHosts(hosts),
        );
        this.#dns = dns;
        this.initialized = dns.initialized;
        break;
      }
      case 'originalDst': {
        const interval = discovery.cleanupIntervalMs;
        this.#sweepTimer = setInterval(() => this.#sweep(), interval > 0 ? interval : 5000);
        this.#sweepTimer.unref();
        this.initialized = Promise.resolve();
        break;
      }
      default: {
        // Belt and braces: configuration only produces the types above.
        const unknown: never = discovery;
        throw new OrionError(LibErrorCode.CLUSTER_UNSUPPORTED, `discovery type ${JSON.stringify((unknown as { type: unknown }).type)} is not implemented`);
      }
    }
  }

  get hosts(): readonly UpstreamHost[] {
    return this.#hostList;
  }

  get priorities(): readonly PriorityLevel[] {
    return this.#prioritySet.levels;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  chooseHost(ctx?: LoadBalancerContext): UpstreamHost | undefined {
    const discovery = this.config.discovery;
    const host = discovery.type === 'originalDst' ? this.#originalDstHost(ctx, discovery.httpHeaderName, discovery.upstreamPortOverride) : this.#prioritySet.choose(ctx);
    if (host === undefined) this.counters.upstream_cx_none_healthy++;
    return host;
  }

  onMembershipChange(listener: MembershipListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the endpoints of an EDS cluster (Envoy: an EDS `ClusterLoadAssignment` update). */
  setLoadAssignment(assignment: ClusterLoadAssignment): void {
    this.#setAssignment(assignment);
  }

  /** Stops discovery and timers and aborts {@link signal}. */
  close(): void {
    this.#dns?.close();
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.#controller.abort();
  }

  #setAssignment(assignment: ClusterLoadAssignment): void {
    const specs = hostsFromLoadAssignment(assignment);
    this.#overprovisioningFactor = assignment.overprovisioningFactor;
    this.#setHosts(specs, true);
  }

  #setHosts(specs: readonly HostSpec[], rebuild = false): void {
    const next = new Map<string, Host>();
    const added: Host[] = [];
    let changed = rebuild;
    for (const spec of specs) {
      let key = upstreamAddressLabel(spec.address);
      // The same address twice (e.g. in two localities) makes two hosts, as in Envoy.
      for (let n = 1; next.has(key); n++) key = `${upstreamAddressLabel(spec.address)}#${n}`;
      const existing = this.#hosts.get(key);
      if (existing !== undefined) {
        if (existing.update(spec)) changed = true;
        next.set(key, existing);
      } else {
        const host = new Host(spec, this.name, this.counters);
        next.set(key, host);
        added.push(host);
      }
    }
    const removed: Host[] = [];
    for (const [key, host] of this.#hosts) if (!next.has(key)) removed.push(host);
    if (!changed && added.length === 0 && removed.length === 0) return;
    this.#hosts = next;
    this.#hostList = [...next.values()];
    this.#rebuild(added, removed);
  }

  #rebuild(added: readonly Host[], removed: readonly Host[]): void {
    this.#prioritySet = new PrioritySet(this.#hostList, this.config.lbPolicy, this.#overprovisioningFactor, this.#random, this.config.healthyPanicThresholdPercent, this.counters);
    const c = this.counters;
    c.membership_total = this.#hostList.length;
    c.membership_healthy = 0;
    c.membership_degraded = 0;
    c.membership_excluded = 0;
    c.max_host_weight = 0;
    for (const h of this.#hostList) {
      const cls = healthClass(h.healthStatus);
      if (cls === 'healthy') c.membership_healthy++;
      else if (cls === 'degraded') c.membership_degraded++;
      else c.membership_excluded++;
      if (h.weight > c.max_host_weight) c.max_host_weight = h.weight;
    }
    if (added.length > 0 || removed.length > 0) {
      c.membership_change++;
      for (const listener of this.#listeners) listener(added, removed);
    }
  }

  #originalDstHost(ctx: LoadBalancerContext | undefined, header: string, portOverride: number | undefined): Host | undefined {
    const address = parseOriginalDst(ctx?.getHeader?.(header), portOverride);
    if (address === undefined) {
      this.counters.original_dst_host_invalid++;
      return undefined;
    }
    const label = upstreamAddressLabel(address);
    let host = this.#hosts.get(label);
    if (host === undefined) {
      host = new Host({ address, hostname: '', weight: 1, priority: 0, locality: undefined, healthStatus: 'unknown' }, this.name, this.counters);
      this.#hosts.set(label, host);
      this.#hostList = [...this.#hosts.values()];
      this.#updateOriginalDstGauges();
      this.counters.membership_change++;
      for (const listener of this.#listeners) listener([host], []);
    }
    host.used = true;
    return host;
  }

  /** ORIGINAL_DST: forgets hosts unused for a whole `cleanup_interval` and without active connections or requests. */
  #sweep(): void {
    const removed: Host[] = [];
    for (const [label, host] of this.#hosts) {
      if (!host.used && host.counters.cx_active === 0 && host.counters.rq_active === 0) {
        this.#hosts.delete(label);
        removed.push(host);
      } else {
        host.used = false;
      }
    }
    if (removed.length === 0) return;
    this.#hostList = [...this.#hosts.values()];
    this.#updateOriginalDstGauges();
    this.counters.membership_change++;
    for (const listener of this.#listeners) listener([], removed);
  }

  #updateOriginalDstGauges(): void {
    this.counters.membership_total = this.#hostList.length;
    this.counters.membership_healthy = this.#hostList.length;
    this.counters.max_host_weight = this.#hostList.length > 0 ? 1 : 0;
  }
}
