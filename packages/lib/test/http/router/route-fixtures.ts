// Builders for route tables and requests used by the router tests: complete model objects with Envoy's defaults,
// so each table row states only what it is about.
import type {
  DirectResponseAction,
  ForwardAction,
  HeaderMatcher,
  HeaderMutations,
  HeaderValueOption,
  PathMatch,
  QueryParameterMatcher,
  RedirectAction,
  Route,
  RouteAction,
  RouteConfiguration,
  RouteMatch,
  VirtualHost,
} from '@orion/configuration';
import type { FormatContext } from '@orion/format';
import type { RouteRequest } from '../../../src/http/router/index.js';

export const NO_MUTATIONS: HeaderMutations = { requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] };

export function mutations(m: Partial<HeaderMutations>): HeaderMutations {
  return { ...NO_MUTATIONS, ...m };
}

export function add(key: string, value: string, appendAction: HeaderValueOption['appendAction'] = 'appendIfExistsOrAdd', keepEmptyValue = false): HeaderValueOption {
  return { key, value, appendAction, keepEmptyValue };
}

export function match(path: PathMatch, m: Partial<Omit<RouteMatch, 'path'>> = {}): RouteMatch {
  return { path, caseSensitive: true, headers: [], queryParameters: [], grpc: false, ...m };
}

export const prefix = (p: string): PathMatch => ({ type: 'prefix', prefix: p });
export const exactPath = (p: string): PathMatch => ({ type: 'path', path: p });
export const safeRegex = (regex: string): PathMatch => ({ type: 'safeRegex', regex });
export const separatedPrefix = (p: string): PathMatch => ({ type: 'pathSeparatedPrefix', prefix: p });

export function forward(cluster: string, a: Partial<ForwardAction> = {}): ForwardAction {
  return {
    type: 'forward',
    cluster: { type: 'cluster', name: cluster },
    clusterNotFoundResponseCode: 503,
    appendXForwardedHost: false,
    timeoutMs: 15_000,
    hashPolicies: [],
    upgradeConfigs: [],
    ...a,
  };
}

export function redirect(a: Partial<RedirectAction> = {}): RedirectAction {
  return { type: 'redirect', responseCode: 301, stripQuery: false, ...a };
}

export function direct(status: number, body?: DirectResponseAction['body']): DirectResponseAction {
  return body === undefined ? { type: 'directResponse', status } : { type: 'directResponse', status, body };
}

export function route(m: RouteMatch | PathMatch, action: RouteAction, r: Partial<Omit<Route, 'match' | 'action'>> = {}): Route {
  return { name: '', match: 'type' in m ? match(m) : m, action, headerMutations: NO_MUTATIONS, ...r };
}

export function vhost(name: string, domains: string[], routes: Route[], headerMutations: HeaderMutations = NO_MUTATIONS): VirtualHost {
  return { name, domains, routes, headerMutations, includeRequestAttemptCount: false, includeAttemptCountInResponse: false };
}

export function table(virtualHosts: VirtualHost[], t: Partial<Omit<RouteConfiguration, 'virtualHosts'>> = {}): RouteConfiguration {
  return {
    name: 'test',
    virtualHosts,
    headerMutations: NO_MUTATIONS,
    mostSpecificHeaderMutationsWins: false,
    ignorePortInHostMatching: false,
    validateClusters: false,
    maxDirectResponseBodySizeBytes: 4096,
    ...t,
  };
}

export function headerMatcher(name: string, m: HeaderMatcher['match'], h: Partial<Omit<HeaderMatcher, 'name' | 'match'>> = {}): HeaderMatcher {
  return { name, match: m, invert: false, treatMissingHeaderAsEmpty: false, ...h };
}

export function queryMatcher(name: string, m: QueryParameterMatcher['match']): QueryParameterMatcher {
  return { name, match: m };
}

export interface RequestSpec {
  readonly authority?: string;
  readonly path?: string;
  readonly method?: string;
  readonly scheme?: 'http' | 'https';
  readonly listenerPort?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

export function request(spec: RequestSpec = {}): RouteRequest {
  const headers = spec.headers ?? {};
  return {
    method: spec.method ?? 'GET',
    authority: spec.authority ?? 'example.com',
    path: spec.path ?? '/',
    scheme: spec.scheme ?? 'http',
    listenerPort: spec.listenerPort ?? 80,
    getHeader: (name) => headers[name],
  };
}

/** A format context whose request-header lookups read `headers` live. */
export function contextOf(headers: Record<string, string | string[] | undefined>, extra: Partial<FormatContext> = {}): FormatContext {
  return { requestHeaders: headers, ...extra };
}
