import { DiscoveryClientBuilder, clusterBinding, clusterLoadAssignmentBinding, type XdsLogger } from '@orion/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { TYPE_URL, TestControlPlane, cluster, clusterLoadAssignment, listener } from '../../src/control-plane/index.js';
import { BatchReader, PROTOCOLS, updated, waitFor } from './harness.js';
import { Session } from './session.js';

const { cluster: CDS, listener: LDS, endpoint: EDS } = TYPE_URL;

describe('xDS reconnect (delta only)', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 17: the first request after a reconnect resubscribes every name with initial_resource_versions and re-requests the wildcard', async () => {
    const s = (session = await Session.open('delta', { types: ['cds', 'eds'] }));
    await s.request();
    s.client.subscribe(EDS, ['c1', 'c2']);
    await s.request();
    s.client.subscribe(CDS, ['pinned']);
    await s.request();
    (await s.roundTrip(CDS, 'v1', [cluster('c1'), cluster('c2'), cluster('pinned')])).ack();
    await s.request();
    (await s.roundTrip(EDS, 'e1', [clusterLoadAssignment('c1')])).ack();
    await s.request();

    s.stream.fail();
    await s.nextStream();
    const [cds, eds] = await s.openingRequests(2);
    expect(cds).toMatchObject({
      typeUrl: CDS,
      nodeId: 'node-1',
      nonce: '',
      subscribe: ['*', 'pinned'],
      initialVersions: { c1: 'v1', c2: 'v1', pinned: 'v1' },
    });
    expect(eds).toMatchObject({ typeUrl: EDS, nonce: '', subscribe: ['c1', 'c2'], initialVersions: { c1: 'e1' } });
  });
});

describe('xDS reconnect (SotW only)', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 18: the first request after a reconnect carries the last accepted version_info and every name', async () => {
    const s = (session = await Session.open('sotw', { types: ['cds', 'eds'] }));
    await s.request();
    s.client.subscribe(EDS, ['c1']);
    await s.request();
    (await s.roundTrip(CDS, 'v1', [cluster('c1')])).ack();
    await s.request();
    (await s.roundTrip(CDS, 'v2', [cluster('c1', 2000)])).nack([{ name: 'c1', message: 'no' }]);
    await s.request();
    (await s.roundTrip(EDS, 'e5', [clusterLoadAssignment('c1')])).ack();
    await s.request();

    s.stream.fail();
    await s.nextStream();
    const [cds, eds] = await s.openingRequests(2);
    expect(cds).toMatchObject({ typeUrl: CDS, nodeId: 'node-1', nonce: '', versionInfo: 'v1', resourceNames: [] });
    expect(eds).toMatchObject({ typeUrl: EDS, nonce: '', versionInfo: 'e5', resourceNames: ['c1'] });
  });
});

