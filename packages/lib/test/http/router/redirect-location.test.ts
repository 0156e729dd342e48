import { describe, expect, it } from 'vitest';
import type { PathMatch, RedirectAction, RouteMatch } from '@orion/configuration';
import { compileRouteConfiguration, redirectLocation, type RedirectResponse, type StripPortMode } from '../../../src/http/router/index.js';
import { exactPath, forward, match, prefix, redirect, request, route, safeRegex, table, vhost, type RequestSpec } from './route-fixtures.js';

async function locate(m: RouteMatch | PathMatch, action: RedirectAction, spec: RequestSpec, stripPortMode: StripPortMode = 'none'): Promise<RedirectResponse | undefined> {
  const compiled = await compileRouteConfiguration(table([vhost('v', ['*'], [route(m, action)])]), { stripPortMode });
  const req = request(spec);
  const selection = compiled.select(req);
  if (selection === undefined) throw new Error('no route');
  return redirectLocation(selection, req);
}

type Row = readonly [name: string, m: RouteMatch | PathMatch, action: Partial<RedirectAction>, spec: RequestSpec, location: string];

describe('redirectLocation', () => {
  // Envoy: route_components.proto RedirectAction (scheme rules 1–2, path_redirect query examples 1–3,
  // regex_rewrite examples), Http::Utility::newUri + processRequestHost, config_impl_test.cc
  // RouteMatcherTest.Redirect ("https://redirect.lyft.com/https", "https://new.lyft.com/host_https", …).
  const rows: Row[] = [
    ['https_redirect keeps host and path', prefix('/https'), { scheme: 'https' }, { authority: 'redirect.lyft.com', path: '/https' }, 'https://redirect.lyft.com/https'],
    ['https_redirect + host_redirect', prefix('/'), { scheme: 'https', host: 'new.lyft.com' }, { authority: 'redirect.lyft.com', path: '/host_https' }, 'https://new.lyft.com/host_https'],
    ['https_redirect + path_redirect', prefix('/'), { scheme: 'https', pathRewrite: { type: 'path', path: '/new_path' } }, { authority: 'redirect.lyft.com', path: '/path_https' }, 'https://redirect.lyft.com/new_path'],
    ['https_redirect + host + path', prefix('/'), { scheme: 'https', host: 'new.lyft.com', pathRewrite: { type: 'path', path: '/new_path' } }, { authority: 'redirect.lyft.com', path: '/x' }, 'https://new.lyft.com/new_path'],
    ['no scheme change keeps the request scheme', prefix('/'), { host: 'new.lyft.com' }, { authority: 'a', path: '/p', scheme: 'https' }, 'https://new.lyft.com/p'],
    ['scheme rule 1: http :80 dropped on https_redirect', prefix('/'), { scheme: 'https' }, { authority: 'redirect.lyft.com:80', path: '/p' }, 'https://redirect.lyft.com/p'],
    ['scheme rule 2: https :443 dropped on scheme_redirect http', prefix('/'), { scheme: 'http' }, { authority: 'redirect.lyft.com:443', path: '/p', scheme: 'https' }, 'http://redirect.lyft.com/p'],
    ['a non-default port is kept across a scheme change', prefix('/'), { scheme: 'https' }, { authority: 'redirect.lyft.com:8080', path: '/p' }, 'https://redirect.lyft.com:8080/p'],
    ['the default port is kept when the scheme does not change', prefix('/'), { pathRewrite: { type: 'path', path: '/n' } }, { authority: 'redirect.lyft.com:80', path: '/p' }, 'http://redirect.lyft.com:80/n'],
    ['port_redirect replaces the request port', prefix('/'), { port: 8443 }, { authority: 'redirect.lyft.com:8080', path: '/p' }, 'http://redirect.lyft.com:8443/p'],
    ['port_redirect with https_redirect', prefix('/'), { scheme: 'https', port: 8443 }, { authority: 'redirect.lyft.com', path: '/p' }, 'https://redirect.lyft.com:8443/p'],
    ['host_redirect drops the request port', prefix('/'), { host: 'new.lyft.com' }, { authority: 'redirect.lyft.com:8080', path: '/p' }, 'http://new.lyft.com/p'],
    ['IPv6 host: :80 dropped on https_redirect', prefix('/'), { scheme: 'https' }, { authority: '[::1]:80', path: '/p' }, 'https://[::1]/p'],
    ['IPv6 host without port is kept whole', prefix('/'), { scheme: 'https' }, { authority: '[fe80::1]', path: '/p' }, 'https://[fe80::1]/p'],
    ['scheme_redirect to another scheme', prefix('/'), { scheme: 'ws' }, { authority: 'a.example:80', path: '/p' }, 'ws://a.example/p'],
    ['path_redirect example 1: request query kept', exactPath('/old-path-1'), { pathRewrite: { type: 'path', path: '/new-path-1' } }, { authority: 'a', path: '/old-path-1?bar=1' }, 'http://a/new-path-1?bar=1'],
    ['path_redirect example 2: strip_query', exactPath('/old-path-2'), { pathRewrite: { type: 'path', path: '/new-path-2' }, stripQuery: true }, { authority: 'a', path: '/old-path-2?bar=1' }, 'http://a/new-path-2'],
    ['path_redirect example 3: its own query wins and is not stripped', exactPath('/old-path-3'), { pathRewrite: { type: 'path', path: '/new-path-3?foo=1' }, stripQuery: true }, { authority: 'a', path: '/old-path-3?bar=1' }, 'http://a/new-path-3?foo=1'],
    ['strip_query without a path rewrite', prefix('/'), { stripQuery: true }, { authority: 'a', path: '/p?x=1&y=2' }, 'http://a/p'],
    ['prefix_rewrite replaces the matched prefix, query kept', prefix('/prefix'), { pathRewrite: { type: 'prefix', prefix: '/new/prefix' } }, { authority: 'a', path: '/prefix/some/path/?lang=eng&con=US' }, 'http://a/new/prefix/some/path/?lang=eng&con=US'],
    ['prefix_rewrite with strip_query', prefix('/prefix'), { pathRewrite: { type: 'prefix', prefix: '/new/prefix' }, stripQuery: true }, { authority: 'a', path: '/prefix/x?lang=eng' }, 'http://a/new/prefix/x'],
    ['prefix_rewrite on an exact path', exactPath('/path/prefix'), { pathRewrite: { type: 'prefix', prefix: '/new/path/' } }, { authority: 'a', path: '/path/prefix' }, 'http://a/new/path/'],
    ['prefix_rewrite on a case-insensitive prefix', match(prefix('/CaSe'), { caseSensitive: false }), { pathRewrite: { type: 'prefix', prefix: '/new' } }, { authority: 'a', path: '/case/x' }, 'http://a/new/x'],
    ['prefix_rewrite on a safe_regex route replaces the whole path', safeRegex('/r.*'), { pathRewrite: { type: 'prefix', prefix: '/whole' } }, { authority: 'a', path: '/regex/x?q' }, 'http://a/whole?q'],
    ['regex_rewrite \\2/instance/\\1, query kept', prefix('/service'), { pathRewrite: { type: 'regex', pattern: '^/service/([^/]+)(/.*)$', substitution: '\\2/instance/\\1' } }, { authority: 'a', path: '/service/foo/v1/api?k=v' }, 'http://a/v1/api/instance/foo?k=v'],
    ['regex_rewrite with strip_query', prefix('/'), { pathRewrite: { type: 'regex', pattern: 'one', substitution: 'two' }, stripQuery: true }, { authority: 'a', path: '/xxx/one/yyy/one/zzz?q=1' }, 'http://a/xxx/two/yyy/two/zzz'],
    ['a path without a leading / gets one', prefix('/'), { pathRewrite: { type: 'path', path: 'relative' } }, { authority: 'a', path: '/p' }, 'http://a/relative'],
  ];
  it.each(rows)('%s', async (_name, m, a, spec, location) => {
    expect((await locate(m, redirect(a), spec))?.location).toBe(location);
  });

  it.each([301, 302, 303, 307, 308] as const)('answers response_code %s (RedirectAction.response_code)', async (responseCode) => {
    expect((await locate(prefix('/'), redirect({ responseCode }), { authority: 'a' }))?.status).toBe(responseCode);
  });

  it('builds the host after strip_any_host_port, as Envoy rewrites the Host header before routing', async () => {
    expect((await locate(prefix('/'), redirect({ pathRewrite: { type: 'path', path: '/n' } }), { authority: 'a.example:9000' }, 'any'))?.location).toBe('http://a.example/n');
  });

  it('returns undefined for a route that does not redirect', async () => {
    const compiled = await compileRouteConfiguration(table([vhost('v', ['*'], [route(prefix('/'), forward('c'))])]));
    const req = request();
    const selection = compiled.select(req);
    expect(selection && redirectLocation(selection, req)).toBeUndefined();
  });
});
