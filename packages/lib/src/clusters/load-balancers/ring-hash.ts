import type { Host } from '../upstream-host.js';
import type { LoadBalancerContext } from '../load-balancer-context.js';
import type { HostPicker, RandomSource } from './host-picker.js';
import { xxHash64 } from './xx-hash-64.js';

/** A random 64-bit hash, for requests without a hash key. */
export function randomHash(random: RandomSource): bigint {
  return (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32));
}

/**
 * Consistent hashing on a ring (ketama). Envoy: `lb_policy: RING_HASH` with `ring_hash_lb_config`
 * `minimum_ring_size` / `maximum_ring_size` and `hash_function: XX_HASH`. Each host gets ring entries in proportion
 * to its weight, hashed from `"<address>_<n>"` as Envoy does; a request takes the first entry at or after its hash
 * (wrapping), so the same key keeps landing on the same host while membership is stable.
 */
export class RingHashLoadBalancer implements HostPicker {
  readonly #hashes: BigUint64Array;
  readonly #hosts: Host[];
  readonly #random: RandomSource;

  constructor(hosts: readonly Host[], minimumRingSize: number, maximumRingSize: number, random: RandomSource) {
    this.#random = random;
    let total = 0;
    for (const h of hosts) total += h.weight;
    let minNormalized = 1;
    for (const h of hosts) minNormalized = Math.min(minNormalized, h.weight / total);
    const scale = hosts.length === 0 ? 0 : Math.min(Math.ceil(minNormalized * minimumRingSize) / minNormalized, maximumRingSize);
    const entries: { hash: bigint; host: Host }[] = [];
    let current = 0;
    let target = 0;
    for (const host of hosts) {
      target += scale * (host.weight / total);
      for (let n = 0; current < target; n++, current++) entries.push({ hash: xxHash64(`${host.label}_${n}`), host });
    }
    entries.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    this.#hashes = BigUint64Array.from(entries, (e) => e.hash);
    this.#hosts = entries.map((e) => e.host);
  }

  /** Entries on the ring. */
  get size(): number {
    return this.#hosts.length;
  }

  pick(ctx: LoadBalancerContext | undefined): Host | undefined {
    const n = this.#hashes.length;
    if (n === 0) return undefined;
    const hash = ctx?.hashKey ?? randomHash(this.#random);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#hashes[mid] as bigint) < hash) lo = mid + 1;
      else hi = mid;
    }
    return this.#hosts[lo === n ? 0 : lo];
  }
}
