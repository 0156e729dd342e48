import { create } from '@bufbuild/protobuf';
import { NodeSchema } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { DiscoveryResponseSchema } from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';
import { StatusSchema } from '@orion/data-plane-api/gen/google/rpc/status_pb.js';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, clusterBinding, clusterLoadAssignmentBinding, type XdsBinding } from '../src/index.js';
import { prepareSotwBatch, sotwChangeRequest, sotwOpenRequest, sotwResourceNames, sotwSettleRequest } from '../src/sotw-protocol.js';
import { TypeSubscription, WILDCARD } from '../src/type-subscription.js';
import { clusterAny, wrapper } from './fixtures.js';

const node = create(NodeSchema, { id: 'n' });

function sub(binding: XdsBinding<unknown> = clusterBinding, ...names: string[]): TypeSubscription {
  const s = new TypeSubscription(binding);
  for (const n of names) s.names.add(n);
  return s;
}

describe('SotW requests', () => {
  it('list every name; a pure wildcard uses the legacy empty list until explicit names went out', () => {
    const s = sub(clusterBinding, WILDCARD);
    expect(sotwResourceNames(s)).toEqual([]);
    s.names.add('b');
    expect(sotwResourceNames(s)).toEqual(['*', 'b']);
    s.names.delete('b');
    expect(sotwResourceNames(s)).toEqual(['*']);
    s.names.clear();
    expect(sotwResourceNames(s)).toEqual([]);
    const legacy = sub(clusterBinding, WILDCARD);
    legacy.names.clear();
    expect(sotwResourceNames(legacy)).toBeUndefined();
  });

  it('open with the last accepted version, change with the latest nonce, settle with version or error', () => {
    const s = sub(clusterLoadAssignmentBinding, 'b', 'a');
    s.lastAcceptedVersion = 'v4';
    expect(sotwOpenRequest(s, node)).toMatchObject({ typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, versionInfo: 'v4', resourceNames: ['a', 'b'], responseNonce: '', node: { id: 'n' } });
    s.lastNonce = 'n9';
    s.names.add('c');
    expect(sotwChangeRequest(s, undefined)).toMatchObject({ versionInfo: 'v4', responseNonce: 'n9', resourceNames: ['a', 'b', 'c'] });
    const ack = sotwSettleRequest(s, 'n10', 'v5', undefined);
    expect(ack).toMatchObject({ versionInfo: 'v5', responseNonce: 'n10', resourceNames: ['a', 'b', 'c'] });
    expect(ack.errorDetail).toBeUndefined();
    expect(sotwSettleRequest(s, 'n11', 'v4', create(StatusSchema, { message: 'x' })).errorDetail?.message).toBe('x');
    expect(sotwOpenRequest(sub(clusterLoadAssignmentBinding), node)).toBeUndefined();
  });
});

describe('prepareSotwBatch', () => {
  it('treats LDS/CDS as full state: accepted names missing from the response are removed', () => {
    const s = sub(clusterBinding, WILDCARD);
    s.accepted.set('kept', { version: 'v1', digest: '' });
    s.accepted.set('dropped', { version: 'v1', digest: '' });
    const batch = prepareSotwBatch(s, create(DiscoveryResponseSchema, { typeUrl: CLUSTER_TYPE_URL, versionInfo: 'v2', nonce: 'n', resources: [clusterAny('kept'), clusterAny('new')] }), 1);
    expect(batch.updates.map((u) => [u.name, u.version])).toEqual([
      ['kept', 'v2'],
      ['new', 'v2'],
    ]);
    expect(batch.removals).toEqual([{ name: 'dropped', version: 'v1', reason: 'removed' }]);
  });

  it('does not remove anything for RDS/EDS/SDS', () => {
    const s = sub(clusterLoadAssignmentBinding, 'a', 'b');
    s.accepted.set('a', { version: 'v1', digest: '' });
    const batch = prepareSotwBatch(s, create(DiscoveryResponseSchema, { typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, versionInfo: 'v2' }), 1);
    expect(batch.removals).toEqual([]);
    expect(batch.updates).toEqual([]);
  });

  it('unwraps Resource wrappers (name, version, TTL, heartbeat) and names unreadable resources by index', () => {
    const s = sub(clusterBinding, WILDCARD);
    s.accepted.set('hb', { version: 'w1', digest: '' });
    const batch = prepareSotwBatch(
      s,
      create(DiscoveryResponseSchema, {
        typeUrl: CLUSTER_TYPE_URL,
        versionInfo: 'outer',
        resources: [
          wrapper('w', 'w7', clusterAny('w'), 1500),
          wrapper('hb', 'w2', undefined, 2000),
          create(AnySchema, { typeUrl: CLUSTER_TYPE_URL, value: new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]) }),
          create(AnySchema, { typeUrl: CLUSTER_TYPE_URL, value: new Uint8Array() }),
        ],
      }),
      1,
    );
    expect(batch.updates.map((u) => [u.name, u.version, u.ttlMs])).toEqual([['w', 'w7', 1500]]);
    expect(batch.refreshes).toEqual([{ name: 'hb', version: 'w1', ttlMs: 2000 }]);
    expect(batch.errors.map((e) => [e.name, e.message])).toEqual([
      ['resources[2]', expect.stringContaining('cannot read the name of a envoy.config.cluster.v3.Cluster')],
      ['resources[3]', 'resource has no name'],
    ]);
    expect(batch.removals).toEqual([]);
  });
});