describe.each(PROTOCOLS)('xDS reconnect after the control plane goes away (%s)', (protocol) => {
  let cp: TestControlPlane | undefined;
  afterEach(async () => {
    await cp?.stop();
    cp = undefined;
  });

  it('backs off while the control plane is down, reconnects, and does not re-deliver unchanged resources', async () => {
    cp = await TestControlPlane.start();
    const delays: number[] = [];
    const logger: XdsLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => {
        const m = /reconnecting in (\d+) ms/.exec(message);
        if (m?.[1] !== undefined) delays.push(Number(m[1]));
      },
    };
    const client = new DiscoveryClientBuilder()
      .target(cp.target)
      .node({ id: 'node-1' })
      .protocol(protocol)
      .resource(clusterBinding)
      .resource(clusterLoadAssignmentBinding, ['c1', 'c2'])
      .backoff({ baseMs: 50, maxMs: 400, random: () => 0.999 })
      .initialFetchTimeoutMs(0)
      .logger(logger)
      .build();
    const batches = new BatchReader(client);
    try {
      let stream = await cp.nextStream();
      const sendAll = (cdsVersion: string, c2Timeout: number, edsVersion: string, c2Port: number): void => {
        if (stream.kind === 'delta') {
          stream.send({ typeUrl: CDS, systemVersionInfo: cdsVersion, resources: [{ name: 'c1', version: 'v1', message: cluster('c1') }, { name: 'c2', version: cdsVersion, message: cluster('c2', c2Timeout) }] });
          stream.send({ typeUrl: EDS, resources: [{ name: 'c1', version: 'e1', message: clusterLoadAssignment('c1') }, { name: 'c2', version: edsVersion, message: clusterLoadAssignment('c2', [c2Port]) }] });
        } else {
          stream.send({ typeUrl: CDS, versionInfo: cdsVersion, resources: [cluster('c1'), cluster('c2', c2Timeout)] });
          stream.send({ typeUrl: EDS, versionInfo: edsVersion, resources: [clusterLoadAssignment('c1'), clusterLoadAssignment('c2', [c2Port])] });
        }
      };
      sendAll('v1', 1000, 'e1', 8080);
      for (let i = 0; i < 2; i++) {
        const batch = await batches.next();
        expect(updated(batch)).toEqual(['c1', 'c2']);
        batch.ack();
      }
      await waitFor(() => client.stats()[EDS]?.update_success === 1, 5000, 'the EDS ACK');

      await cp.stop();
      const downSince = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const attemptsWhileDown = client.controlPlaneStats().stream_attempt;
      await cp.restart();
      stream = await cp.nextStream(5000);
      const downMs = Date.now() - downSince;

      // Backoff: the delays double from baseMs and stay at maxMs; the attempts are bounded accordingly.
      expect(delays.slice(0, 4)).toEqual([49, 99, 199, 399]);
      expect(Math.max(...delays)).toBeLessThanOrEqual(400);
      expect(attemptsWhileDown).toBeGreaterThanOrEqual(5);
      expect(attemptsWhileDown).toBeLessThanOrEqual(2 + Math.ceil(downMs / 399) + 4);
      expect(client.controlPlaneStats().stream_failure).toBeGreaterThanOrEqual(attemptsWhileDown - 1);
      expect(client.stats()[CDS]?.update_failure).toBeGreaterThan(0);

      const opening = [await stream.nextRequest(), await stream.nextRequest()];
      if (stream.kind === 'delta') {
        const [cds, eds] = stream.received;
        expect(cds?.initialResourceVersions).toEqual({ c1: 'v1', c2: 'v1' });
        expect(eds?.initialResourceVersions).toEqual({ c1: 'e1', c2: 'e1' });
        expect(eds?.resourceNamesSubscribe).toEqual(['c1', 'c2']);
      } else {
        const [cds, eds] = stream.received;
        expect(cds?.versionInfo).toBe('v1');
        expect(eds).toMatchObject({ versionInfo: 'e1', resourceNames: ['c1', 'c2'] });
      }
      expect(opening).toHaveLength(2);

      // The new server resends everything (a server that ignores initial_resource_versions, or SotW);
      // only what changed is delivered.
      sendAll('v2', 2000, 'e2', 9090);
      const cds = await batches.next();
      expect(updated(cds)).toEqual(['c2']);
      cds.ack();
      const eds = await batches.next();
      expect(updated(eds)).toEqual(['c2']);
      eds.ack();
      await waitFor(() => client.stats()[EDS]?.update_success === 2, 5000, 'the second EDS ACK');
    } finally {
      await client.close();
      await batches.done;
    }
  });
});

describe.each(PROTOCOLS)('xDS stream end (%s)', (protocol) => {
  it('reconnects when the server ends the stream cleanly, and keeps what it accepted', async () => {
    const s = await Session.open(protocol);
    try {
      await s.openingRequests(2);
      (await s.roundTrip(LDS, 'v1', [listener('l1')])).ack();
      await s.request();
      s.stream.end();
      await s.nextStream();
      await s.openingRequests(2);
      expect(s.client.acceptedVersions(LDS)).toEqual({ l1: 'v1' });
      expect(s.client.controlPlaneStats().stream_failure).toBe(1);
    } finally {
      await s.close();
    }
  });
});
