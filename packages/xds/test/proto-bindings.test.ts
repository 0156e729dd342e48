import { create, toBinary } from '@bufbuild/protobuf';
import { AnySchema, anyPack } from '@bufbuild/protobuf/wkt';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ClusterLoadAssignmentSchema } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { RouteConfigurationSchema } from '@orion/data-plane-api/gen/envoy/config/route/v3/route_pb.js';
import { SecretSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_TYPE_URL,
  clusterBinding,
  clusterLoadAssignmentBinding,
  listenerBinding,
  mapBinding,
  ORION_ERR_XDS_RESOURCE_INVALID,
  protoBinding,
  routeConfigurationBinding,
  secretBinding,
} from '../src/index.js';

describe('proto bindings', () => {
  it('name and decode the five resource types', () => {
    const cases = [
      [listenerBinding, anyPack(ListenerSchema, create(ListenerSchema, { name: 'l' })), 'l', true],
      [routeConfigurationBinding, anyPack(RouteConfigurationSchema, create(RouteConfigurationSchema, { name: 'r' })), 'r', false],
      [clusterBinding, anyPack(ClusterSchema, create(ClusterSchema, { name: 'c' })), 'c', true],
      [clusterLoadAssignmentBinding, anyPack(ClusterLoadAssignmentSchema, create(ClusterLoadAssignmentSchema, { clusterName: 'e' })), 'e', false],
      [secretBinding, anyPack(SecretSchema, create(SecretSchema, { name: 's' })), 's', false],
    ] as const;
    for (const [binding, any, name, wildcard] of cases) {
      expect(binding.typeUrl).toBe(any.typeUrl);
      expect(binding.wildcard).toBe(wildcard);
      expect(binding.nameOf(any)).toBe(name);
      expect((binding.decode(any, name) as { $typeName: string }).$typeName).toBe(any.typeUrl.slice('type.googleapis.com/'.length));
    }
  });

  it('throw ORION_ERR_XDS_RESOURCE_INVALID on bytes that do not decode', () => {
    const any = create(AnySchema, { typeUrl: CLUSTER_TYPE_URL, value: new Uint8Array([0x0a, 0x01, 0x63, 0x17]) });
    expect(clusterBinding.nameOf(any)).toBe('c');
    expect(() => clusterBinding.decode(any, 'c')).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_RESOURCE_INVALID }));
    expect(() => clusterBinding.decode(any, 'c')).toThrow(/^cannot decode envoy\.config\.cluster\.v3\.Cluster/);
  });

  it('refuse a type URL that does not name the schema', () => {
    expect(() => protoBinding(CLUSTER_TYPE_URL, ListenerSchema)).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_RESOURCE_INVALID }));
  });

  it('compose with mapBinding, keeping type URL, wildcard and naming', () => {
    const ports = mapBinding(clusterBinding, (cluster, name) => {
      if (cluster.connectTimeout === undefined) throw new Error(`${name}: connect_timeout is required`);
      return Number(cluster.connectTimeout.seconds);
    });
    expect([ports.typeUrl, ports.wildcard]).toEqual([CLUSTER_TYPE_URL, true]);
    const good = anyPack(ClusterSchema, create(ClusterSchema, { name: 'a', connectTimeout: { seconds: 5n } }));
    const bad = create(AnySchema, { typeUrl: CLUSTER_TYPE_URL, value: toBinary(ClusterSchema, create(ClusterSchema, { name: 'b' })) });
    expect(ports.nameOf(good)).toBe('a');
    expect(ports.decode(good, 'a')).toBe(5);
    expect(() => ports.decode(bad, 'b')).toThrow('b: connect_timeout is required');
  });
});
