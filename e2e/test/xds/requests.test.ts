import { OrionError } from '@orion/error';
import { ORION_ERR_XDS_BATCH_SETTLED } from '@orion/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { TYPE_URL, cluster, clusterLoadAssignment, listener } from '../../src/control-plane/index.js';
import { PROTOCOLS } from './harness.js';
import { Session } from './session.js';

const { cluster: CDS, listener: LDS, endpoint: EDS } = TYPE_URL;

describe.each(PROTOCOLS)('xDS requests (%s)', (protocol) => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 1: the first request of a stream carries the node, later ones omit it', async () => {
    const s = (session = await Session.open(protocol));
    const [first, second] = await s.openingRequests(2);
    expect(first?.nodeId).toBe('node-1');
    expect(second?.nodeId).toBeUndefined();
    (await s.roundTrip(CDS, 'v1', [cluster('c1')])).ack();
    expect((await s.request()).nodeId).toBeUndefined();

    s.stream.fail();
    await s.nextStream();
    const [again, next] = await s.openingRequests(2);
    expect(again?.nodeId).toBe('node-1');
    expect(next?.nodeId).toBeUndefined();
  });

  it('rule 2: every request carries its type_url and each type has its own version and nonce', async () => {
    const s = (session = await Session.open(protocol));
    const opening = await s.openingRequests(2);
    expect(opening.map((r) => r.typeUrl)).toEqual([CDS, LDS]);

    const cdsNonce = s.send(CDS, 'c-7', [cluster('c1')]);
    const ldsNonce = s.send(LDS, 'l-3', [listener('l1')]);
    const cds = await s.batches.next();
    const lds = await s.batches.next();
    expect([cds.typeUrl, lds.typeUrl]).toEqual([CDS, LDS]);
    cds.nack([{ name: 'c1', message: 'unsupported' }]);
    lds.ack();
    const cdsReply = await s.request();
    const ldsReply = await s.request();
    expect(cdsReply).toMatchObject({ typeUrl: CDS, nonce: cdsNonce, error: 'c1: unsupported' });
    expect(ldsReply).toMatchObject({ typeUrl: LDS, nonce: ldsNonce, error: undefined });
    if (protocol === 'sotw') {
      expect(cdsReply.versionInfo).toBe('');
      expect(ldsReply.versionInfo).toBe('l-3');
    }
    const stats = s.client.stats();
    expect(stats[CDS]).toMatchObject({ version: '', update_rejected: 1, update_success: 0 });
    expect(stats[LDS]).toMatchObject({ version: 'l-3', update_rejected: 0, update_success: 1 });
  });

  it('rule 4: every response is answered by exactly one ACK or NACK, only once the batch is settled', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    const nonce = s.send(CDS, 'v1', [cluster('c1')]);
    const batch = await s.batches.next();
    await s.stream.expectNoRequest(150);
    expect(batch.settled).toBe(false);
    batch.ack();
    expect(batch.settled).toBe(true);
    expect((await s.request()).nonce).toBe(nonce);
    let thrown: unknown;
    try {
      batch.nack([{ name: 'c1', message: 'late' }]);
    } catch (err) {
      thrown = err;
    }
    expect(OrionError.is(thrown, ORION_ERR_XDS_BATCH_SETTLED)).toBe(true);
    await s.stream.expectNoRequest(150);
  });

  it('rule 5: an ACK carries the response version and no error_detail', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    const nonce = s.send(LDS, '2024-05-01T10:00:00Z/42', [listener('l1')]);
    const batch = await s.batches.next();
    expect(batch.version).toBe('2024-05-01T10:00:00Z/42');
    expect(batch.updates[0]?.version).toBe('2024-05-01T10:00:00Z/42');
    batch.ack();
    const ack = await s.request();
    expect(ack).toMatchObject({ typeUrl: LDS, nonce, error: undefined });
    if (protocol === 'sotw') expect(ack.versionInfo).toBe('2024-05-01T10:00:00Z/42');
    expect(s.client.stats()[LDS]?.version).toBe('2024-05-01T10:00:00Z/42');
  });

  it('rule 6: a NACK carries error_detail and the last accepted version (empty if none)', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    (await s.roundTrip(CDS, 'v1', [cluster('c1')])).nack([{ name: 'c1', message: 'connect_timeout must be positive' }]);
    const first = await s.request();
    expect(first.error).toBe('c1: connect_timeout must be positive');
    if (protocol === 'sotw') expect(first.versionInfo).toBe('');

    (await s.roundTrip(CDS, 'v2', [cluster('c1', 2000)])).ack();
    expect((await s.request()).error).toBeUndefined();

    (await s.roundTrip(CDS, 'v3', [cluster('c1', 3000)])).nack([{ name: 'c1', message: 'still wrong' }]);
    const second = await s.request();
    expect(second.error).toBe('c1: still wrong');
    if (protocol === 'sotw') expect(second.versionInfo).toBe('v2');
    expect(s.client.stats()[CDS]?.version).toBe('v2');
    expect(s.client.acceptedVersions(CDS)).toEqual({ c1: 'v2' });
  });

  it('rule 9: nonces are per stream, the latest is echoed, and none survives a reconnect', async () => {
    const s = (session = await Session.open(protocol, { types: ['cds', 'eds'] }));
    await s.openingRequests(1);
    const n1 = s.send(CDS, 'v1', [cluster('c1')]);
    const n2 = s.send(CDS, 'v2', [cluster('c1', 2000)]);
    const b1 = await s.batches.next();
    await s.batches.expectNone(100); // the second response of the type waits for the first to be settled
    b1.ack();
    expect((await s.request()).nonce).toBe(n1);
    const b2 = await s.batches.next();
    b2.ack();
    expect((await s.request()).nonce).toBe(n2);

    s.client.subscribe(EDS, ['c1']);
    const sub = await s.request();
    expect(sub.typeUrl).toBe(EDS);
    expect(sub.nonce).toBe('');
    const edsNonce = s.send(EDS, 'e1', [clusterLoadAssignment('c1')]);
    (await s.batches.next()).ack();
    expect((await s.request()).nonce).toBe(edsNonce);
    if (protocol === 'sotw') {
      // A SotW subscription change echoes the most recent nonce of its type.
      s.client.subscribe(EDS, ['c2']);
      expect(await s.request()).toMatchObject({ typeUrl: EDS, nonce: edsNonce, resourceNames: ['c1', 'c2'] });
    }

    s.stream.fail();
    await s.nextStream();
    const reopened = await s.openingRequests(2);
    expect(reopened.map((r) => r.nonce)).toEqual(['', '']);
    // The new stream's nonces start over; the client answers with exactly what it received on this stream.
    const fresh = s.send(CDS, 'v3', [cluster('c1', 3000)]);
    expect(fresh).toBe(n1);
    (await s.batches.next()).ack();
    expect((await s.request()).nonce).toBe(fresh);
  });

  it('rule 22: silence and ignored requests are not failures', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    await s.cp.expectNoStream(300);
    (await s.roundTrip(CDS, 'v1', [cluster('c1')])).ack();
    await s.request();
    // The server ignores the ACK (as it would a stale nonce): the client neither retries nor reconnects.
    await s.stream.expectNoRequest(300);
    await s.cp.expectNoStream(0);
    expect(s.client.controlPlaneStats()).toMatchObject({ stream_attempt: 1, stream_failure: 0 });
    expect(s.client.stats()[CDS]).toMatchObject({ update_failure: 0 });
  });
});

describe('xDS requests (delta only)', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 16: a delta ACK is response_nonce without error_detail, a NACK adds error_detail', async () => {
    const s = (session = await Session.open('delta', { types: ['cds'] }));
    await s.openingRequests(1);
    const n1 = s.send(CDS, 'sys-1', [cluster('c1')]);
    (await s.batches.next()).ack();
    const ack = await s.request();
    expect(ack).toMatchObject({ nonce: n1, error: undefined, subscribe: [], unsubscribe: [] });
    const n2 = s.send(CDS, 'sys-2', [cluster('c1', 5)]);
    (await s.batches.next()).nack([{ name: 'c1', message: 'bad timeout' }]);
    const nack = await s.request();
    expect(nack).toMatchObject({ nonce: n2, error: 'c1: bad timeout', subscribe: [], unsubscribe: [] });
    const raw = s.stream.kind === 'delta' ? s.stream.received.at(-1) : undefined;
    expect(raw?.errorDetail?.code).toBe(13); // INTERNAL, as Envoy sends
  });
});
