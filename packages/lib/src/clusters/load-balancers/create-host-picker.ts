import type { LbPolicy } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../../error-codes.js';
import type { Host } from '../upstream-host.js';
import { EMPTY_PICKER, type HostPicker, type RandomSource } from './host-picker.js';
import { LeastRequestLoadBalancer } from './least-request.js';
import { MaglevLoadBalancer } from './maglev.js';
import { RandomLoadBalancer } from './random.js';
import { RingHashLoadBalancer } from './ring-hash.js';
import { RoundRobinLoadBalancer } from './round-robin.js';

/** The load balancer of `policy` over `hosts`. Envoy: `Cluster.lb_policy`. */
export function createHostPicker(policy: LbPolicy, hosts: readonly Host[], random: RandomSource): HostPicker {
  if (hosts.length === 0) return EMPTY_PICKER;
  switch (policy.type) {
    case 'roundRobin':
      return new RoundRobinLoadBalancer(hosts, random);
    case 'random':
      return new RandomLoadBalancer(hosts, random);
    case 'leastRequest':
      return new LeastRequestLoadBalancer(hosts, policy.choiceCount, random);
    case 'ringHash':
      return new RingHashLoadBalancer(hosts, policy.minimumRingSize, policy.maximumRingSize, random);
    case 'maglev':
      return new MaglevLoadBalancer(hosts, policy.tableSize, random);
    default: {
      // Belt and braces: configuration only produces the policies above.
      const unknown: never = policy;
      throw new OrionError(LibErrorCode.CLUSTER_UNSUPPORTED, `lb_policy ${JSON.stringify((unknown as { type: unknown }).type)} is not implemented`);
    }
  }
}
