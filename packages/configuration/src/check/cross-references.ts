import { FieldPath } from '@orion/data-plane-api';
import { assertNever } from '@orion/error';
import type { Address } from '../model/address.js';
import type { Bootstrap } from '../model/bootstrap.js';
import type { Listener } from '../model/listener.js';
import type { RouteConfiguration } from '../model/route-configuration.js';

/** A cross-reference problem: where and what. */
export interface CrossReferenceProblem {
  readonly path: FieldPath;
  readonly message: string;
}

/**
 * The checks that need the whole bootstrap: duplicate listener, cluster and secret names, two listeners on one
 * address, EDS clusters without a usable `eds_config`, and routes (of inline tables with `validate_clusters`) naming
 * a cluster that is not a static cluster.
 */
export function checkCrossReferences(bootstrap: Bootstrap, at: FieldPath = FieldPath.root): CrossReferenceProblem[] {
  const out: CrossReferenceProblem[] = [];
  const statics = at.field('static_resources');
  const { listeners, clusters, secrets } = bootstrap.staticResources;
  duplicates(listeners.map((l) => l.name), (i) => out.push({ path: statics.field('listeners').index(i, listeners[i]?.name).field('name'), message: `duplicate listener name ${JSON.stringify(listeners[i]?.name)}` }));
  duplicates(clusters.map((c) => c.name), (i) => out.push({ path: statics.field('clusters').index(i, clusters[i]?.name).field('name'), message: `duplicate cluster name ${JSON.stringify(clusters[i]?.name)}` }));
  duplicates(secrets.map((s) => s.name), (i) => out.push({ path: statics.field('secrets').index(i, secrets[i]?.name).field('name'), message: `duplicate secret name ${JSON.stringify(secrets[i]?.name)}` }));
  duplicates(listeners.map((l, i) => (l.bindToPort ? addressKey(l.address, i) : `unbound:${i}`)), (i, first) =>
    out.push({
      path: statics.field('listeners').index(i, listeners[i]?.name).field('address'),
      message: `listener ${JSON.stringify(listeners[i]?.name)} uses the same address as listener ${JSON.stringify(listeners[first]?.name)}`,
    }),
  );
  const usesAds = bootstrap.dynamicResources?.ads !== undefined;
  clusters.forEach((cluster, i) => {
    if (cluster.discovery.type !== 'eds') return;
    const at = statics.field('clusters').index(i, cluster.name);
    const source = cluster.discovery.edsConfig;
    if (source === undefined) out.push({ path: at.field('eds_cluster_config'), message: 'an EDS cluster needs eds_cluster_config.eds_config' });
    else if (source.type === 'ads' && !usesAds) out.push({ path: at.field('eds_cluster_config').field('eds_config'), message: 'uses ads, but dynamic_resources.ads_config is not set' });
  });
  const known = new Set(clusters.map((c) => c.name));
  listeners.forEach((listener, i) => checkListenerRoutes(listener, statics.field('listeners').index(i, listener.name), known, out));
  return out;
}

function addressKey(address: Address, index: number): string {
  switch (address.type) {
    case 'socket':
      return `${address.host}:${address.port === 0 ? `ephemeral-${index}` : address.port}`;
    case 'pipe':
      return `pipe:${address.path}`;
    default:
      return assertNever(address, 'address');
  }
}

function duplicates(keys: readonly string[], report: (index: number, first: number) => void): void {
  const seen = new Map<string, number>();
  keys.forEach((key, i) => {
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else if (key !== '') report(i, first);
  });
}

function checkListenerRoutes(listener: Listener, path: FieldPath, known: ReadonlySet<string>, out: CrossReferenceProblem[]): void {
  const chains = [...listener.filterChains.map((c, i) => ({ chain: c, at: path.field('filter_chains').index(i, c.name) }))];
  if (listener.defaultFilterChain !== undefined) chains.push({ chain: listener.defaultFilterChain, at: path.field('default_filter_chain') });
  for (const { chain, at } of chains) {
    chain.filters.forEach((filter, i) => {
      if (filter.type !== 'httpConnectionManager' || filter.routeSpecifier.type !== 'inline') return;
      checkRoutes(filter.routeSpecifier.routeConfiguration, at.field('filters').index(i, filter.name).field('typed_config').field('route_config'), known, out);
    });
  }
}

/** Reports routes of `table` naming clusters not in `known` (when the table validates clusters). */
export function checkRoutes(table: RouteConfiguration, path: FieldPath, known: ReadonlySet<string>, out: CrossReferenceProblem[]): void {
  if (!table.validateClusters) return;
  table.virtualHosts.forEach((vhost, v) => {
    vhost.routes.forEach((route, r) => {
      if (route.action.type !== 'forward') return;
      const at = path.field('virtual_hosts').index(v, vhost.name).field('routes').index(r, route.name).field('route');
      const cluster = route.action.cluster;
      switch (cluster.type) {
        case 'cluster':
          if (!known.has(cluster.name)) out.push({ path: at.field('cluster'), message: `unknown cluster ${JSON.stringify(cluster.name)}` });
          break;
        case 'weightedClusters':
          cluster.clusters.forEach((w, i) => {
            if (w.cluster.type === 'cluster' && !known.has(w.cluster.name)) {
              out.push({ path: at.field('weighted_clusters').field('clusters').index(i, w.cluster.name).field('name'), message: `unknown cluster ${JSON.stringify(w.cluster.name)}` });
            }
          });
          break;
        case 'clusterHeader':
          break;
        default:
          assertNever(cluster, 'cluster specifier');
      }
    });
  });
}
