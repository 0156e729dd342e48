import { configEqual, inlineRouteChanges } from '@orion/lib';
import type { ConfigurationChange } from './configuration-change.js';
import type { ConfigurationSnapshot } from './configuration-snapshot.js';

/** The resources of a snapshot, without its version. */
export type SnapshotResources = Omit<ConfigurationSnapshot, 'version'>;

interface Named {
  readonly name: string;
}

function byName<T>(items: readonly T[], name: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [name(item), item]));
}

/**
 * The change events that turn `current` into `next`, in the order a worker applies them: clusters, endpoints and
 * secrets that are new or changed come first (so new routes find them), then listeners and route tables, then what
 * was removed. A listener whose inline route tables are its only difference becomes {@link RouteConfigurationChange}s
 * (its connections are kept); any other difference replaces the listener. Empty when nothing changed.
 */
export function diffConfiguration(current: SnapshotResources, next: SnapshotResources): ConfigurationChange[] {
  const changes: ConfigurationChange[] = [];
  const removals: ConfigurationChange[] = [];

  const named = <T extends Named>(type: 'cluster' | 'secret', before: readonly T[], after: readonly T[], make: (kind: 'added' | 'updated', item: T) => ConfigurationChange): void => {
    const old = byName(before, (x) => x.name);
    for (const item of after) {
      const was = old.get(item.name);
      if (was === undefined) changes.push(make('added', item));
      else if (!configEqual(was, item)) changes.push(make('updated', item));
    }
    const kept = new Set(after.map((x) => x.name));
    for (const item of before) if (!kept.has(item.name)) removals.push({ type, kind: 'removed', name: item.name });
  };

  named('cluster', current.clusters, next.clusters, (kind, cluster) => ({ type: 'cluster', kind, cluster }));

  const oldEndpoints = byName(current.endpoints, (a) => a.clusterName);
  for (const loadAssignment of next.endpoints) {
    const was = oldEndpoints.get(loadAssignment.clusterName);
    if (was === undefined || !configEqual(was, loadAssignment)) changes.push({ type: 'endpoint', kind: 'updated', loadAssignment });
  }
  const keptEndpoints = new Set(next.endpoints.map((a) => a.clusterName));
  for (const a of current.endpoints) if (!keptEndpoints.has(a.clusterName)) removals.push({ type: 'endpoint', kind: 'removed', clusterName: a.clusterName });

  named('secret', current.secrets, next.secrets, (kind, secret) => ({ type: 'secret', kind, secret }));

  const oldListeners = byName(current.listeners, (l) => l.name);
  for (const listener of next.listeners) {
    const was = oldListeners.get(listener.name);
    if (was === undefined) {
      changes.push({ type: 'listener', kind: 'added', listener });
      continue;
    }
    if (configEqual(was, listener)) continue;
    const routes = inlineRouteChanges(was, listener);
    if (routes === undefined) changes.push({ type: 'listener', kind: 'updated', listener });
    else for (const r of routes) changes.push({ type: 'route', kind: 'updated', listener: listener.name, filterChain: r.filterChain, routeConfiguration: r.routeConfiguration });
  }
  const keptListeners = new Set(next.listeners.map((l) => l.name));
  for (const l of current.listeners) if (!keptListeners.has(l.name)) changes.push({ type: 'listener', kind: 'removed', name: l.name });

  return [...changes, ...removals];
}
