import type { ForwardAction } from '@orion/configuration';
import { assertNever } from '@orion/error';
import type { CompiledHostRewrite, CompiledRouteAction, CompiledWeightedCluster } from './compiled-route-action.js';
import type { CompiledRoute, RouteSelection } from './compiled-route.js';
import { pathWithoutQuery } from './path-matcher.js';
import type { RouteRequest } from './route-request.js';

/** The per-request outcome of a forwarding route. Envoy: the `RouteEntry` the router filter works with. */
export interface ForwardDecision {
  /**
   * The upstream cluster. Undefined when `cluster_header` names none (header absent or empty): the connection
   * manager then answers {@link clusterNotFoundResponseCode} with response flag `NC`.
   */
  readonly clusterName: string | undefined;
  /** `cluster_not_found_response_code`. Default 503. */
  readonly clusterNotFoundResponseCode: 503 | 404 | 500;
  /**
   * The request target after `prefix_rewrite` / `regex_rewrite` (the query kept), or undefined when the route
   * rewrites nothing. When set, the caller sends it as `:path` and, unless Envoy headers are suppressed, sets
   * `x-envoy-original-path` to the original target (`RouteRequest.path`).
   */
  readonly newPath: string | undefined;
  /**
   * The new `:authority`: `host_rewrite_literal`, the value of `host_rewrite_header` (first value), or
   * `host_rewrite_path_regex` applied to the path; else the picked weighted cluster's `host_rewrite_literal`.
   * Undefined: keep the host (or {@link autoHostRewrite}).
   */
  readonly hostRewrite: string | undefined;
  /** `auto_host_rewrite`: replace the host with the chosen endpoint's hostname once it is picked. Default false. */
  readonly autoHostRewrite: boolean;
  /**
   * `append_x_forwarded_host`: append the original host to `x-forwarded-host` when a route-level rewrite (not a
   * weighted cluster's literal) changes the host. Default false.
   */
  readonly appendXForwardedHost: boolean;
  /** `timeout` of the whole upstream exchange in ms; 0 disables it. Default 15000. */
  readonly timeoutMs: number;
  /** The picked cluster of `weighted_clusters`, whose header changes apply first; undefined otherwise. */
  readonly weightedCluster: CompiledWeightedCluster | undefined;
  /** The route's `RouteAction` for everything else (retry policy, hash policies, idle timeout, upgrades, …). */
  readonly action: ForwardAction;
}

/** Envoy takes the first value of an untrusted header; `getHeader` joins values with `,`, so a joined value is kept whole. */
function headerValue(req: RouteRequest, name: string): string | undefined {
  const value = req.getHeader(name);
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Picks a weighted cluster from `random01` in [0, 1): the clusters own consecutive intervals of the total weight,
 * in order. Envoy: `WeightedClusterSpecifierPlugin::pickWeightedCluster` (`random % total_weight`).
 */
export function pickWeightedCluster(clusters: readonly CompiledWeightedCluster[], totalWeight: number, random01: number): CompiledWeightedCluster | undefined {
  const selected = Math.min(Math.max(Math.floor(random01 * totalWeight), 0), totalWeight - 1);
  let end = 0;
  for (const cluster of clusters) {
    end += cluster.weight;
    if (selected < end) return cluster;
  }
  return undefined;
}

function rewriteHost(rewrite: CompiledHostRewrite | undefined, req: RouteRequest): string | undefined {
  if (rewrite === undefined) return undefined;
  switch (rewrite.type) {
    case 'literal':
      return rewrite.host;
    case 'auto':
      return undefined;
    case 'header':
      return headerValue(req, rewrite.header);
    case 'pathRegex': {
      const host = rewrite.rewriter.replaceAll(pathWithoutQuery(req.path));
      return host === '' ? undefined : host;
    }
    default:
      return assertNever(rewrite);
  }
}

/**
 * The target after the route's path rewrite, or undefined. Envoy: `currentUrlPathAfterRewriteWithMatchedPath` —
 * `prefix_rewrite` replaces the matched prefix (or the exact path, or the whole path of a `safe_regex` route);
 * `regex_rewrite` rewrites the path without its query; the query is kept.
 */
export function rewritePath(route: CompiledRoute, action: Extract<CompiledRouteAction, { type: 'forward' }>, target: string): string | undefined {
  const rewrite = action.pathRewrite;
  if (rewrite === undefined) return undefined;
  const path = pathWithoutQuery(target);
  if (rewrite.type === 'prefix') return rewrite.prefix + target.slice(route.pathMatcher.matchedLength(path));
  return rewrite.rewriter.replaceAll(path) + target.slice(path.length);
}

/**
 * Resolves a forwarding route for one request: the cluster (picking a weighted cluster with `random01`, a number in
 * [0, 1) the caller draws, e.g. `Math.random()`), the rewritten path and host, and the timeout. Returns undefined
 * when the route does not forward (a redirect or direct response).
 */
export function resolveForward(selection: RouteSelection, req: RouteRequest, random01: number): ForwardDecision | undefined {
  const route = selection.route;
  const action = route.action;
  if (action.type !== 'forward') return undefined;
  const config = action.config;
  let clusterName: string | undefined;
  let weightedCluster: CompiledWeightedCluster | undefined;
  const spec = action.cluster;
  switch (spec.type) {
    case 'cluster':
      clusterName = spec.name === '' ? undefined : spec.name;
      break;
    case 'clusterHeader':
      clusterName = headerValue(req, spec.header);
      break;
    case 'weightedClusters': {
      weightedCluster = pickWeightedCluster(spec.clusters, spec.totalWeight, random01);
      const picked = weightedCluster?.cluster;
      clusterName = picked === undefined ? undefined : picked.type === 'cluster' ? picked.name : headerValue(req, picked.header);
      break;
    }
    default:
      assertNever(spec);
  }
  const routeHost = rewriteHost(action.hostRewrite, req);
  const auto = action.hostRewrite?.type === 'auto';
  return {
    clusterName,
    clusterNotFoundResponseCode: config.clusterNotFoundResponseCode,
    newPath: rewritePath(route, action, req.path),
    hostRewrite: routeHost ?? weightedCluster?.hostRewriteLiteral,
    autoHostRewrite: auto,
    appendXForwardedHost: config.appendXForwardedHost && (routeHost !== undefined || auto),
    timeoutMs: config.timeoutMs,
    weightedCluster,
    action: config,
  };
}
