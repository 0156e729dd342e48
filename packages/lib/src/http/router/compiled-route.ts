import type { Route, RouteConfiguration, VirtualHost } from '@orion/configuration';
import { isGrpcContentType } from '@orion/http-header';
import { compileRouteAction, type CompiledRouteAction } from './compiled-route-action.js';
import { compileHeaderMatchers, type HeaderPredicate } from './header-matcher.js';
import { HeaderMutator } from './header-mutator.js';
import { compilePathMatcher, type PathMatcher } from './path-matcher.js';
import { compileQueryParameterMatchers, type QueryPredicate } from './query-parameter-matcher.js';
import type { RouteRequest, StripPortMode } from './route-request.js';

/** What {@link CompiledRouteConfiguration.select} found: the virtual host and its first matching route. */
export interface RouteSelection {
  readonly virtualHost: CompiledVirtualHost;
  readonly route: CompiledRoute;
}

/** A virtual host ready for matching. Envoy: `envoy.config.route.v3.VirtualHost`. */
export interface CompiledVirtualHost {
  /** `name`. */
  readonly name: string;
  /** The configuration it was compiled from. */
  readonly config: VirtualHost;
  /** `routes`, in order: the first match wins. */
  readonly routes: readonly CompiledRoute[];
  /** The connection manager's port stripping the table was compiled with (redirects use it for the host). */
  readonly stripPortMode: StripPortMode;
}

/** A route ready for matching. Envoy: `envoy.config.route.v3.Route`. */
export interface CompiledRoute {
  /** `name`. Default `""`. */
  readonly name: string;
  /** The configuration it was compiled from. */
  readonly config: Route;
  /** The virtual host it belongs to. */
  readonly virtualHost: CompiledVirtualHost;
  /** The action, compiled. */
  readonly action: CompiledRouteAction;
  /** The path specifier, compiled (also says how much of the path a `prefix_rewrite` replaces). */
  readonly pathMatcher: PathMatcher;
  /**
   * The request header changes of the route, its virtual host and the route table, in the order they apply:
   * route → virtual host → table (the table's win), or the reverse with `most_specific_header_mutations_wins`.
   */
  readonly requestMutators: readonly HeaderMutator[];
  /** The response header changes, ordered like {@link requestMutators}. */
  readonly responseMutators: readonly HeaderMutator[];
  /** The {@link RouteSelection} returned for this route (built once, so selecting allocates nothing). */
  readonly selection: RouteSelection;
  /**
   * True when the request matches `RouteMatch`: its path specifier (tested on `path`, the target without its query),
   * `grpc`, `headers` and `query_parameters`.
   */
  matches(req: RouteRequest, path: string): boolean;
}

class RouteEntryImpl implements CompiledRoute {
  readonly name: string;
  readonly config: Route;
  readonly virtualHost: CompiledVirtualHost;
  readonly action: CompiledRouteAction;
  readonly pathMatcher: PathMatcher;
  readonly requestMutators: readonly HeaderMutator[];
  readonly responseMutators: readonly HeaderMutator[];
  readonly selection: RouteSelection;
  readonly #grpc: boolean;
  readonly #headers: HeaderPredicate | undefined;
  readonly #query: QueryPredicate | undefined;

  constructor(
    config: Route,
    virtualHost: CompiledVirtualHost,
    action: CompiledRouteAction,
    pathMatcher: PathMatcher,
    headers: HeaderPredicate | undefined,
    query: QueryPredicate | undefined,
    requestMutators: readonly HeaderMutator[],
    responseMutators: readonly HeaderMutator[],
  ) {
    this.name = config.name;
    this.config = config;
    this.virtualHost = virtualHost;
    this.action = action;
    this.pathMatcher = pathMatcher;
    this.#grpc = config.match.grpc;
    this.#headers = headers;
    this.#query = query;
    this.requestMutators = requestMutators;
    this.responseMutators = responseMutators;
    this.selection = Object.freeze({ virtualHost, route: this });
  }

  matches(req: RouteRequest, path: string): boolean {
    if (!this.pathMatcher.matches(path)) return false;
    // Envoy: `Grpc::Common::isGrpcRequestHeaders`, content-type `application/grpc` or `application/grpc+…`.
    if (this.#grpc && !isGrpcContentType(req.getHeader('content-type'))) return false;
    if (this.#headers !== undefined && !this.#headers(req)) return false;
    return this.#query === undefined || this.#query(req.path);
  }
}

/** The levels of one direction, least specific first, without the empty ones. */
function ordered(levels: readonly (HeaderMutator | undefined)[], mostSpecificWins: boolean): readonly HeaderMutator[] {
  const present = levels.filter((m): m is HeaderMutator => m !== undefined);
  // Later levels win. Envoy evaluates route → vhost → table by default, table → vhost → route when the most
  // specific level should win.
  return mostSpecificWins ? present : present.reverse();
}

/**
 * Compiles a virtual host and its routes (reading direct-response bodies). `where` names the virtual host in
 * errors. Throws the `OrionError`s of the parts (`ORION_ERR_LIB_ROUTE_CONFIG`, `ORION_ERR_LIB_ROUTE_DIRECT_RESPONSE_BODY`).
 */
export async function compileVirtualHost(
  config: VirtualHost,
  table: RouteConfiguration,
  tableMutators: { readonly request: HeaderMutator | undefined; readonly response: HeaderMutator | undefined },
  stripPortMode: StripPortMode,
  where: string,
): Promise<CompiledVirtualHost> {
  const routes: CompiledRoute[] = [];
  const vhost: CompiledVirtualHost = { name: config.name, config, routes, stripPortMode };
  const vm = config.headerMutations;
  const vhostRequest = HeaderMutator.compile(vm.requestHeadersToAdd, vm.requestHeadersToRemove, `${where}.request_headers`);
  const vhostResponse = HeaderMutator.compile(vm.responseHeadersToAdd, vm.responseHeadersToRemove, `${where}.response_headers`);
  const wins = table.mostSpecificHeaderMutationsWins;
  for (const [i, route] of config.routes.entries()) {
    const at = `${where}.routes[${i}]`;
    const match = route.match;
    const rm = route.headerMutations;
    const routeRequest = HeaderMutator.compile(rm.requestHeadersToAdd, rm.requestHeadersToRemove, `${at}.request_headers`);
    const routeResponse = HeaderMutator.compile(rm.responseHeadersToAdd, rm.responseHeadersToRemove, `${at}.response_headers`);
    routes.push(
      new RouteEntryImpl(
        route,
        vhost,
        await compileRouteAction(route.action, table.maxDirectResponseBodySizeBytes, at),
        compilePathMatcher(match.path, match.caseSensitive, `${at}.match`),
        compileHeaderMatchers(match.headers, `${at}.match.headers`),
        compileQueryParameterMatchers(match.queryParameters, `${at}.match.query_parameters`),
        ordered([tableMutators.request, vhostRequest, routeRequest], wins),
        ordered([tableMutators.response, vhostResponse, routeResponse], wins),
      ),
    );
  }
  return vhost;
}
