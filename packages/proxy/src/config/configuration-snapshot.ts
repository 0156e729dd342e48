import type { Bootstrap, Cluster, ClusterLoadAssignment, Listener, Secret } from '@orion/configuration';

/**
 * What the workers serve: the converted resources, as plain data. The primary converts the configuration once and
 * sends snapshots and {@link ConfigurationChange}s to the workers; a worker never changes a snapshot, it builds the
 * next one and swaps it in by reference, so a request keeps the routes and clusters it started with.
 */
export interface ConfigurationSnapshot {
  /** Increases by one with every applied change set (1 at startup). */
  readonly version: number;
  /** Listeners, in order. */
  readonly listeners: readonly Listener[];
  /** Clusters, in order. */
  readonly clusters: readonly Cluster[];
  /** Endpoints of EDS clusters, one assignment per cluster. */
  readonly endpoints: readonly ClusterLoadAssignment[];
  /** Secrets (kept for the TLS transport sockets, which the data plane does not build yet). */
  readonly secrets: readonly Secret[];
}

/** The snapshot of a bootstrap's static resources. */
export function snapshotOf(bootstrap: Bootstrap, version = 1): ConfigurationSnapshot {
  const statics = bootstrap.staticResources;
  return freezeDeep({ version, listeners: statics.listeners, clusters: statics.clusters, endpoints: [], secrets: statics.secrets });
}

/** Freezes `value` and everything it holds (plain data), so a snapshot cannot be changed in place by mistake. */
export function freezeDeep<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) freezeDeep((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
