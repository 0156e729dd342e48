import type { Host } from '../upstream-host.js';
import { EdfScheduler } from './edf-scheduler.js';
import { equalWeights, type HostPicker, type RandomSource } from './host-picker.js';

/**
 * Weighted round robin. Envoy: `lb_policy: ROUND_ROBIN`. With equal weights, plain round robin starting at a
 * random host (so workers do not move in lockstep); otherwise Envoy's earliest-deadline-first smooth weighted
 * round robin, advanced by a random number of picks at the start for the same reason.
 */
export class RoundRobinLoadBalancer implements HostPicker {
  readonly #hosts: readonly Host[];
  readonly #edf: EdfScheduler<Host> | undefined;
  #next: number;

  constructor(hosts: readonly Host[], random: RandomSource) {
    this.#hosts = hosts;
    this.#next = Math.floor(random() * hosts.length);
    if (!equalWeights(hosts)) {
      const edf = new EdfScheduler<Host>();
      for (const h of hosts) edf.add(h, h.weight);
      for (let i = 0; i < this.#next; i++) edf.pickAndAdd();
      this.#edf = edf;
    }
  }

  pick(): Host | undefined {
    if (this.#edf !== undefined) return this.#edf.pickAndAdd();
    const n = this.#hosts.length;
    if (n === 0) return undefined;
    const host = this.#hosts[this.#next % n];
    this.#next = (this.#next + 1) % n;
    return host;
  }
}
