import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from '@bufbuild/protobuf';
import { BootstrapSchema } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { ApiConfigSource_ApiType } from '@orion/data-plane-api/gen/envoy/config/core/v3/config_source_pb.js';
import { OrionError } from '@orion/error';
import {
  DiscoveryClientBuilder,
  ORION_ERR_XDS_ALREADY_ITERATING,
  ORION_ERR_XDS_UNKNOWN_TYPE,
  clusterBinding,
  clusterLoadAssignmentBinding,
  listenerBinding,
  type XdsBatch,
} from '@orion/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { TYPE_URL, TestControlPlane, cluster, listener, wrappedAny } from '../../src/control-plane/index.js';
import { BatchReader, FAST_BACKOFF, PROTOCOLS } from './harness.js';

const { cluster: CDS, listener: LDS } = TYPE_URL;

describe.each(PROTOCOLS)('DiscoveryClient lifecycle (%s)', (protocol) => {
  let cp: TestControlPlane | undefined;
  afterEach(async () => {
    await cp?.stop();
    cp = undefined;
  });

  it('aborting the signal flushes the ACK given just before, half-closes the stream and ends the iterator', async () => {
    cp = await TestControlPlane.start();
    const controller = new AbortController();
    const client = new DiscoveryClientBuilder()
      .target(cp.target)
      .node({ id: 'node-1' })
      .protocol(protocol)
      .resource(clusterBinding)
      .initialFetchTimeoutMs(0)
      .signal(controller.signal)
      .build();
    const stream = await cp.nextStream();
    await stream.nextRequest();
    if (stream.kind === 'delta') stream.send({ typeUrl: CDS, resources: [{ name: 'c1', version: 'v1', message: cluster('c1') }] });
    else stream.send({ typeUrl: CDS, versionInfo: 'v1', resources: [cluster('c1')] });
    const seen: string[] = [];
    for await (const batch of client) {
      seen.push(...batch.updates.map((u) => u.name));
      batch.ack();
      controller.abort();
    }
    expect(seen).toEqual(['c1']);
    const ack = await stream.nextRequest(2000);
    expect(ack.responseNonce).toBe('n1');
    expect(stream.clientClosed).toBe(true);
    expect(client.controlPlaneStats().connected_state).toBe(0);
    await cp.expectNoStream(150); // no reconnect after close
  });

  it('narrows batches by type URL and rejects unknown types and a second iterator', async () => {
    cp = await TestControlPlane.start();
    const client = new DiscoveryClientBuilder()
      .target(cp.address)
      .node({ id: 'node-1' })
      .protocol(protocol)
      .resource(listenerBinding)
      .resource(clusterBinding)
      .initialFetchTimeoutMs(0)
      .build();
    try {
      const iterator = client[Symbol.asyncIterator]();
      expect(() => client[Symbol.asyncIterator]()).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_ALREADY_ITERATING }));
      let thrown: unknown;
      try {
        client.subscribe('type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig' as typeof LDS, ['x']);
      } catch (err) {
        thrown = err;
      }
      expect(OrionError.is(thrown, ORION_ERR_XDS_UNKNOWN_TYPE)).toBe(true);

      const stream = await cp.nextStream();
      await stream.nextRequest();
      await stream.nextRequest();
      if (stream.kind === 'delta') stream.send({ typeUrl: LDS, resources: [{ name: 'l1', version: 'v1', message: listener('l1', 15_001) }] });
      else stream.send({ typeUrl: LDS, versionInfo: 'v1', resources: [listener('l1', 15_001)] });
      const { value: batch } = await iterator.next();
      if (batch === undefined) throw new Error('no batch');
      let port = 0;
      switch (batch.typeUrl) {
        case LDS: {
          // batch.updates[0].value is a Listener here
          const address = batch.updates[0]?.value.address?.address;
          port = address?.case === 'socketAddress' && address.value.portSpecifier.case === 'portValue' ? address.value.portSpecifier.value : 0;
          break;
        }
        case CDS:
          port = -1;
          break;
      }
      expect(port).toBe(15_001);
      batch.ack();
      await stream.nextRequest();
    } finally {
      await client.close();
    }
  });

  it('connects over a Unix socket named by a bootstrap pipe address', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orion-xds-'));
    const socket = path.join(dir, 'xds.sock');
    cp = await TestControlPlane.start({ kind: 'unix', path: socket });
    const bootstrap = create(BootstrapSchema, {
      node: { id: 'sidecar~10.0.0.1~app.default~default.svc.cluster.local', cluster: 'app' },
      dynamicResources: {
        ldsConfig: { configSourceSpecifier: { case: 'ads', value: {} } },
        cdsConfig: { configSourceSpecifier: { case: 'ads', value: {} }, initialFetchTimeout: { seconds: 0n, nanos: 0 } },
        adsConfig: {
          apiType: protocol === 'delta' ? ApiConfigSource_ApiType.DELTA_GRPC : ApiConfigSource_ApiType.GRPC,
          grpcServices: [{ targetSpecifier: { case: 'envoyGrpc', value: { clusterName: 'xds-grpc' } } }],
        },
      },
      staticResources: {
        clusters: [
          {
            name: 'xds-grpc',
            clusterDiscoveryType: { case: 'type', value: 0 },
            loadAssignment: {
              clusterName: 'xds-grpc',
              endpoints: [{ lbEndpoints: [{ hostIdentifier: { case: 'endpoint', value: { address: { address: { case: 'pipe', value: { path: socket } } } } } }] }],
            },
          },
        ],
      },
    });
    const client = DiscoveryClientBuilder.fromBootstrap(bootstrap).resource(clusterBinding).backoff(FAST_BACKOFF).build();
    const batches = new BatchReader(client);
    try {
      expect(client.protocol).toBe(protocol);
      const stream = await cp.nextStream();
      expect(stream.kind).toBe(protocol);
      const first = await stream.nextRequest();
      expect(first.node?.id).toBe('sidecar~10.0.0.1~app.default~default.svc.cluster.local');
      expect(first.node?.userAgentName).toBe('orion');
      expect(bootstrap.node?.userAgentName).toBe(''); // the caller's message is not touched
      if (stream.kind === 'delta') stream.send({ typeUrl: CDS, resources: [{ name: 'c1', version: 'v1', message: cluster('c1') }] });
      else stream.send({ typeUrl: CDS, versionInfo: 'v1', resources: [cluster('c1')] });
      const batch: XdsBatch<unknown> = await batches.next();
      expect(batch.updates.map((u) => u.name)).toEqual(['c1']);
      batch.ack();
      expect((await stream.nextRequest()).responseNonce).toBe('n1');
    } finally {
      await client.close();
      await batches.done;
      await cp.stop();
      cp = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('releases every socket and timer when closed, with TTL, fetch timeouts and a reconnect behind it', async () => {
    const handles = (): string[] => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap').sort();
    const before = handles();
    cp = await TestControlPlane.start();
    const client = new DiscoveryClientBuilder()
      .target(cp.target)
      .node({ id: 'node-1' })
      .protocol(protocol)
      .resource(clusterBinding)
      .resource(clusterLoadAssignmentBinding, ['never'])
      .initialFetchTimeoutMs(60_000)
      .backoff(FAST_BACKOFF)
      .build();
    const batches = new BatchReader(client);
    let stream = await cp.nextStream();
    stream.fail();
    stream = await cp.nextStream();
    await stream.nextRequest();
    if (stream.kind === 'delta') stream.send({ typeUrl: CDS, resources: [{ name: 'c1', version: 'v1', message: cluster('c1'), ttlMs: 60_000 }] });
    else stream.send({ typeUrl: CDS, versionInfo: 'v1', resources: [wrappedAny({ name: 'c1', version: 'v1', message: cluster('c1'), ttlMs: 60_000 })] });
    (await batches.next()).ack();
    await client.close();
    await batches.done;
    await cp.stop();
    cp = undefined;
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing the client created is left; handles that existed before the test may have ended meanwhile.
    const after = handles();
    const leaked = after.filter((h) => after.filter((x) => x === h).length > before.filter((x) => x === h).length);
    expect(leaked).toEqual([]);
  });

  it('destroy() tears the stream down at once', async () => {
    cp = await TestControlPlane.start();
    const client = new DiscoveryClientBuilder()
      .target(cp.target)
      .node({ id: 'node-1' })
      .protocol(protocol)
      .resource(clusterBinding)
      .initialFetchTimeoutMs(0)
      .closeTimeoutMs(10_000)
      .build();
    const batches = new BatchReader(client);
    const stream = await cp.nextStream();
    await stream.nextRequest();
    const started = Date.now();
    client.destroy();
    await batches.done;
    await client.close(); // same shutdown
    expect(Date.now() - started).toBeLessThan(2000);
    await cp.expectNoStream(100);
  });
});
