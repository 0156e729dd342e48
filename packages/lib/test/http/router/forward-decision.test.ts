import { describe, expect, it } from 'vitest';
import type { ForwardAction } from '@orion/configuration';
import { compileRouteConfiguration, pickWeightedCluster, resolveForward, type ForwardDecision } from '../../../src/http/router/index.js';
import { exactPath, forward, match, mutations, add, prefix, request, route, safeRegex, table, vhost, type RequestSpec } from './route-fixtures.js';
import type { PathMatch, RouteMatch } from '@orion/configuration';

async function decide(m: RouteMatch | PathMatch, action: ForwardAction, spec: RequestSpec, random01 = 0): Promise<ForwardDecision | undefined> {
  const compiled = await compileRouteConfiguration(table([vhost('v', ['*'], [route(m, action)])]));
  const req = request(spec);
  const selection = compiled.select(req);
  if (selection === undefined) throw new Error('no route');
  return resolveForward(selection, req, random01);
}

describe('resolveForward: path rewrites', () => {
  // config_impl_test.cc RouteMatcherTest.TestRoutes ("Prefix rewrite testing", "Regular expression path rewrite …")
  // and route_components.proto RouteAction.prefix_rewrite / regex_rewrite.
  it.each([
    ['prefix_rewrite replaces the matched prefix', prefix('/new_endpoint'), { type: 'prefix', prefix: '/api/new_endpoint' }, '/new_endpoint/foo', '/api/new_endpoint/foo'],
    ['prefix_rewrite on an exact path keeps the query', match(exactPath('/api/locations'), { caseSensitive: false }), { type: 'prefix', prefix: '/rewrote' }, '/api/locations?works=true', '/rewrote?works=true'],
    ['prefix_rewrite on a case-insensitive path match', match(exactPath('/FOOD'), { caseSensitive: false }), { type: 'prefix', prefix: '/cAndy' }, '/fooD', '/cAndy'],
    ['prefix_rewrite on a safe_regex route replaces the whole path', safeRegex('.*/\\d{3}$'), { type: 'prefix', prefix: '/rewrote' }, '/foo/bar/238?bar=true', '/rewrote?bar=true'],
    ['prefix_rewrite trailing-slash pitfall (/prefix → / on /prefix/x gives //x)', prefix('/prefix'), { type: 'prefix', prefix: '/' }, '/prefix/x', '//x'],
    ['regex_rewrite with groups (^/new(.*?)_endpoint(.*)$)', prefix('/newforreg1_endpoint'), { type: 'regex', pattern: '^/new(.*?)_endpoint(.*)$', substitution: '/\\1_rewritten_endpoint\\2' }, '/newforreg1_endpoint/foo', '/forreg1_rewritten_endpoint/foo'],
    ['regex_rewrite replaces every match, not the query', prefix('/newforreg2_endpoint'), { type: 'regex', pattern: 'e', substitution: 'X' }, '/newforreg2_endpoint/tee?test=me', '/nXwforrXg2_Xndpoint/tXX?test=me'],
    ['regex_rewrite after an exact path match', exactPath('/exact/path/for/regex1'), { type: 'regex', pattern: '[aeioe]', substitution: 'V' }, '/exact/path/for/regex1?test=aeiou', '/VxVct/pVth/fVr/rVgVx1?test=aeiou'],
    ['regex_rewrite \\2/instance/\\1 (proto example)', prefix('/service'), { type: 'regex', pattern: '^/service/([^/]+)(/.*)$', substitution: '\\2/instance/\\1' }, '/service/foo/v1/api', '/v1/api/instance/foo'],
    ['regex_rewrite of the first occurrence only (proto example)', prefix('/'), { type: 'regex', pattern: '^(.*?)one(.*)$', substitution: '\\1two\\2' }, '/xxx/one/yyy/one/zzz', '/xxx/two/yyy/one/zzz'],
    ['regex_rewrite case-insensitive with (?i) (proto example)', prefix('/'), { type: 'regex', pattern: '(?i)/xxx/', substitution: '/yyy/' }, '/aaa/XxX/bbb', '/aaa/yyy/bbb'],
    ['regex_rewrite that does not match leaves the path', prefix('/'), { type: 'regex', pattern: 'nomatch', substitution: 'x' }, '/a?b', '/a?b'],
  ] as const)('%s', async (_name, m, pathRewrite, path, newPath) => {
    const decision = await decide(m, forward('c', { pathRewrite }), { path });
    expect(decision?.newPath).toBe(newPath);
  });

  it('leaves newPath undefined without a rewrite (no x-envoy-original-path)', async () => {
    expect((await decide(prefix('/'), forward('c'), { path: '/x' }))?.newPath).toBeUndefined();
  });
});

