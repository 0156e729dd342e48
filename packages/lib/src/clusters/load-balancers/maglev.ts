import type { Host } from '../upstream-host.js';
import type { LoadBalancerContext } from '../load-balancer-context.js';
import type { HostPicker, RandomSource } from './host-picker.js';
import { randomHash } from './ring-hash.js';
import { xxHash64 } from './xx-hash-64.js';

/**
 * Maglev consistent hashing. Envoy: `lb_policy: MAGLEV` with `maglev_lb_config.table_size` (a prime, default
 * 65537). Each host's preference list comes from two hashes of its address (offset: seed 0, skip: seed 1); hosts
 * take table slots in turn, a host of half the largest weight every second turn, as in Envoy's weighted Maglev.
 * A request takes slot `hash % table_size`.
 */
export class MaglevLoadBalancer implements HostPicker {
  readonly #table: (Host | undefined)[];
  readonly #size: bigint;
  readonly #random: RandomSource;

  constructor(hosts: readonly Host[], tableSize: number, random: RandomSource) {
    this.#random = random;
    this.#size = BigInt(tableSize);
    const table: (Host | undefined)[] = new Array<Host | undefined>(hosts.length === 0 ? 0 : tableSize).fill(undefined);
    if (hosts.length > 0) {
      let total = 0;
      for (const h of hosts) total += h.weight;
      let maxNormalized = 0;
      const entries = hosts.map((host) => {
        const weight = host.weight / total;
        maxNormalized = Math.max(maxNormalized, weight);
        return {
          host,
          weight,
          offset: Number(xxHash64(host.label, 0n) % this.#size),
          skip: Number(xxHash64(host.label, 1n) % (this.#size - 1n)) + 1,
          next: 0,
          targetWeight: 0,
        };
      });
      const permutation = (e: (typeof entries)[number]): number => (e.offset + e.skip * e.next) % tableSize;
      let filled = 0;
      for (let iteration = 0; filled < tableSize; iteration++) {
        for (let i = 0; i < entries.length && filled < tableSize; i++) {
          const e = entries[i] as (typeof entries)[number];
          if (iteration * e.weight < e.targetWeight) continue;
          e.targetWeight += maxNormalized;
          let slot = permutation(e);
          while (table[slot] !== undefined) {
            e.next++;
            slot = permutation(e);
          }
          table[slot] = e.host;
          e.next++;
          filled++;
        }
      }
    }
    this.#table = table;
  }

  pick(ctx: LoadBalancerContext | undefined): Host | undefined {
    if (this.#table.length === 0) return undefined;
    const hash = ctx?.hashKey ?? randomHash(this.#random);
    return this.#table[Number(hash % this.#size)];
  }
}
