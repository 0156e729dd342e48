import type { Bootstrap, ClusterLoadAssignment, RouteConfiguration } from '../../src/index.js';

/** A bootstrap without Orion's own sections, which are not Envoy fields and are not serialised. */
export function envoyPart(bootstrap: Bootstrap): Omit<Bootstrap, 'runtime' | 'logging'> {
  const { runtime: _runtime, logging: _logging, ...rest } = bootstrap;
  return rest;
}

/** The inline route tables of every connection manager of the static listeners. */
export function inlineRouteTables(bootstrap: Bootstrap): RouteConfiguration[] {
  const out: RouteConfiguration[] = [];
  for (const listener of bootstrap.staticResources.listeners) {
    const chains = listener.defaultFilterChain === undefined ? listener.filterChains : [...listener.filterChains, listener.defaultFilterChain];
    for (const chain of chains) {
      for (const filter of chain.filters) {
        if (filter.type === 'httpConnectionManager' && filter.routeSpecifier.type === 'inline') out.push(filter.routeSpecifier.routeConfiguration);
      }
    }
  }
  return out;
}

/** The load assignments of the static clusters. */
export function loadAssignments(bootstrap: Bootstrap): ClusterLoadAssignment[] {
  const out: ClusterLoadAssignment[] = [];
  for (const cluster of bootstrap.staticResources.clusters) {
    const d = cluster.discovery;
    if (d.type !== 'originalDst' && d.loadAssignment !== undefined) out.push(d.loadAssignment);
  }
  return out;
}
