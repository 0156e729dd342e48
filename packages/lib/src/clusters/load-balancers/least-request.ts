import type { Host } from '../upstream-host.js';
import { equalWeights, type HostPicker, type RandomSource } from './host-picker.js';

/**
 * Least request. Envoy: `lb_policy: LEAST_REQUEST` with `least_request_lb_config.choice_count` (default 2).
 * With equal weights: power of `choice_count` choices — draw that many hosts at random (with replacement) and take
 * the one with the fewest active requests (`rq_active`, kept by the caller through the host). With unequal weights:
 * a random choice weighted by `weight / (rq_active + 1)` (Envoy's `active_request_bias` 1.0; Envoy schedules those
 * weights with EDF, Orion draws them at random, which gives the same proportions).
 */
export class LeastRequestLoadBalancer implements HostPicker {
  readonly #hosts: readonly Host[];
  readonly #random: RandomSource;
  readonly #choiceCount: number;
  readonly #weighted: boolean;

  constructor(hosts: readonly Host[], choiceCount: number, random: RandomSource) {
    this.#hosts = hosts;
    this.#random = random;
    this.#choiceCount = Math.max(1, choiceCount);
    this.#weighted = !equalWeights(hosts);
  }

  pick(): Host | undefined {
    const hosts = this.#hosts;
    const n = hosts.length;
    if (n === 0) return undefined;
    if (n === 1) return hosts[0];
    if (this.#weighted) return this.#pickWeighted();
    let best: Host | undefined;
    for (let i = 0; i < this.#choiceCount; i++) {
      const candidate = hosts[Math.floor(this.#random() * n)] as Host;
      if (best === undefined || candidate.counters.rq_active < best.counters.rq_active) best = candidate;
    }
    return best;
  }

  #pickWeighted(): Host | undefined {
    const hosts = this.#hosts;
    let total = 0;
    for (const h of hosts) total += h.weight / (h.counters.rq_active + 1);
    let r = this.#random() * total;
    for (const h of hosts) {
      r -= h.weight / (h.counters.rq_active + 1);
      if (r < 0) return h;
    }
    return hosts[hosts.length - 1];
  }
}
