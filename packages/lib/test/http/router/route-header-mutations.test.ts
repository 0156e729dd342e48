import { describe, expect, it } from 'vitest';
import type { ForwardAction, HeaderMutations, HeaderValueOption } from '@orion/configuration';
import { OrionError } from '@orion/error';
import {
  applyRequestHeaderMutations,
  applyResponseHeaderMutations,
  compileRouteConfiguration,
  HeaderMutator,
  resolveForward,
  RouterErrorCode,
  type MutableHeaders,
} from '../../../src/http/router/index.js';
import { add, contextOf, forward, mutations, prefix, request, route, table, vhost } from './route-fixtures.js';

/** Applies the route, virtual-host and table levels of a one-route table to `headers`; returns them. */
async function applyLevels(
  levels: { readonly table?: HeaderMutations; readonly vhost?: HeaderMutations; readonly route?: HeaderMutations },
  mostSpecificHeaderMutationsWins: boolean,
  headers: MutableHeaders,
  direction: 'request' | 'response' = 'request',
  action: ForwardAction = forward('c'),
  random01 = 0,
): Promise<MutableHeaders> {
  const config = table([vhost('v', ['*'], [route(prefix('/'), action, { headerMutations: levels.route ?? mutations({}) })], levels.vhost)], {
    mostSpecificHeaderMutationsWins,
    ...(levels.table === undefined ? {} : { headerMutations: levels.table }),
  });
  const compiled = await compileRouteConfiguration(config);
  const req = request();
  const selection = compiled.select(req);
  if (selection === undefined) throw new Error('no route');
  const decision = resolveForward(selection, req, random01);
  const apply = direction === 'request' ? applyRequestHeaderMutations : applyResponseHeaderMutations;
  apply(selection, headers, contextOf(headers), decision);
  return headers;
}

describe('applyRequestHeaderMutations / applyResponseHeaderMutations: levels', () => {
  // config_impl_test.cc requestHeadersConfig(): OVERWRITE_IF_EXISTS_OR_ADD at table, vhost and route levels.
  const overwrite = (value: string): HeaderValueOption => add('x-global-header', value, 'overwriteIfExistsOrAdd');
  const levels = {
    table: mutations({ requestHeadersToAdd: [overwrite('global')], requestHeadersToRemove: ['x-global-nope'] }),
    vhost: mutations({ requestHeadersToAdd: [overwrite('vhost-www2'), add('x-vhost-header', 'vhost-www2', 'overwriteIfExistsOrAdd')], requestHeadersToRemove: ['x-vhost-nope'] }),
    route: mutations({
      requestHeadersToAdd: [overwrite('route-endpoint'), add('x-vhost-header', 'route-endpoint', 'overwriteIfExistsOrAdd'), add('x-route-header', 'route-endpoint', 'overwriteIfExistsOrAdd')],
      requestHeadersToRemove: ['x-route-nope'],
    }),
  };
  const incoming = (): MutableHeaders => ({ 'x-global-nope': 'global', 'x-vhost-nope': 'vhost', 'x-route-nope': 'route', 'x-safe': 'safe' });

  it('lets the table level win by default (TestRequestHeadersToAddWithAppendFalse)', async () => {
    expect(await applyLevels(levels, false, incoming())).toEqual({
      'x-safe': 'safe',
      'x-global-header': 'global',
      'x-vhost-header': 'vhost-www2',
      'x-route-header': 'route-endpoint',
    });
  });

  it('lets the route level win with most_specific_header_mutations_wins (TestRequestHeadersToAddWithAppendFalseMostSpecificWins)', async () => {
    expect(await applyLevels(levels, true, incoming())).toEqual({
      'x-safe': 'safe',
      'x-global-header': 'route-endpoint',
      'x-vhost-header': 'route-endpoint',
      'x-route-header': 'route-endpoint',
    });
  });

  // responseHeadersConfig(): APPEND_IF_EXISTS_OR_ADD keeps every level's value; route first by default.
  const responseLevels = {
    table: mutations({ responseHeadersToAdd: [add('x-global-header1', 'global1')], responseHeadersToRemove: ['x-global-remove'] }),
    vhost: mutations({ responseHeadersToAdd: [add('x-global-header1', 'vhost-override')] }),
    route: mutations({ responseHeadersToAdd: [add('x-global-header1', 'route-override')] }),
  };
  it('appends route, then vhost, then table values by default (TestAddRemoveResponseHeaders)', async () => {
    expect(await applyLevels(responseLevels, false, { 'x-global-remove': 'x' }, 'response')).toEqual({ 'x-global-header1': ['route-override', 'vhost-override', 'global1'] });
  });

  it('appends table, then vhost, then route values when the most specific wins', async () => {
    expect(await applyLevels(responseLevels, true, {}, 'response')).toEqual({ 'x-global-header1': ['global1', 'vhost-override', 'route-override'] });
  });

  it('lets a route remove a header the table adds when the most specific wins (TestAddGlobalResponseHeaderRemoveFromRoute)', async () => {
    const l = { table: mutations({ responseHeadersToAdd: [add('cache-control', 'private')] }), route: mutations({ responseHeadersToRemove: ['cache-control'] }) };
    expect(await applyLevels(l, true, {}, 'response')).toEqual({});
    expect(await applyLevels({ table: l.table }, true, {}, 'response')).toEqual({ 'cache-control': 'private' });
  });

  it('applies the picked weighted cluster first, so the route levels override it (WeightedClusterEntry::finalizeRequestHeaders)', async () => {
    const action = forward('', {
      cluster: {
        type: 'weightedClusters',
        totalWeight: 1,
        clusters: [{ cluster: { type: 'cluster', name: 'w' }, weight: 1, headerMutations: mutations({ requestHeadersToAdd: [add('x-level', 'cluster', 'overwriteIfExistsOrAdd'), add('x-cluster-only', 'yes')] }) }],
      },
    });
    const l = { route: mutations({ requestHeadersToAdd: [add('x-level', 'route', 'overwriteIfExistsOrAdd')] }) };
    expect(await applyLevels(l, false, {}, 'request', action)).toEqual({ 'x-level': 'route', 'x-cluster-only': 'yes' });
  });
});

