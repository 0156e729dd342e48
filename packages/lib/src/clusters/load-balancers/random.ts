import type { Host } from '../upstream-host.js';
import type { HostPicker, RandomSource } from './host-picker.js';

/** Uniform random choice; weights are ignored, as in Envoy. Envoy: `lb_policy: RANDOM`. */
export class RandomLoadBalancer implements HostPicker {
  readonly #hosts: readonly Host[];
  readonly #random: RandomSource;

  constructor(hosts: readonly Host[], random: RandomSource) {
    this.#hosts = hosts;
    this.#random = random;
  }

  pick(): Host | undefined {
    const n = this.#hosts.length;
    if (n === 0) return undefined;
    return this.#hosts[Math.floor(this.#random() * n)];
  }
}
