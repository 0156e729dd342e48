import { create } from '@bufbuild/protobuf';
import { NodeSchema } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { DeltaDiscoveryResponseSchema } from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';
import { StatusSchema } from '@orion/data-plane-api/gen/google/rpc/status_pb.js';
import { describe, expect, it } from 'vitest';
import { deltaChangeRequest, deltaOpenRequest, deltaSettleRequest, prepareDeltaBatch } from '../src/delta-protocol.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, clusterBinding, clusterLoadAssignmentBinding } from '../src/index.js';
import { TypeSubscription, WILDCARD } from '../src/type-subscription.js';
import { brokenClusterAny, clusterAny } from './fixtures.js';

const node = create(NodeSchema, { id: 'n' });

function cds(...names: string[]): TypeSubscription {
  const sub = new TypeSubscription(clusterBinding);
  for (const n of names) sub.names.add(n);
  return sub;
}

describe('delta requests', () => {
  it('open with the legacy empty list for a pure wildcard, else every name, plus initial_resource_versions', () => {
    const sub = cds(WILDCARD);
    sub.accepted.set('a', { version: 'v1', digest: 'x' });
    const open = deltaOpenRequest(sub, node);
    expect(open).toMatchObject({ typeUrl: CLUSTER_TYPE_URL, resourceNamesSubscribe: [], initialResourceVersions: { a: 'v1' }, node: { id: 'n' } });
    expect(sub.requested).toBe(true);
    expect(deltaOpenRequest(cds(WILDCARD, 'b'), undefined)?.resourceNamesSubscribe).toEqual(['*', 'b']);
    expect(deltaOpenRequest(cds(), node)).toBeUndefined();
  });

  it('change with only the diff, naming "*" when a wildcard leaves the legacy form', () => {
    const sub = cds(WILDCARD);
    deltaOpenRequest(sub, node);
    sub.names.add('x');
    expect(deltaChangeRequest(sub, ['x'], [], undefined)).toMatchObject({ resourceNamesSubscribe: ['*', 'x'], resourceNamesUnsubscribe: [], responseNonce: '' });
    sub.names.add('y');
    expect(deltaChangeRequest(sub, ['y'], ['x'], undefined)).toMatchObject({ resourceNamesSubscribe: ['y'], resourceNamesUnsubscribe: ['x'] });
    expect(deltaChangeRequest(sub, [], [], undefined)).toBeUndefined();
    const fresh = new TypeSubscription(clusterLoadAssignmentBinding);
    fresh.names.add('e');
    expect(deltaChangeRequest(fresh, ['e'], [], node)).toMatchObject({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, resourceNamesSubscribe: ['e'], node: { id: 'n' } });
  });

  it('settle with the nonce, and error_detail on NACK', () => {
    const sub = cds(WILDCARD);
    const ack = deltaSettleRequest(sub, 'n7', undefined);
    expect(ack).toMatchObject({ responseNonce: 'n7', resourceNamesSubscribe: [], resourceNamesUnsubscribe: [] });
    expect(ack.errorDetail).toBeUndefined();
    expect(deltaSettleRequest(sub, 'n8', create(StatusSchema, { code: 13, message: 'm' })).errorDetail?.message).toBe('m');
  });
});

describe('prepareDeltaBatch', () => {
  it('turns resources, heartbeats and removals into a batch against the accepted state', () => {
    const sub = cds(WILDCARD);
    sub.accepted.set('same', { version: 'v1', digest: '' });
    sub.accepted.set('hb', { version: 'v1', digest: 'd' });
    sub.accepted.set('gone', { version: 'v3', digest: 'd' });
    const response = create(DeltaDiscoveryResponseSchema, {
      typeUrl: CLUSTER_TYPE_URL,
      nonce: 'n1',
      systemVersionInfo: 's9',
      resources: [
        { name: 'new', version: 'v2', resource: clusterAny('new'), ttl: { seconds: 3n } },
        { name: 'hb', version: '', ttl: { seconds: 1n } },
        { name: 'broken', version: 'v2', resource: brokenClusterAny('broken') },
        { name: 'wrong', version: 'v2', resource: { $typeName: 'google.protobuf.Any', typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, value: new Uint8Array() } },
        { name: '', version: 'v2', resource: clusterAny('x') },
      ],
      removedResources: ['gone', 'unknown'],
    });
    const batch = prepareDeltaBatch(sub, response, 4);
    expect(batch).toMatchObject({ typeUrl: CLUSTER_TYPE_URL, nonce: 'n1', version: 's9', streamId: 4, source: 'response' });
    expect(batch.updates.map((u) => [u.name, u.version, u.ttlMs])).toEqual([['new', 'v2', 3000]]);
    expect(batch.refreshes).toEqual([{ name: 'hb', version: 'v1', ttlMs: 1000 }]);
    expect(batch.removals).toEqual([
      { name: 'gone', version: 'v3', reason: 'removed' },
      { name: 'unknown', version: '', reason: 'removed' },
    ]);
    expect(batch.errors.map((e) => e.name)).toEqual(['broken', 'wrong', '']);
    expect(batch.errors[1]?.message).toBe(`resource type ${CLUSTER_LOAD_ASSIGNMENT_TYPE_URL} does not match response type ${CLUSTER_TYPE_URL}`);
  });

  it('skips an identical resend at the same version but delivers a new version', () => {
    const sub = cds(WILDCARD);
    const first = prepareDeltaBatch(sub, create(DeltaDiscoveryResponseSchema, { typeUrl: CLUSTER_TYPE_URL, resources: [{ name: 'a', version: 'v1', resource: clusterAny('a') }] }), 1);
    const u = first.updates[0];
    if (u === undefined) throw new Error('no update');
    sub.accepted.set('a', { version: u.version, digest: u.digest });
    const same = prepareDeltaBatch(sub, create(DeltaDiscoveryResponseSchema, { typeUrl: CLUSTER_TYPE_URL, resources: [{ name: 'a', version: 'v1', resource: clusterAny('a') }] }), 1);
    expect(same.updates).toEqual([]);
    expect(same.refreshes).toEqual([{ name: 'a', version: 'v1' }]);
    const bumped = prepareDeltaBatch(sub, create(DeltaDiscoveryResponseSchema, { typeUrl: CLUSTER_TYPE_URL, resources: [{ name: 'a', version: 'v2', resource: clusterAny('a') }] }), 1);
    expect(bumped.updates.map((x) => x.version)).toEqual(['v2']);
  });

  it('reports a name in both resources and removals as a duplicate, and ignores names not of interest', () => {
    const sub = cds('a');
    const batch = prepareDeltaBatch(
      sub,
      create(DeltaDiscoveryResponseSchema, {
        typeUrl: CLUSTER_TYPE_URL,
        resources: [{ name: 'a', version: 'v1', resource: clusterAny('a') }, { name: 'other', version: 'v1', resource: clusterAny('other') }],
        removedResources: ['a', 'other2'],
      }),
      1,
    );
    expect(batch.updates).toEqual([]);
    expect(batch.removals).toEqual([]);
    expect(batch.errors).toEqual([{ name: 'a', message: 'duplicate resource name in response' }]);
  });
});
