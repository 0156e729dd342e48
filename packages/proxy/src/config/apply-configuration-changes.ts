import type { FilterChain, Listener, RouteConfiguration } from '@orion/configuration';
import { assertNever, OrionError } from '@orion/error';
import { ProxyErrorCode } from '../error-codes.js';
import type { ConfigurationChange, RouteConfigurationChange } from './configuration-change.js';
import { freezeDeep, type ConfigurationSnapshot } from './configuration-snapshot.js';

function upsert<T>(items: readonly T[], item: T, same: (x: T) => boolean): T[] {
  const i = items.findIndex(same);
  if (i < 0) return [...items, item];
  const out = [...items];
  out[i] = item;
  return out;
}

function withRoutes(chain: FilterChain, routeConfiguration: RouteConfiguration): FilterChain | undefined {
  const last = chain.filters[chain.filters.length - 1];
  if (last?.type !== 'httpConnectionManager' || last.routeSpecifier.type !== 'inline') return undefined;
  return { ...chain, filters: [...chain.filters.slice(0, -1), { ...last, routeSpecifier: { type: 'inline', routeConfiguration } }] };
}

function applyRoute(listeners: readonly Listener[], change: RouteConfigurationChange): Listener[] {
  const fail = (why: string): never => {
    throw new OrionError(ProxyErrorCode.IPC, `route change for listener "${change.listener}" filter chain ${String(change.filterChain)}: ${why}`);
  };
  const listener = listeners.find((l) => l.name === change.listener) ?? fail('no such listener');
  let next: Listener;
  if (change.filterChain === 'default') {
    const chain = listener.defaultFilterChain ?? fail('the listener has no default filter chain');
    next = { ...listener, defaultFilterChain: withRoutes(chain, change.routeConfiguration) ?? fail('not an HTTP connection manager with inline routes') };
  } else {
    const chain = listener.filterChains[change.filterChain] ?? fail('no such filter chain');
    const chains = [...listener.filterChains];
    chains[change.filterChain] = withRoutes(chain, change.routeConfiguration) ?? fail('not an HTTP connection manager with inline routes');
    next = { ...listener, filterChains: chains };
  }
  return upsert(listeners, next, (l) => l.name === change.listener);
}

/**
 * The snapshot after `changes` (a new, frozen object; `snapshot` is not touched), at `version`. Throws
 * `ORION_ERR_PROXY_IPC` for a route change that names no listener or chain of the snapshot.
 */
export function applyConfigurationChanges(snapshot: ConfigurationSnapshot, changes: readonly ConfigurationChange[], version: number): ConfigurationSnapshot {
  let { listeners, clusters, endpoints, secrets } = snapshot;
  for (const change of changes) {
    switch (change.type) {
      case 'listener':
        listeners = change.kind === 'removed' ? listeners.filter((l) => l.name !== change.name) : upsert(listeners, change.listener, (l) => l.name === change.listener.name);
        break;
      case 'route':
        listeners = applyRoute(listeners, change);
        break;
      case 'cluster':
        clusters = change.kind === 'removed' ? clusters.filter((c) => c.name !== change.name) : upsert(clusters, change.cluster, (c) => c.name === change.cluster.name);
        break;
      case 'endpoint':
        endpoints =
          change.kind === 'removed'
            ? endpoints.filter((a) => a.clusterName !== change.clusterName)
            : upsert(endpoints, change.loadAssignment, (a) => a.clusterName === change.loadAssignment.clusterName);
        break;
      case 'secret':
        secrets = change.kind === 'removed' ? secrets.filter((s) => s.name !== change.name) : upsert(secrets, change.secret, (s) => s.name === change.secret.name);
        break;
      default:
        assertNever(change, 'configuration change');
    }
  }
  return freezeDeep({ version, listeners, clusters, endpoints, secrets });
}
