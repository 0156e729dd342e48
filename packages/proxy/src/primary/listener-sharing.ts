import cluster from 'node:cluster';
import { createServer, type AddressInfo, type Server } from 'node:net';

/** The `node:cluster` scheduling policies: the primary accepts and hands connections out in turn, or workers accept. */
export type ClusterSchedulingPolicy = 'rr' | 'none';

/**
 * How the workers share a listening port: one process serving alone, one `SO_REUSEPORT` socket per worker (the
 * kernel spreads new connections over them), or `node:cluster` handle sharing with its scheduling policy.
 */
export type ListenerSharing =
  | { readonly type: 'single' }
  | { readonly type: 'reusePort' }
  | { readonly type: 'cluster'; readonly policy: ClusterSchedulingPolicy };

/**
 * The policy used when `NODE_CLUSTER_SCHED_POLICY` does not choose one: SCHED_NONE, the workers accept on the
 * shared socket themselves. Measured with `bench/cluster-scheduling.bench.mjs` (figures in the README): with
 * SCHED_RR every new connection is accepted by the primary and passed to a worker over IPC, which capped new
 * connections at 1.4–2.8× fewer per second and puts the primary's control-plane work (configuration conversion,
 * reloads) in the path of every accept; keep-alive throughput was the same within noise. Its cost: connections
 * opened one at a time on an idle proxy split about 42/58 instead of exactly even.
 */
export const DEFAULT_CLUSTER_POLICY: ClusterSchedulingPolicy = 'none';

function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, reusePort: true, exclusive: true } as object, () => resolve(true));
  });
}

/**
 * Whether the running Node honours `reusePort` (22.12+ and 23.1+ on Linux; Node 20 silently ignores it): binds two
 * `SO_REUSEPORT` sockets to one loopback port and reports whether the second succeeds.
 */
export async function reusePortSupported(): Promise<boolean> {
  const first = createServer();
  const second = createServer();
  try {
    if (!(await listen(first, 0))) return false;
    return await listen(second, (first.address() as AddressInfo).port);
  } finally {
    if (first.listening) first.close();
    if (second.listening) second.close();
  }
}

/** The cluster policy from `NODE_CLUSTER_SCHED_POLICY` (`rr` or `none`, as Node reads it), else {@link DEFAULT_CLUSTER_POLICY}. */
export function clusterPolicyFrom(env: Readonly<Record<string, string | undefined>>): ClusterSchedulingPolicy {
  const chosen = env['NODE_CLUSTER_SCHED_POLICY'];
  return chosen === 'rr' || chosen === 'none' ? chosen : DEFAULT_CLUSTER_POLICY;
}

/**
 * Decides how `workers` worker processes share listeners: alone when there is one, `SO_REUSEPORT` where the running
 * Node supports it, otherwise `node:cluster` handle sharing with the policy {@link clusterPolicyFrom} picks (set on
 * the cluster module here, before the first fork).
 */
export async function chooseListenerSharing(workers: number, env: Readonly<Record<string, string | undefined>>): Promise<ListenerSharing> {
  if (workers <= 1) return { type: 'single' };
  if (await reusePortSupported()) return { type: 'reusePort' };
  const policy = clusterPolicyFrom(env);
  cluster.schedulingPolicy = policy === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  return { type: 'cluster', policy };
}

/** A sentence for the startup log. */
export function describeListenerSharing(sharing: ListenerSharing): string {
  switch (sharing.type) {
    case 'single':
      return 'one process serves every listener';
    case 'reusePort':
      return `each worker binds its own SO_REUSEPORT socket per listener (Node ${process.versions.node} honours reusePort)`;
    case 'cluster':
      return `workers share listening sockets through node:cluster (${sharing.policy === 'rr' ? 'SCHED_RR: the primary hands out connections in turn' : 'SCHED_NONE: workers accept themselves'}); Node ${process.versions.node} does not honour reusePort`;
  }
}
