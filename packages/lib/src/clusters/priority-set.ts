import type { HealthStatus, LbPolicy } from '@orion/configuration';
import type { LoadBalancerContext } from './load-balancer-context.js';
import { createHostPicker } from './load-balancers/create-host-picker.js';
import type { HostPicker, RandomSource } from './load-balancers/host-picker.js';
import type { Host } from './upstream-host.js';

/** How a host's `health_status` takes part in load balancing. */
export type HostHealthClass = 'healthy' | 'degraded' | 'excluded';

/** UNKNOWN and HEALTHY hosts are healthy; DEGRADED hosts are degraded; UNHEALTHY, DRAINING and TIMEOUT are excluded. */
export function healthClass(status: HealthStatus): HostHealthClass {
  switch (status) {
    case 'unknown':
    case 'healthy':
      return 'healthy';
    case 'degraded':
      return 'degraded';
    default:
      return 'excluded';
  }
}

/** The hosts of one priority and their load balancers. */
export interface PriorityLevel {
  readonly priority: number;
  readonly hosts: readonly Host[];
  readonly healthy: readonly Host[];
  readonly degraded: readonly Host[];
}

interface Level extends PriorityLevel {
  readonly healthyPicker: HostPicker;
  readonly degradedPicker: HostPicker;
  /** Every host of the priority, for panic mode (built the first time the priority is in panic and chosen). */
  allPicker: HostPicker | undefined;
  /** Fewer than `healthy_panic_threshold` percent of the priority's hosts are healthy or degraded. */
  panic: boolean;
}

/** Where a {@link PrioritySet} counts host choices made in panic mode (`cluster.<name>.lb_healthy_panic`). */
export interface PanicCounter {
  lb_healthy_panic: number;
}

/**
 * A cluster's hosts grouped by priority, with Envoy's priority load: each priority's availability is
 * `min(100, overprovisioning_factor × healthy / total)` percent (likewise for degraded hosts); traffic goes to
 * priority 0 up to its availability and spills over to the next priorities, healthy hosts first, then degraded ones
 * (Envoy's `recalculatePerPriorityState`). So a priority keeps all traffic while at least 1/1.4 ≈ 72 % of its
 * hosts are healthy, and degraded hosts only receive what healthy hosts cannot take.
 *
 * Panic mode (Envoy's `healthy_panic_threshold`, 50 % by default): a priority with fewer healthy and degraded hosts
 * than the threshold is in panic, and a request that lands on it goes to any of its hosts, healthy or not
 * (`lb_healthy_panic`). With no healthy or degraded host anywhere, every priority is in panic and the load is split by
 * host counts. A threshold of 0 disables panic mode: then with no healthy or degraded host {@link choose} returns
 * undefined (503 `UH`).
 */
export class PrioritySet {
  readonly #levels: Level[];
  readonly #healthyLoad: number[];
  readonly #degradedLoad: number[];
  readonly #random: RandomSource;
  readonly #available: boolean;
  readonly #policy: LbPolicy;
  readonly #panicCounter: PanicCounter | undefined;
  /** Some priority is in panic (the single-priority fast path does not apply). */
  readonly #anyPanic: boolean;

