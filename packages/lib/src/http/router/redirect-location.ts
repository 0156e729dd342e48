import type { RedirectAction } from '@orion/configuration';
import type { RouteSelection } from './compiled-route.js';
import { pathWithoutQuery } from './path-matcher.js';
import { routingAuthority } from './host-port.js';
import type { RouteRequest } from './route-request.js';

/** The answer of a redirect route. Envoy: the local reply of a `RedirectAction`. */
export interface RedirectResponse {
  /** `response_code`: 301 (default), 302, 303, 307 or 308. */
  readonly status: RedirectAction['responseCode'];
  /** The `location` header value: an absolute URL. */
  readonly location: string;
}

/**
 * The host of the request for the redirect: the port is dropped when the redirect sets one, or when the scheme
 * changes and the port is the old scheme's default (`:80` for http, `:443` for https). Envoy: `processRequestHost`.
 */
function requestHost(authority: string, requestScheme: string, newScheme: string, newPort: string): string {
  if (authority === '') return authority;
  let portStart: number;
  if (authority.charCodeAt(0) === 0x5b) {
    const close = authority.lastIndexOf(']:');
    portStart = close < 0 ? -1 : close + 1;
  } else {
    portStart = authority.lastIndexOf(':');
  }
  if (portStart < 0) return authority;
  const port = authority.slice(portStart);
  let remove = newPort !== '';
  if (newScheme !== requestScheme) {
    remove ||= (requestScheme === 'https' && port === ':443') || (requestScheme === 'http' && port === ':80');
  }
  return remove ? authority.slice(0, portStart) : authority;
}

/**
 * The status and `Location` of a redirect route. Envoy: `RouteEntryImplBase::newUri` after `rewritePathHeader`:
 * scheme from `https_redirect` / `scheme_redirect` or the request; host from `host_redirect` or the request (see the
 * port rules above); `port_redirect` appended; the path from `path_redirect` (its own query wins and is never
 * stripped; otherwise the request's query is kept), `prefix_rewrite` (replacing the matched prefix) or
 * `regex_rewrite`; `strip_query` drops the query. The request host is taken after the connection manager's port
 * stripping (`strip_matching_host_port` / `strip_any_host_port`). Returns undefined when the route is not a redirect.
 */
export function redirectLocation(selection: RouteSelection, req: RouteRequest): RedirectResponse | undefined {
  const action = selection.route.action;
  if (action.type !== 'redirect') return undefined;
  const config = action.config;
  const scheme = config.scheme ?? req.scheme;
  const port = config.port === undefined ? '' : `:${config.port}`;
  const host = config.host ?? requestHost(routingAuthority(req, selection.virtualHost.stripPortMode), req.scheme, scheme, port);

  let target = req.path;
  let hasOwnQuery = false;
  const rewrite = action.pathRewrite;
  if (rewrite !== undefined) {
    const path = pathWithoutQuery(target);
    switch (rewrite.type) {
      case 'prefix':
        target = rewrite.prefix + target.slice(selection.route.pathMatcher.matchedLength(path));
        break;
      case 'regex': {
        const rewritten = rewrite.rewriter.replaceAll(path);
        // Envoy treats an empty result as "no rewrite".
        if (rewritten !== '') target = rewritten + target.slice(path.length);
        break;
      }
      case 'path': {
        hasOwnQuery = rewrite.hasQuery;
        if (hasOwnQuery) target = rewrite.path;
        else {
          const q = target.indexOf('?');
          target = q < 0 ? rewrite.path : rewrite.path + target.slice(q);
        }
        break;
      }
    }
  }
  if (!target.startsWith('/')) target = `/${target}`;
  if (config.stripQuery && !hasOwnQuery) {
    const q = target.indexOf('?');
    if (q >= 0) target = target.slice(0, q);
  }
  return { status: config.responseCode, location: `${scheme}://${host}${port}${target}` };
}
