import type { FilterChain, Listener, RouteConfiguration } from '@orion/configuration';
import { configEqual } from '../clusters/config-equal.js';

/** A new inline route table for one filter chain of a listener. */
export interface InlineRouteChange {
  /** The chain's position in `filter_chains`, or `default` for `default_filter_chain`. */
  readonly filterChain: number | 'default';
  /** The new `route_config`. */
  readonly routeConfiguration: RouteConfiguration;
}

const ROUTES_ELIDED = { type: 'inline', routeConfiguration: null } as const;

/** The chain with its terminal HTTP connection manager's inline route table left out (for comparing the rest). */
function withoutInlineRoutes(chain: FilterChain | undefined): unknown {
  if (chain === undefined) return undefined;
  const last = chain.filters[chain.filters.length - 1];
  if (last === undefined || last.type !== 'httpConnectionManager' || last.routeSpecifier.type !== 'inline') return chain;
  return { ...chain, filters: [...chain.filters.slice(0, -1), { ...last, routeSpecifier: ROUTES_ELIDED }] };
}

function inlineRoutes(chain: FilterChain | undefined): RouteConfiguration | undefined {
  const last = chain?.filters[chain.filters.length - 1];
  return last?.type === 'httpConnectionManager' && last.routeSpecifier.type === 'inline' ? last.routeSpecifier.routeConfiguration : undefined;
}

/**
 * When `next` differs from `current` only in the inline `route_config` of its HTTP connection managers, the route
 * tables that changed (possibly none: the listeners are equal); otherwise undefined (the listener must be rebuilt
 * and its connections drained). Envoy rebuilds a listener for any change; Orion swaps the route table in place, as
 * Envoy does for RDS, so a route edit reloaded with SIGHUP keeps every connection.
 */
export function inlineRouteChanges(current: Listener, next: Listener): readonly InlineRouteChange[] | undefined {
  const strip = (l: Listener): unknown => ({
    ...l,
    filterChains: l.filterChains.map(withoutInlineRoutes),
    defaultFilterChain: withoutInlineRoutes(l.defaultFilterChain),
  });
  if (!configEqual(strip(current), strip(next))) return undefined;
  const changes: InlineRouteChange[] = [];
  const compare = (a: FilterChain | undefined, b: FilterChain | undefined, filterChain: number | 'default'): void => {
    const before = inlineRoutes(a);
    const after = inlineRoutes(b);
    if (after !== undefined && !configEqual(before, after)) changes.push({ filterChain, routeConfiguration: after });
  };
  next.filterChains.forEach((chain, i) => compare(current.filterChains[i], chain, i));
  compare(current.defaultFilterChain, next.defaultFilterChain, 'default');
  return changes;
}