  constructor(hosts: readonly Host[], policy: LbPolicy, overprovisioningFactor: number, random: RandomSource, panicThresholdPercent = 50, panicCounter?: PanicCounter) {
    this.#random = random;
    this.#policy = policy;
    this.#panicCounter = panicCounter;
    const byPriority = new Map<number, Host[]>();
    for (const h of hosts) {
      let list = byPriority.get(h.priority);
      if (list === undefined) byPriority.set(h.priority, (list = []));
      list.push(h);
    }
    const priorities = [...byPriority.keys()].sort((a, b) => a - b);
    this.#levels = priorities.map((priority) => {
      const all = byPriority.get(priority) ?? [];
      const healthy = all.filter((h) => healthClass(h.healthStatus) === 'healthy');
      const degraded = all.filter((h) => healthClass(h.healthStatus) === 'degraded');
      return {
        priority,
        hosts: all,
        healthy,
        degraded,
        healthyPicker: createHostPicker(policy, healthy, random),
        degradedPicker: createHostPicker(policy, degraded, random),
        allPicker: undefined,
        panic: false,
      };
    });
    const health = this.#levels.map((l) => availability(l.healthy.length, l.hosts.length, overprovisioningFactor));
    const degradedHealth = this.#levels.map((l) => availability(l.degraded.length, l.hosts.length, overprovisioningFactor));
    const totalAvailability = Math.min(100, sum(health) + sum(degradedHealth));
    this.#healthyLoad = health.map(() => 0);
    this.#degradedLoad = health.map(() => 0);
    // Envoy's recalculatePerPriorityPanic: with no availability at all every priority panics (unless panic is off).
    let anyPanic = false;
    if (panicThresholdPercent > 0) {
      for (const level of this.#levels) {
        const total = level.hosts.length;
        level.panic = totalAvailability === 0 || total === 0 || ((level.healthy.length + level.degraded.length) * 100) / total < panicThresholdPercent;
        anyPanic ||= level.panic;
      }
    }
    this.#anyPanic = anyPanic;
    if (anyPanic && this.#levels.every((l) => l.panic)) {
      // Total panic (Envoy's recalculateLoadInTotalPanic): the load follows the host counts.
      this.#available = this.#spreadByHostCount();
      return;
    }
    this.#available = totalAvailability > 0;
    if (!this.#available) return;
    let remaining = 100;
    for (let i = 0; i < health.length; i++) {
      const load = Math.min(remaining, Math.floor(((health[i] as number) * 100) / totalAvailability));
      this.#healthyLoad[i] = load;
      remaining -= load;
    }
    for (let i = 0; i < degradedHealth.length; i++) {
      const load = Math.min(remaining, Math.floor(((degradedHealth[i] as number) * 100) / totalAvailability));
      this.#degradedLoad[i] = load;
      remaining -= load;
    }
    if (remaining > 0) {
      // Rounding leftovers go to the first priority with healthy hosts, else the first with degraded ones.
      const h = health.findIndex((x) => x > 0);
      if (h >= 0) this.#healthyLoad[h] = (this.#healthyLoad[h] as number) + remaining;
      else {
        const d = degradedHealth.findIndex((x) => x > 0);
        this.#degradedLoad[d] = (this.#degradedLoad[d] as number) + remaining;
      }
    }
  }

  /** Splits the load over the priorities by their numbers of hosts; false when there is no host at all. */
  #spreadByHostCount(): boolean {
    const levels = this.#levels;
    const total = sum(levels.map((l) => l.hosts.length));
    if (total === 0) return false;
    let remaining = 100;
    let first = -1;
    for (let i = 0; i < levels.length; i++) {
      const count = (levels[i] as Level).hosts.length;
      if (first < 0 && count > 0) first = i;
      const load = Math.floor((100 * count) / total);
      this.#healthyLoad[i] = load;
      remaining -= load;
    }
    this.#healthyLoad[first] = (this.#healthyLoad[first] as number) + remaining;
    return true;
  }

  /** A host of `level` in panic mode: any of its hosts. */
  #panicPick(level: Level, ctx: LoadBalancerContext | undefined): Host | undefined {
    if (this.#panicCounter !== undefined) this.#panicCounter.lb_healthy_panic++;
    level.allPicker ??= createHostPicker(this.#policy, level.hosts, this.#random);
    return level.allPicker.pick(ctx);
  }

  /** Whether the priority at `index` is in panic mode. */
  inPanic(index: number): boolean {
    return this.#levels[index]?.panic ?? false;
  }

  /** The priorities, highest (0) first. */
  get levels(): readonly PriorityLevel[] {
    return this.#levels;
  }

  /** Percent of traffic per priority for healthy hosts, then for degraded hosts (each sums with the other to 100). */
  get load(): { readonly healthy: readonly number[]; readonly degraded: readonly number[] } {
    return { healthy: this.#healthyLoad, degraded: this.#degradedLoad };
  }

  /** Chooses a priority by load (by `hashKey % 100` when given, as Envoy does) and a host in it. */
  choose(ctx: LoadBalancerContext | undefined): Host | undefined {
    if (!this.#available) return undefined;
    const levels = this.#levels;
    if (levels.length === 1 && this.#healthyLoad[0] === 100 && !this.#anyPanic) return (levels[0] as Level).healthyPicker.pick(ctx);
    const key = ctx?.hashKey;
    let r = key === undefined ? Math.floor(this.#random() * 100) : Number(key % 100n);
    for (let i = 0; i < levels.length; i++) {
      const load = this.#healthyLoad[i] as number;
      if (r < load) {
        const level = levels[i] as Level;
        return level.panic ? this.#panicPick(level, ctx) : level.healthyPicker.pick(ctx);
      }
      r -= load;
    }
    for (let i = 0; i < levels.length; i++) {
      const load = this.#degradedLoad[i] as number;
      if (r < load) {
        const level = levels[i] as Level;
        return level.panic ? this.#panicPick(level, ctx) : level.degradedPicker.pick(ctx);
      }
      r -= load;
    }
    return undefined;
  }
}

function availability(count: number, total: number, overprovisioningFactor: number): number {
  if (total === 0) return 0;
  return Math.min(100, Math.floor((overprovisioningFactor * count) / total));
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