describe('resolveForward: clusters', () => {
  it('names the configured cluster with the route timeout (TestRoutes "Timeout testing")', async () => {
    const d = await decide(prefix('/'), forward('instant-server', { timeoutMs: 30_000 }), {});
    expect([d?.clusterName, d?.timeoutMs, d?.clusterNotFoundResponseCode]).toEqual(['instant-server', 30_000, 503]);
  });

  // config_impl_test.cc ClusterHeader; route_components.proto RouteAction.cluster_header.
  it.each([
    ['takes the cluster from the header', { 'x-cluster': 'some_cluster' }, 'some_cluster'],
    ['answers no cluster when the header is absent', {}, undefined],
    ['answers no cluster when the header is empty', { 'x-cluster': '' }, undefined],
  ])('cluster_header %s', async (_name, headers, cluster) => {
    const d = await decide(prefix('/'), forward('', { cluster: { type: 'clusterHeader', header: 'x-cluster' }, clusterNotFoundResponseCode: 404 }), { headers });
    expect(d?.clusterName).toBe(cluster);
    expect(d?.clusterNotFoundResponseCode).toBe(404);
  });

  // config_impl_test.cc WeightedClusters: cluster1 30, cluster2 30, cluster3 40 (random % 100).
  const weighted: ForwardAction = forward('', {
    cluster: {
      type: 'weightedClusters',
      totalWeight: 100,
      clusters: [
        { cluster: { type: 'cluster', name: 'cluster1' }, weight: 30, headerMutations: mutations({}) },
        { cluster: { type: 'cluster', name: 'cluster2' }, weight: 30, headerMutations: mutations({ requestHeadersToAdd: [add('x-picked', 'two')] }), hostRewriteLiteral: 'two.internal' },
        { cluster: { type: 'clusterHeader', header: 'x-cluster' }, weight: 40, headerMutations: mutations({}) },
      ],
    },
  });
  it.each([
    [0, 'cluster1'],
    [0.299, 'cluster1'],
    [0.3, 'cluster2'],
    [0.599, 'cluster2'],
    [0.6, 'from-header'],
    [0.999999, 'from-header'],
  ])('weighted_clusters picks by random %s → %s', async (random01, cluster) => {
    const d = await decide(prefix('/'), weighted, { headers: { 'x-cluster': 'from-header' } }, random01);
    expect(d?.clusterName).toBe(cluster);
  });

  it('weighted_clusters exposes the picked cluster and its host_rewrite_literal', async () => {
    const d = await decide(prefix('/'), weighted, {}, 0.45);
    expect(d?.weightedCluster?.weight).toBe(30);
    expect(d?.hostRewrite).toBe('two.internal');
    expect(d?.appendXForwardedHost).toBe(false);
  });

  it('pickWeightedCluster never picks a zero-weight cluster', () => {
    const clusters = [
      { cluster: { type: 'cluster', name: 'zero' }, weight: 0, requestMutator: undefined, responseMutator: undefined, hostRewriteLiteral: undefined },
      { cluster: { type: 'cluster', name: 'all' }, weight: 5, requestMutator: undefined, responseMutator: undefined, hostRewriteLiteral: undefined },
    ] as const;
    for (const r of [0, 0.5, 0.9999]) expect(pickWeightedCluster(clusters, 5, r)?.cluster).toEqual({ type: 'cluster', name: 'all' });
  });
});

describe('resolveForward: host rewrites', () => {
  // config_impl_test.cc TestRoutes "Host rewrite testing", "Rewrites host using supplied header",
  // "Rewrites host using path"; route_components.proto RouteAction.host_rewrite_specifier.
  it.each([
    ['host_rewrite_literal', { hostRewrite: { type: 'literal', host: 'new_host' } }, {}, 'new_host', false],
    ['host_rewrite_header with append_x_forwarded_host', { hostRewrite: { type: 'header', header: 'x-rewrite-host' }, appendXForwardedHost: true }, { path: '/', headers: { 'x-rewrite-host': 'rewrote' } }, 'rewrote', true],
    ['host_rewrite_header missing: no rewrite, no x-forwarded-host', { hostRewrite: { type: 'header', header: 'x-rewrite-host' }, appendXForwardedHost: true }, {}, undefined, false],
    ['host_rewrite_path_regex', { hostRewrite: { type: 'pathRegex', pattern: '^/.+/(.+)$', substitution: '\\1' }, appendXForwardedHost: true }, { path: '/rewrite-host-with-path-regex/envoyproxy.io' }, 'envoyproxy.io', true],
    ['host_rewrite_path_regex ignores the query', { hostRewrite: { type: 'pathRegex', pattern: '^/.+/(.+)$', substitution: '\\1' } }, { path: '/rewrite-host-with-path-regex/envoyproxy.io?query=query' }, 'envoyproxy.io', false],
  ] as const)('%s', async (_name, a, spec, host, xfh) => {
    const d = await decide(prefix('/'), forward('c', a), spec);
    expect(d?.hostRewrite).toBe(host);
    expect(d?.appendXForwardedHost).toBe(xfh);
  });

  it('auto_host_rewrite is a flag for the upstream host chosen later', async () => {
    const d = await decide(prefix('/'), forward('c', { hostRewrite: { type: 'auto' }, appendXForwardedHost: true }), {});
    expect([d?.hostRewrite, d?.autoHostRewrite, d?.appendXForwardedHost]).toEqual([undefined, true, true]);
  });

  it('returns undefined for a route that does not forward', async () => {
    const compiled = await compileRouteConfiguration(table([vhost('v', ['*'], [route(prefix('/'), { type: 'directResponse', status: 200 })])]));
    const req = request();
    const selection = compiled.select(req);
    expect(selection && resolveForward(selection, req, 0)).toBeUndefined();
  });
});
