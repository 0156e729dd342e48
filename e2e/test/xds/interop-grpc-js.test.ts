import type { ClusterLoadAssignment } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { DiscoveryClientBuilder, clusterBinding, clusterLoadAssignmentBinding } from '@orion/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcJsControlPlane, TYPE_URL, cluster, clusterLoadAssignment, toAny, type ServedMessage } from '../../src/control-plane/index.js';
import { BatchReader, FAST_BACKOFF, PROTOCOLS } from './harness.js';

const { cluster: CDS, endpoint: EDS } = TYPE_URL;

/** An `Any` as proto-loader writes it (`keepCase: true`). */
function protoLoaderAny(message: ServedMessage): { type_url: string; value: Buffer } {
  const any = toAny(message);
  return { type_url: any.typeUrl, value: Buffer.from(any.value) };
}

describe.each(PROTOCOLS)('interop with a @grpc/grpc-js control plane (%s)', (protocol) => {
  let cp: GrpcJsControlPlane | undefined;
  afterEach(async () => {
    await cp?.stop();
    cp = undefined;
  });

  it('subscribes, receives, ACKs and NACKs', async () => {
    cp = await GrpcJsControlPlane.start();
    const client = new DiscoveryClientBuilder()
      .target(cp.target)
      .node({ id: 'interop-node', cluster: 'interop' })
      .protocol(protocol)
      .resource(clusterBinding)
      .resource(clusterLoadAssignmentBinding)
      .backoff(FAST_BACKOFF)
      .initialFetchTimeoutMs(0)
      .build();
    const batches = new BatchReader(client);
    try {
      const stream = await cp.nextStream();
      expect(stream.kind).toBe(protocol);
      const opening = await stream.nextRequest();
      expect(opening['type_url']).toBe(CDS);
      expect((opening['node'] as { id: string }).id).toBe('interop-node');

      client.subscribe(EDS, ['backend']);
      const subscribe = await stream.nextRequest();
      expect(subscribe['type_url']).toBe(EDS);
      expect(subscribe['node']).toBeNull();
      expect(subscribe[protocol === 'delta' ? 'resource_names_subscribe' : 'resource_names']).toEqual(['backend']);

      const send = (typeUrl: string, version: string, resources: readonly [string, ServedMessage][]): string =>
        protocol === 'delta'
          ? stream.send({ type_url: typeUrl, system_version_info: version, resources: resources.map(([name, m]) => ({ name, version, resource: protoLoaderAny(m) })) })
          : stream.send({ type_url: typeUrl, version_info: version, resources: resources.map(([, m]) => protoLoaderAny(m)) });

      const cdsNonce = send(CDS, 'v1', [['backend', cluster('backend')]]);
      const cds = await batches.next();
      expect(cds.updates.map((u) => [u.name, u.version])).toEqual([['backend', 'v1']]);
      cds.ack();
      const ack = await stream.nextRequest();
      expect(ack).toMatchObject({ type_url: CDS, response_nonce: cdsNonce, error_detail: null });
      if (protocol === 'sotw') expect(ack['version_info']).toBe('v1');

      const edsNonce = send(EDS, 'e1', [['backend', clusterLoadAssignment('backend', [8081, 8082])]]);
      const eds = await batches.next();
      const cla = eds.updates[0]?.value as ClusterLoadAssignment;
      expect(cla.endpoints[0]?.lbEndpoints).toHaveLength(2);
      eds.nack([{ name: 'backend', message: 'port 8082 is not allowed' }]);
      const nack = await stream.nextRequest();
      expect(nack).toMatchObject({
        type_url: EDS,
        response_nonce: edsNonce,
        error_detail: { code: 13, message: 'backend: port 8082 is not allowed' },
      });
      if (protocol === 'sotw') expect(nack).toMatchObject({ version_info: '', resource_names: ['backend'] });
      expect(client.stats()[EDS]).toMatchObject({ update_rejected: 1, version: '' });
      expect(client.stats()[CDS]).toMatchObject({ update_success: 1, version: 'v1' });
    } finally {
      await client.close();
      await batches.done;
    }
  });
});
