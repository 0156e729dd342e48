import { create, toBinary } from '@bufbuild/protobuf';
import { AnySchema, anyPack, type Any } from '@bufbuild/protobuf/wkt';
import { ClusterSchema } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import { ResourceSchema } from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';
import { CLUSTER_TYPE_URL, RESOURCE_WRAPPER_TYPE_URL } from '../src/index.js';

/** A packed cluster; `timeoutS` tells contents apart. */
export function clusterAny(name: string, timeoutS = 1): Any {
  return anyPack(ClusterSchema, create(ClusterSchema, { name, connectTimeout: { seconds: BigInt(timeoutS) } }));
}

/** A packed cluster whose body does not decode after its name. */
export function brokenClusterAny(name: string): Any {
  const encoded = new TextEncoder().encode(name);
  return create(AnySchema, { typeUrl: CLUSTER_TYPE_URL, value: new Uint8Array([0x0a, encoded.length, ...encoded, 0x17, 0x00]) });
}

/** A SotW `Resource` wrapper; without `body` it is a heartbeat. */
export function wrapper(name: string, version: string, body: Any | undefined, ttlMs?: number): Any {
  const resource = create(ResourceSchema, {
    name,
    version,
    ...(body === undefined ? {} : { resource: body }),
    ...(ttlMs === undefined ? {} : { ttl: { seconds: BigInt(Math.floor(ttlMs / 1000)), nanos: (ttlMs % 1000) * 1e6 } }),
  });
  return create(AnySchema, { typeUrl: RESOURCE_WRAPPER_TYPE_URL, value: toBinary(ResourceSchema, resource) });
}
