import type { Host } from '../upstream-host.js';
import type { LoadBalancerContext } from '../load-balancer-context.js';

/**
 * A load balancer over one fixed set of hosts (the healthy or the degraded hosts of one priority). Rebuilt when
 * membership changes. Envoy: the per-host-set part of a `LoadBalancer`.
 */
export interface HostPicker {
  /** The next host, or undefined when the set is empty. */
  pick(ctx: LoadBalancerContext | undefined): Host | undefined;
}

/** Source of uniform random numbers in [0, 1); injectable for deterministic tests. Default `Math.random`. */
export type RandomSource = () => number;

/** A picker over no hosts. */
export const EMPTY_PICKER: HostPicker = { pick: () => undefined };

/** True when every host has the same weight (then Envoy uses the cheaper unweighted algorithms). */
export function equalWeights(hosts: readonly Host[]): boolean {
  const first = hosts[0];
  if (first === undefined) return true;
  for (let i = 1; i < hosts.length; i++) if ((hosts[i] as Host).weight !== first.weight) return false;
  return true;
}
