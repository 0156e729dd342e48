import { describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { compileRouteConfiguration, RouterErrorCode, type StripPortMode } from '../../../src/http/router/index.js';
import {
  exactPath,
  forward,
  headerMatcher,
  match,
  prefix,
  queryMatcher,
  request,
  route,
  safeRegex,
  separatedPrefix,
  table,
  vhost,
  type RequestSpec,
} from './route-fixtures.js';

/** The cluster of the route selected for `spec`, or `null` when none is. */
async function clusterFor(config: ReturnType<typeof table>, spec: RequestSpec, stripPortMode: StripPortMode = 'none'): Promise<string | null> {
  const compiled = await compileRouteConfiguration(config, { stripPortMode });
  const selection = compiled.select(request(spec));
  if (selection === undefined) return null;
  const action = selection.route.action;
  return action.type === 'forward' && action.cluster.type === 'cluster' ? action.cluster.name : `<${action.type}>`;
}

// The virtual hosts of config_impl_test.cc `RouteMatcherTest.TestRoutes` (domains part).
const domainsTable = table([
  vhost('www2', ['lyft.com', 'www.lyft.com', 'w.lyft.com', 'ww.lyft.com', 'wwww.lyft.com'], [route(exactPath('/'), forward('root_www2')), route(prefix('/'), forward('www2'))]),
  vhost('www2_staging', ['www-staging.lyft.net', 'www-staging-orca.lyft.com'], [route(prefix('/'), forward('www2_staging'))]),
  vhost('wildcard', ['*.foo.com', '*-bar.baz.com'], [route(prefix('/'), forward('wildcard'))]),
  vhost('wildcard2', ['*.baz.com'], [route(prefix('/'), forward('wildcard2'))]),
  vhost('prefix', ['api.*', 'api.example.*'], [route(prefix('/'), forward('prefix'))]),
  vhost('default', ['*'], [route(prefix('/'), forward('instant-server'))]),
]);

describe('CompiledRouteConfiguration.select: virtual host domains', () => {
  // Envoy docs, route_components.proto `VirtualHost.domains`: exact → suffix wildcard → prefix wildcard → `*`,
  // longest wildcard first; the wildcard never matches the empty string. Rows from config_impl_test.cc TestRoutes.
  it.each([
    ['exact domain', 'lyft.com', '/foo', 'www2'],
    ['exact domain, exact path route first', 'wwww.lyft.com', '/', 'root_www2'],
    ['host compared case-insensitively (TestRoutes LYFT.COM)', 'LYFT.COM', '/foo', 'www2'],
    ['mixed-case host (TestRoutes wWww.LyfT.coM)', 'wWww.LyfT.coM', '/', 'root_www2'],
    ['suffix wildcard *.foo.com', 'www.foo.com', '/', 'wildcard'],
    ['longest suffix wildcard wins (*-bar.baz.com over *.baz.com)', 'foo-bar.baz.com', '/', 'wildcard'],
    ['wildcard needs one character: -bar.baz.com falls to *.baz.com', '-bar.baz.com', '/', 'wildcard2'],
    ['shorter suffix wildcard', 'bar.baz.com', '/', 'wildcard2'],
    ['*.foo.com does not match .foo.com', '.foo.com', '/', 'instant-server'],
    ['*.foo.com does not match foo.com', 'foo.com', '/', 'instant-server'],
    ['prefix wildcard api.*', 'api.lyft.net', '/', 'prefix'],
    ['longest prefix wildcard wins', 'api.example.org', '/', 'prefix'],
    ['suffix wildcards are tried before prefix wildcards', 'api.foo.com', '/', 'wildcard'],
    ['prefix wildcard needs one character: api. falls to *', 'api.', '/', 'instant-server'],
    ['default virtual host *', 'unknown.example', '/', 'instant-server'],
    ['port is part of the host: exact domain without port misses', 'lyft.com:8080', '/foo', 'instant-server'],
  ])('%s (%s%s → %s)', async (_name, authority, path, cluster) => {
    expect(await clusterFor(domainsTable, { authority, path })).toBe(cluster);
  });

  it('answers no route when no domain matches and there is no * (config_impl_test.cc TestRoutes: no host → no route)', async () => {
    const t = table([vhost('only', ['only.example'], [route(prefix('/'), forward('a'))])]);
    expect(await clusterFor(t, { authority: 'other.example' })).toBeNull();
  });

  it('finds the longest wildcard among many of one length (RouteMatcher::findWildcardVirtualHost)', async () => {
    const many = Array.from({ length: 12 }, (_, i) => vhost(`s${i}`, [`*.s${String(i).padStart(2, '0')}.example`, `p${String(i).padStart(2, '0')}.*`], [route(prefix('/'), forward(`c${i}`))]));
    const t = table([...many, vhost('d', ['*'], [route(prefix('/'), forward('default'))])]);
    expect(await clusterFor(t, { authority: 'www.s07.example' })).toBe('c7');
    expect(await clusterFor(t, { authority: 'p11.anything' })).toBe('c11');
    expect(await clusterFor(t, { authority: 'www.s99.example' })).toBe('default');
  });

  it('skips the host lookup when only * is configured (RouteMatcher::findVirtualHost fast path)', async () => {
    const t = table([vhost('all', ['*'], [route(prefix('/'), forward('a'))])]);
    expect(await clusterFor(t, { authority: '' })).toBe('a');
  });

  // Envoy docs: route_components.proto `RouteConfiguration.ignore_port_in_host_matching`, HCM `strip_matching_host_port`
  // and `strip_any_host_port` (HeaderUtility::stripPortFromHost). Domains may carry a port.
  const portTable = (ignorePortInHostMatching: boolean): ReturnType<typeof table> =>
    table(
      [
        vhost('plain', ['example.com'], [route(prefix('/'), forward('plain'))]),
        vhost('with-port', ['example.com:8080'], [route(prefix('/'), forward('with-port'))]),
        vhost('v6', ['[::1]'], [route(prefix('/'), forward('v6'))]),
        vhost('default', ['*'], [route(prefix('/'), forward('default'))]),
      ],
      { ignorePortInHostMatching },
    );
  it.each([
    ['domain with port matches host with that port', false, 'none', 'example.com:8080', 80, 'with-port'],
    ['host with another port falls to *', false, 'none', 'example.com:9090', 80, 'default'],
    ['ignore_port_in_host_matching drops any port', true, 'none', 'example.com:9090', 80, 'plain'],
    ['ignore_port_in_host_matching also hides the domain with a port', true, 'none', 'example.com:8080', 80, 'plain'],
    ['strip_matching_host_port strips the listener port', false, 'matching', 'example.com:80', 80, 'plain'],
    ['strip_matching_host_port keeps another port', false, 'matching', 'example.com:8080', 80, 'with-port'],
    ['strip_any_host_port strips any numeric port', false, 'any', 'example.com:9090', 80, 'plain'],
    ['IPv6 literal without port is not stripped', false, 'any', '[::1]', 80, 'v6'],
    ['IPv6 literal with port is stripped', false, 'any', '[::1]:443', 80, 'v6'],
    ['IPv6 literal port ignored for matching', true, 'none', '[::1]:8443', 80, 'v6'],
  ] as const)('%s (%s)', async (_name, ignorePort, mode, authority, listenerPort, cluster) => {
    expect(await clusterFor(portTable(ignorePort), { authority, listenerPort }, mode)).toBe(cluster);
  });

  it('refuses a domain claimed by two virtual hosts (RouteMatcher: "Only unique values for domains are permitted")', async () => {
    const t = table([vhost('a', ['x.example'], []), vhost('b', ['X.example'], [])]);
    const err = await compileRouteConfiguration(t).catch((e: unknown) => e);
    expect(OrionError.is(err, RouterErrorCode.ROUTE_CONFIG)).toBe(true);
    expect(String(err)).toContain('compiling route table "test"');
  });
});

// Routes of config_impl_test.cc TestRoutes (`regex` and `default` virtual hosts) and route_components.proto
// `RouteMatch` docs.
const pathsTable = table([
  vhost('regex', ['bat.com'], [
    route(safeRegex('/t[io]c'), forward('clock')),
    route(safeRegex('/baa+'), forward('sheep')),
    route(safeRegex('.*/\\d{3}$'), forward('three_numbers')),
    route(safeRegex('.*'), forward('regex_default')),
  ]),
  vhost('default', ['*'], [
    route(prefix('/api/application_data'), forward('ats')),
    route(match(exactPath('/api/locations'), { caseSensitive: false }), forward('locations')),
    route(match(exactPath('/foo'), { caseSensitive: true }), forward('foo-exact')),
    route(match(prefix('/CaseLess'), { caseSensitive: false }), forward('caseless')),
    route(separatedPrefix('/sep'), forward('separated')),
    route(match(separatedPrefix('/Sep2'), { caseSensitive: false }), forward('separated-ci')),
    route(prefix('/'), forward('instant-server')),
  ]),
]);

describe('CompiledRouteConfiguration.select: path specifiers', () => {
  it.each([
    // safe_regex is a full match on the path without its query (TestRoutes "Regular Expression matching").
    ['safe_regex full match /tic', 'bat.com', '/tic', 'clock'],
    ['safe_regex full match /toc', 'bat.com', '/toc', 'clock'],
    ['safe_regex is anchored: /tick is not /t[io]c', 'bat.com', '/tick', 'regex_default'],
    ['safe_regex is anchored at the start: /tic/toc', 'bat.com', '/tic/toc', 'regex_default'],
    ['safe_regex /baa+ on a long path', 'bat.com', '/baaaaaaaaaaaa', 'sheep'],
    ['safe_regex /baa+ needs two a', 'bat.com', '/ba', 'regex_default'],
    ['safe_regex ignores the query string', 'bat.com', '/tic?tac=true', 'clock'],
    ['safe_regex sees no query: /tac?tic=true', 'bat.com', '/tac?tic=true', 'regex_default'],
    ['safe_regex with \\d{3}$', 'bat.com', '/foo/bar/238?bar=true', 'three_numbers'],
    ['empty path matches .*', 'bat.com', '', 'regex_default'],
    // prefix / path and case_sensitive (TestRoutes "Base routing testing", "Case sensitive rewrite matching").
    ['prefix', 'api.lyft.com', '/api/application_data/x', 'ats'],
    ['path matches without query', 'api.lyft.com', '/api/locations?works=true', 'locations'],
    ['path with case_sensitive false', 'api.lyft.com', '/API/locations', 'locations'],
    ['path with case_sensitive true refuses /FOO', 'api.lyft.com', '/FOO', 'instant-server'],
    ['path is exact: /foo/ is not /foo', 'api.lyft.com', '/foo/', 'instant-server'],
    ['prefix with case_sensitive false', 'api.lyft.com', '/caseless/x', 'caseless'],
    ['prefix is case-sensitive by default', 'api.lyft.com', '/API/application_data', 'instant-server'],
    // path_separated_prefix (route_components.proto RouteMatch.path_separated_prefix).
    ['path_separated_prefix matches the prefix itself', 'x', '/sep', 'separated'],
    ['path_separated_prefix matches prefix + /', 'x', '/sep/more', 'separated'],
    ['path_separated_prefix matches prefix + ?query', 'x', '/sep?x=1', 'separated'],
    ['path_separated_prefix refuses /separate', 'x', '/separate', 'instant-server'],
    ['path_separated_prefix with case_sensitive false', 'x', '/SEP2/x', 'separated-ci'],
  ])('%s (%s%s → %s)', async (_name, authority, path, cluster) => {
    expect(await clusterFor(pathsTable, { authority, path })).toBe(cluster);
  });

  it('takes the first matching route in order (Envoy docs "HTTP routing": routes are matched in order)', async () => {
    const t = table([vhost('v', ['*'], [route(prefix('/'), forward('first')), route(prefix('/api'), forward('second'))])]);
    expect(await clusterFor(t, { path: '/api/x' })).toBe('first');
  });

  it('answers no route when the virtual host has no matching route', async () => {
    const t = table([vhost('v', ['*'], [route(prefix('/api'), forward('a'))])]);
    expect(await clusterFor(t, { path: '/other' })).toBeNull();
  });

  it('rejects a pattern RE2 refuses at compile time, naming the field (safe_regex is RE2)', async () => {
    const t = table([vhost('v', ['*'], [route(safeRegex('(?=lookahead)'), forward('a'))])]);
    const err = await compileRouteConfiguration(t).catch((e: unknown) => e);
    expect(OrionError.is(err, RouterErrorCode.ROUTE_CONFIG)).toBe(true);
    expect((err as Error).message).toContain('virtual_hosts[0].routes[0].match.safe_regex');
  });

  it('matches a pathological pattern in linear time (RE2 semantics, no backtracking)', async () => {
    const t = table([vhost('v', ['*'], [route(safeRegex('/(a+)+$'), forward('a')), route(prefix('/'), forward('b'))])]);
    const compiled = await compileRouteConfiguration(t);
    const started = performance.now();
    const selection = compiled.select(request({ path: `/${'a'.repeat(5000)}!` }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(selection?.route.action.type === 'forward' && selection.route.action.cluster).toEqual({ type: 'cluster', name: 'b' });
  });
});

describe('CompiledRouteConfiguration.select: grpc, headers and query parameters', () => {
  // route_components.proto RouteMatch.grpc; Grpc::Common::isGrpcRequestHeaders.
  const grpcTable = table([vhost('v', ['*'], [route(match(prefix('/'), { grpc: true }), forward('grpc')), route(prefix('/'), forward('http'))])]);
  it.each([
    ['application/grpc', 'grpc'],
    ['application/grpc+proto', 'grpc'],
    ['application/grpc-web', 'http'],
    ['application/json', 'http'],
  ])('grpc: true with content-type %s → %s', async (contentType, cluster) => {
    expect(await clusterFor(grpcTable, { headers: { 'content-type': contentType } })).toBe(cluster);
  });

  it('grpc: true refuses a request without content-type', async () => {
    expect(await clusterFor(grpcTable, {})).toBe('http');
  });

  // config_impl_test.cc RouteMatcherTest.HeaderMatchedRouting: all header matchers of a route must match.
  const headerTable = table([
    vhost('v', ['*'], [
      route(match(prefix('/'), { headers: [headerMatcher('test_header', { type: 'string', matcher: { type: 'exact', value: 'test', ignoreCase: false } })] }), forward('with_header')),
      route(
        match(prefix('/'), {
          headers: [
            headerMatcher('test_header_multiple1', { type: 'string', matcher: { type: 'exact', value: 'test1', ignoreCase: false } }),
            headerMatcher('test_header_multiple2', { type: 'string', matcher: { type: 'exact', value: 'test2', ignoreCase: false } }),
          ],
        }),
        forward('with_multiple_headers'),
      ),
      route(match(prefix('/'), { headers: [headerMatcher(':method', { type: 'string', matcher: { type: 'exact', value: 'POST', ignoreCase: false } })] }), forward('post')),
      route(prefix('/'), forward('without_headers')),
    ]),
  ]);
  it.each([
    ['one exact header', { test_header: 'test' }, 'GET', 'with_header'],
    ['exact value differs', { test_header: 'other' }, 'GET', 'without_headers'],
    ['both of two headers', { test_header_multiple1: 'test1', test_header_multiple2: 'test2' }, 'GET', 'with_multiple_headers'],
    ['only one of two headers', { test_header_multiple1: 'test1' }, 'GET', 'without_headers'],
    ['pseudo-header :method', {}, 'POST', 'post'],
  ])('headers: %s → %s', async (_name, headers, method, cluster) => {
    expect(await clusterFor(headerTable, { headers, method })).toBe(cluster);
  });

  // route_components.proto QueryParameterMatcher; config_impl_test.cc QueryParamMatchedRouting.
  const queryTable = table([
    vhost('v', ['*'], [
      route(
        match(prefix('/'), {
          queryParameters: [
            queryMatcher('id', { type: 'string', matcher: { type: 'safeRegex', regex: '\\d+[02468]' } }),
            queryMatcher('debug', { type: 'present', present: true }),
          ],
        }),
        forward('id-and-debug'),
      ),
      route(match(prefix('/'), { queryParameters: [queryMatcher('param', { type: 'string', matcher: { type: 'exact', value: 'test', ignoreCase: false } })] }), forward('param-test')),
      route(match(prefix('/'), { queryParameters: [queryMatcher('ci', { type: 'string', matcher: { type: 'exact', value: 'yes', ignoreCase: true } })] }), forward('ci')),
      route(match(prefix('/'), { queryParameters: [queryMatcher('gone', { type: 'present', present: false })] }), forward('no-gone')),
      route(prefix('/'), forward('default')),
    ]),
  ]);
  it.each([
    ['regex and present both match', '/?id=1232&debug', 'id-and-debug'],
    ['regex fails (odd id)', '/?id=1233&debug=1', 'no-gone'],
    ['present needs the parameter', '/?id=1232', 'no-gone'],
    ['exact value', '/?param=test', 'param-test'],
    ['exact value differs', '/?param=testing', 'no-gone'],
    ['only the first of repeated values counts', '/?param=other&param=test', 'no-gone'],
    ['values are not URL-decoded', '/?param=t%65st', 'no-gone'],
    ['ignore_case string match', '/?ci=YES', 'ci'],
    ['present_match false refuses a present parameter', '/?gone', 'default'],
    ['a parameter without = has an empty value and is present', '/?debug&id=10', 'id-and-debug'],
    ['the query ends at #', '/?x=1#param=test', 'no-gone'],
  ])('query_parameters: %s (%s → %s)', async (_name, path, cluster) => {
    expect(await clusterFor(queryTable, { path })).toBe(cluster);
  });
});
