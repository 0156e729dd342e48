import type { DirectResponseAction, ForwardAction, RedirectAction, RouteAction } from '@orion/configuration';
import { assertNever } from '@orion/error';
import { loadDirectResponseBody } from './direct-response-body.js';
import { HeaderMutator } from './header-mutator.js';
import { RegexRewriter } from './regex-rewriter.js';

/** One cluster of a compiled `weighted_clusters`. Envoy: `WeightedCluster.ClusterWeight`. */
export interface CompiledWeightedCluster {
  /** `name`, or `cluster_header`: the request header naming the cluster. */
  readonly cluster: { readonly type: 'cluster'; readonly name: string } | { readonly type: 'clusterHeader'; readonly header: string };
  /** `weight`. */
  readonly weight: number;
  /** `request_headers_to_add` / `_to_remove` of this cluster; applied before the route's. */
  readonly requestMutator: HeaderMutator | undefined;
  /** `response_headers_to_add` / `_to_remove` of this cluster; applied before the route's. */
  readonly responseMutator: HeaderMutator | undefined;
  /** `host_rewrite_literal` of this cluster (a route-level host rewrite wins over it). */
  readonly hostRewriteLiteral: string | undefined;
}

/** Where a compiled forward sends the request. Envoy: `RouteAction.cluster_specifier`. */
export type CompiledClusterSpecifier =
  | { readonly type: 'cluster'; readonly name: string }
  | { readonly type: 'clusterHeader'; readonly header: string }
  | { readonly type: 'weightedClusters'; readonly clusters: readonly CompiledWeightedCluster[]; readonly totalWeight: number };

/** A compiled `prefix_rewrite` or `regex_rewrite`. */
export type CompiledPathRewrite = { readonly type: 'prefix'; readonly prefix: string } | { readonly type: 'regex'; readonly rewriter: RegexRewriter };

/** A compiled host rewrite. Envoy: `RouteAction.host_rewrite_specifier`. */
export type CompiledHostRewrite =
  | { readonly type: 'literal'; readonly host: string }
  | { readonly type: 'auto' }
  | { readonly type: 'header'; readonly header: string }
  | { readonly type: 'pathRegex'; readonly rewriter: RegexRewriter };

/** A compiled redirect path. Envoy: `RedirectAction.path_rewrite_specifier`. */
export type CompiledRedirectPathRewrite =
  | { readonly type: 'path'; readonly path: string; /** The path carries its own query, which then wins and is never stripped. */ readonly hasQuery: boolean }
  | { readonly type: 'prefix'; readonly prefix: string }
  | { readonly type: 'regex'; readonly rewriter: RegexRewriter };

/** A route's action with its regular expressions, header changes and body prepared. */
export type CompiledRouteAction =
  | {
      readonly type: 'forward';
      /** The configured action (timeouts, retry policy, hash policies, upgrades, …). */
      readonly config: ForwardAction;
      readonly cluster: CompiledClusterSpecifier;
      readonly pathRewrite: CompiledPathRewrite | undefined;
      readonly hostRewrite: CompiledHostRewrite | undefined;
    }
  | { readonly type: 'redirect'; readonly config: RedirectAction; readonly pathRewrite: CompiledRedirectPathRewrite | undefined }
  | { readonly type: 'directResponse'; readonly config: DirectResponseAction; readonly status: number; readonly body: Buffer | undefined };

function compileForward(action: ForwardAction, where: string): CompiledRouteAction {
  const spec = action.cluster;
  let cluster: CompiledClusterSpecifier;
  switch (spec.type) {
    case 'cluster':
    case 'clusterHeader':
      cluster = spec;
      break;
    case 'weightedClusters':
      cluster = {
        type: 'weightedClusters',
        totalWeight: spec.totalWeight,
        clusters: spec.clusters.map((c, i) => {
          const at = `${where}.weighted_clusters.clusters[${i}]`;
          const m = c.headerMutations;
          return {
            cluster: c.cluster,
            weight: c.weight,
            requestMutator: HeaderMutator.compile(m.requestHeadersToAdd, m.requestHeadersToRemove, `${at}.request_headers`),
            responseMutator: HeaderMutator.compile(m.responseHeadersToAdd, m.responseHeadersToRemove, `${at}.response_headers`),
            hostRewriteLiteral: c.hostRewriteLiteral === undefined || c.hostRewriteLiteral === '' ? undefined : c.hostRewriteLiteral,
          };
        }),
      };
      break;
    default:
      return assertNever(spec);
  }
  const rewrite = action.pathRewrite;
  let pathRewrite: CompiledPathRewrite | undefined;
  if (rewrite === undefined || (rewrite.type === 'prefix' && rewrite.prefix === '')) pathRewrite = undefined;
  else if (rewrite.type === 'prefix') pathRewrite = rewrite;
  else pathRewrite = { type: 'regex', rewriter: RegexRewriter.compile(rewrite, `${where}.regex_rewrite`) };
  const host = action.hostRewrite;
  let hostRewrite: CompiledHostRewrite | undefined;
  if (host === undefined) hostRewrite = undefined;
  else if (host.type === 'pathRegex') hostRewrite = { type: 'pathRegex', rewriter: RegexRewriter.compile(host, `${where}.host_rewrite_path_regex`) };
  else if (host.type === 'literal' && host.host === '') hostRewrite = undefined;
  else hostRewrite = host;
  return { type: 'forward', config: action, cluster, pathRewrite, hostRewrite };
}

function compileRedirect(action: RedirectAction, where: string): CompiledRouteAction {
  const rewrite = action.pathRewrite;
  let pathRewrite: CompiledRedirectPathRewrite | undefined;
  // Envoy treats an empty path_redirect or prefix_rewrite as unset.
  if (rewrite === undefined) pathRewrite = undefined;
  else if (rewrite.type === 'path') pathRewrite = rewrite.path === '' ? undefined : { type: 'path', path: rewrite.path, hasQuery: rewrite.path.includes('?') };
  else if (rewrite.type === 'prefix') pathRewrite = rewrite.prefix === '' ? undefined : rewrite;
  else pathRewrite = { type: 'regex', rewriter: RegexRewriter.compile(rewrite, `${where}.regex_rewrite`) };
  return { type: 'redirect', config: action, pathRewrite };
}

/**
 * Compiles a route's action. Envoy: `Route.route` (`RouteAction`), `Route.redirect` (`RedirectAction`) and
 * `Route.direct_response` (`DirectResponseAction`, whose body is read here, limited to `maxBodyBytes`).
 */
export async function compileRouteAction(action: RouteAction, maxBodyBytes: number, where: string): Promise<CompiledRouteAction> {
  switch (action.type) {
    case 'forward':
      return compileForward(action, `${where}.route`);
    case 'redirect':
      return compileRedirect(action, `${where}.redirect`);
    case 'directResponse':
      return {
        type: 'directResponse',
        config: action,
        status: action.status,
        body: await loadDirectResponseBody(action.body, maxBodyBytes, `${where}.direct_response.body`),
      };
    default:
      return assertNever(action);
  }
}