type Row = readonly [name: string, toAdd: HeaderValueOption[], toRemove: string[], before: MutableHeaders, after: MutableHeaders];

describe('HeaderMutator.apply', () => {
  // Envoy: base.proto HeaderValueOption.append_action / keep_empty_value; HeaderParser::evaluateHeaders
  // (removals first, values rendered before any write, overwrites before appends).
  const rows: Row[] = [
    ['APPEND_IF_EXISTS_OR_ADD adds an absent header', [add('x', 'v')], [], {}, { x: 'v' }],
    ['APPEND_IF_EXISTS_OR_ADD appends to a present header', [add('x', 'v')], [], { x: 'old' }, { x: ['old', 'v'] }],
    ['APPEND_IF_EXISTS_OR_ADD appends to a repeated header', [add('x', 'v')], [], { x: ['a', 'b'] }, { x: ['a', 'b', 'v'] }],
    ['ADD_IF_ABSENT adds an absent header', [add('x', 'v', 'addIfAbsent')], [], {}, { x: 'v' }],
    ['ADD_IF_ABSENT leaves a present header', [add('x', 'v', 'addIfAbsent')], [], { x: 'old' }, { x: 'old' }],
    ['OVERWRITE_IF_EXISTS_OR_ADD replaces a present header', [add('x', 'v', 'overwriteIfExistsOrAdd')], [], { x: ['a', 'b'] }, { x: 'v' }],
    ['OVERWRITE_IF_EXISTS_OR_ADD adds an absent header', [add('x', 'v', 'overwriteIfExistsOrAdd')], [], {}, { x: 'v' }],
    ['OVERWRITE_IF_EXISTS replaces a present header', [add('x', 'v', 'overwriteIfExists')], [], { x: 'old' }, { x: 'v' }],
    ['OVERWRITE_IF_EXISTS does not add an absent header', [add('x', 'v', 'overwriteIfExists')], [], {}, {}],
    ['an empty value is not added', [add('x', '')], [], {}, {}],
    ['keep_empty_value adds an empty value', [add('x', '', 'appendIfExistsOrAdd', true)], [], {}, { x: '' }],
    ['removal happens before adding (remove-before-add)', [add('x', 'new')], ['x'], { x: 'old' }, { x: 'new' }],
    ['presence is tested before this level writes: two ADD_IF_ABSENT both add', [add('x', '1', 'addIfAbsent'), add('x', '2', 'addIfAbsent')], [], {}, { x: ['1', '2'] }],
    ['overwrites are written before appends', [add('x', 'appended'), add('x', 'overwritten', 'overwriteIfExistsOrAdd')], [], { x: 'old' }, { x: ['overwritten', 'appended'] }],
    ['two overwrites: the last one wins', [add('x', '1', 'overwriteIfExistsOrAdd'), add('x', '2', 'overwriteIfExistsOrAdd')], [], {}, { x: '2' }],
    ['%% is a literal percent sign', [add('x', '100%%')], [], {}, { x: '100%' }],
    ['%REQ(x)% reads a request header', [add('x-copy', '%REQ(x-src)%')], [], { 'x-src': 'value' }, { 'x-src': 'value', 'x-copy': 'value' }],
    ['%REQ(x)% of an absent header renders empty and is skipped', [add('x-copy', '%REQ(x-missing)%')], [], {}, {}],
    ['%REQ(x)% reads the headers after this level removed them', [add('x-copy', '%REQ(x-src)%', 'appendIfExistsOrAdd', true)], ['x-src'], { 'x-src': 'value' }, { 'x-copy': '' }],
  ];
  it.each(rows)('%s', (_name, toAdd, toRemove, before, after) => {
    const mutator = HeaderMutator.compile(toAdd, toRemove, 'request_headers');
    mutator?.apply(before, contextOf(before));
    expect(before).toEqual(after);
  });

  it('renders %DOWNSTREAM_REMOTE_ADDRESS% from the format context (Envoy docs "Custom request/response headers")', () => {
    const headers: MutableHeaders = {};
    HeaderMutator.compile([add('x-client', '%DOWNSTREAM_REMOTE_ADDRESS%')], [], 'request_headers')?.apply(headers, contextOf(headers, { downstreamRemoteAddress: { address: '10.0.0.1', port: 1234 } }));
    expect(headers).toEqual({ 'x-client': '10.0.0.1:1234' });
  });

  it('compiles nothing for an empty level', () => {
    expect(HeaderMutator.compile([], [], 'request_headers')).toBeUndefined();
  });

  it.each([
    ['adding :path', [add(':path', '/x')], []],
    ['adding host', [add('Host', 'h')], []],
    ['removing :authority', [], [':authority']],
    ['removing host', [], ['host']],
    ['an unknown operator', [add('x', '%NOT_AN_OPERATOR%')], []],
    ['a lone %', [add('x', '50%')], []],
  ] as const)('refuses %s at compile time (TestRequestHeadersToAddNoPseudoHeader / ToRemoveNoPseudoHeader)', (_name, toAdd, toRemove) => {
    let caught: unknown;
    try {
      HeaderMutator.compile(toAdd, toRemove, 'request_headers');
    } catch (err) {
      caught = err;
    }
    expect(OrionError.is(caught, RouterErrorCode.ROUTE_CONFIG)).toBe(true);
  });
});
