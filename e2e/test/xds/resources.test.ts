import type { Any } from '@bufbuild/protobuf/wkt';
import type { Listener } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TYPE_URL,
  cluster,
  clusterLoadAssignment,
  corruptAny,
  listener,
  routeConfiguration,
  secret,
  wrappedAny,
} from '../../src/control-plane/index.js';
import { PROTOCOLS, removed, updated } from './harness.js';
import { Session } from './session.js';

const { cluster: CDS, listener: LDS, endpoint: EDS, route: RDS, secret: SDS } = TYPE_URL;

describe.each(PROTOCOLS)('xDS resources (%s)', (protocol) => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 7: a partial accept keeps the good resources and NACKs the rest, which keep their last accepted version', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    (await s.roundTrip(LDS, 'v1', [listener('l1', 10_001), listener('l2', 10_002)])).ack();
    await s.request();

    const batch = await s.roundTrip(LDS, 'v2', [listener('l1', 10_011), { name: 'l2', any: corruptAny(LDS, 'l2') }, listener('l3', 10_003)]);
    expect(updated(batch)).toEqual(['l1', 'l3']);
    expect(batch.errors.map((e) => e.name)).toEqual(['l2']);
    expect((batch.updates.find((u) => u.name === 'l1')?.value as Listener).statPrefix).toBe('l1');
    // The caller rejects l3 too (say its port is taken) and keeps l1.
    batch.nack([{ name: 'l3', message: 'address already in use' }]);
    const nack = await s.request();
    expect(nack.error).toMatch(/^l2: cannot decode envoy\.config\.listener\.v3\.Listener/);
    expect(nack.error).toContain('\nl3: address already in use');
    if (protocol === 'sotw') expect(nack.versionInfo).toBe('v1');
    expect(s.client.acceptedVersions(LDS)).toEqual({ l1: 'v2', l2: 'v1' });
    expect(s.client.stats()[LDS]).toMatchObject({ version: 'v1', update_rejected: 1 });

    if (protocol === 'sotw') {
      // Resent unchanged, l1 and l2 are not updates: the client kept them.
      expect(updated(await s.roundTrip(LDS, 'v3', [listener('l1', 10_011), listener('l2', 10_002)]))).toEqual([]);
    }
  });

  it('rule 8: a response naming the same resource twice is NACKed', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    const batch = await s.roundTrip(CDS, 'v1', [cluster('c1'), cluster('c2'), cluster('c1', 2000)]);
    expect(updated(batch)).toEqual(['c2']);
    expect(batch.errors).toEqual([{ name: 'c1', message: 'duplicate resource name in response' }]);
    batch.ack(); // errors are always NACKed
    const reply = await s.request();
    expect(reply.error).toBe('c1: duplicate resource name in response');
    if (protocol === 'sotw') expect(reply.versionInfo).toBe('');
    expect(s.client.acceptedVersions(CDS)).toEqual({ c2: 'v1' });
  });

  it('rule 10: resources the client did not subscribe to are ignored, not an error', async () => {
    const s = (session = await Session.open(protocol, { types: ['eds'] }));
    s.client.subscribe(EDS, ['a']);
    await s.request();
    const batch = await s.roundTrip(EDS, 'v1', [clusterLoadAssignment('a'), clusterLoadAssignment('b')]);
    expect(updated(batch)).toEqual(['a']);
    expect(batch.errors).toEqual([]);
    batch.ack();
    expect((await s.request()).error).toBeUndefined();
    expect(s.client.acceptedVersions(EDS)).toEqual({ a: 'v1' });
  });

  it('rule 23: resources are accepted in any arrival order', async () => {
    const s = (session = await Session.open(protocol, { types: ['lds', 'rds', 'cds', 'eds', 'sds'] }));
    await s.openingRequests(2);
    s.client.subscribe(RDS, ['r1']);
    s.client.subscribe(EDS, ['backend']);
    s.client.subscribe(SDS, ['ca']);
    await s.openingRequests(3);
    // Reverse of the recommended CDS → EDS → LDS → RDS order, secrets first.
    s.send(SDS, 's-1', [secret('ca')]);
    s.send(RDS, 'r-1', [routeConfiguration('r1', 'backend')]);
    s.send(LDS, 'l-1', [listener('l1')]);
    s.send(EDS, 'e-1', [clusterLoadAssignment('backend')]);
    s.send(CDS, 'c-1', [cluster('backend')]);
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = await s.batches.next();
      order.push(batch.typeUrl);
      expect(batch.errors).toEqual([]);
      batch.ack();
    }
    expect(order).toEqual([SDS, RDS, LDS, EDS, CDS]);
    for (let i = 0; i < 5; i++) expect((await s.request()).error).toBeUndefined();
    expect(s.client.acceptedVersions(SDS)).toEqual({ ca: 's-1' });
    expect(s.client.acceptedVersions(RDS)).toEqual({ r1: 'r-1' });
    expect(s.client.acceptedVersions(EDS)).toEqual({ backend: 'e-1' });
    expect(s.client.acceptedVersions(CDS)).toEqual({ backend: 'c-1' });
    expect(s.client.acceptedVersions(LDS)).toEqual({ l1: 'l-1' });
  });

  it('rule 24: a resource with a TTL expires on its own unless a heartbeat refreshes it', async () => {
    const s = (session = await Session.open(protocol, { types: ['cds'] }));
    await s.openingRequests(1);
    const ttlMs = 1200;
    const sendTtl = (version: string, withBody: boolean): void => {
      const body = withBody ? { message: cluster('c1') } : {};
      if (s.stream.kind === 'delta') {
        s.stream.send({ typeUrl: CDS, resources: [{ name: 'c1', version, ttlMs, ...body }, { name: 'c2', version, message: cluster('c2') }] });
      } else {
        // SotW carries the TTL in the Resource wrapper; the response is CDS full state, so c2 is resent too.
        s.stream.send({ typeUrl: CDS, versionInfo: version, resources: [wrappedC1(version, ttlMs, withBody), cluster('c2')] });
      }
    };
    sendTtl('v1', true);
    const first = await s.batches.next();
    expect(first.updates.map((u) => [u.name, u.ttlMs])).toEqual([
      ['c1', ttlMs],
      ['c2', undefined],
    ]);
    first.ack();
    await s.request();

    await new Promise((resolve) => setTimeout(resolve, ttlMs / 2));
    sendTtl('v1', false); // heartbeat: version only
    const heartbeat = await s.batches.next();
    expect(heartbeat.updates).toEqual([]);
    expect(heartbeat.removals).toEqual([]);
    heartbeat.ack();
    expect((await s.request()).error).toBeUndefined();

    // The heartbeat moved the deadline: nothing expires at the original one (a quarter TTL of margin each side).
    await s.batches.expectNone(ttlMs / 2 + ttlMs / 4);
    const expiry = await s.batches.next(ttlMs + 1000);
    expect(expiry.source).toBe('ttl-expiry');
    expect(expiry.removals).toEqual([{ name: 'c1', version: 'v1', reason: 'expired' }]);
    expiry.ack();
    expect(s.client.acceptedVersions(CDS)).toEqual({ c2: 'v1' });
    await s.stream.expectNoRequest(100); // a local expiry is not answered
  });

  it('rule 25: versions are never compared across types or servers', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    (await s.roundTrip(CDS, '9', [cluster('shared')])).ack();
    await s.request();
    // Same version string, other type: still an update.
    const lds = await s.roundTrip(LDS, '9', [listener('shared')]);
    expect(updated(lds)).toEqual(['shared']);
    lds.ack();
    await s.request();
    // Another server (after a reconnect) may count from 1 again: a lower version is a normal update.
    s.stream.fail();
    await s.nextStream();
    await s.openingRequests(2);
    const cds = await s.roundTrip(CDS, '1', [cluster('shared', 4000)]);
    expect(updated(cds)).toEqual(['shared']);
    expect(cds.updates[0]?.version).toBe('1');
    cds.ack();
    const ack = await s.request();
    expect(ack.error).toBeUndefined();
    if (protocol === 'sotw') expect(ack.versionInfo).toBe('1');
    expect(s.client.stats()[CDS]?.version).toBe('1');
    expect(s.client.stats()[LDS]?.version).toBe('9');
  });
});

describe('xDS resources (SotW only)', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 12: a SotW LDS/CDS response is the full state; missing means removed, empty removes all', async () => {
    const s = (session = await Session.open('sotw'));
    await s.openingRequests(2);
    (await s.roundTrip(CDS, 'v1', [cluster('a'), cluster('b'), cluster('c')])).ack();
    await s.request();
    const second = await s.roundTrip(CDS, 'v2', [cluster('a'), cluster('c', 3000)]);
    expect(updated(second)).toEqual(['c']);
    expect(second.removals).toEqual([{ name: 'b', version: 'v1', reason: 'removed' }]);
    second.ack();
    await s.request();
    const empty = await s.roundTrip(CDS, 'v3', []);
    expect(removed(empty)).toEqual(['a', 'c']);
    empty.ack();
    await s.request();
    expect(s.client.acceptedVersions(CDS)).toEqual({});

    (await s.roundTrip(LDS, 'l1', [listener('x'), listener('y')])).ack();
    await s.request();
    expect(removed(await s.roundTrip(LDS, 'l2', [listener('y')]))).toEqual(['x']);
  });

  it('rule 13: SotW RDS/EDS/SDS responses are not full state; absence is not deletion, empty is a no-op', async () => {
    const s = (session = await Session.open('sotw', { types: ['rds', 'eds'] }));
    s.client.subscribe(RDS, ['r1', 'r2']);
    s.client.subscribe(EDS, ['e1', 'e2']);
    await s.openingRequests(2);
    (await s.roundTrip(RDS, 'v1', [routeConfiguration('r1'), routeConfiguration('r2')])).ack();
    await s.request();
    const partial = await s.roundTrip(RDS, 'v2', [routeConfiguration('r1', 'other')]);
    expect(updated(partial)).toEqual(['r1']);
    expect(partial.removals).toEqual([]);
    partial.ack();
    await s.request();
    const empty = await s.roundTrip(RDS, 'v3', []);
    expect(empty.updates).toEqual([]);
    expect(empty.removals).toEqual([]);
    empty.ack();
    expect((await s.request()).versionInfo).toBe('v3');
    expect(s.client.acceptedVersions(RDS)).toEqual({ r1: 'v2', r2: 'v1' });

    (await s.roundTrip(EDS, 'v1', [clusterLoadAssignment('e1'), clusterLoadAssignment('e2')])).ack();
    await s.request();
    expect((await s.roundTrip(EDS, 'v2', [clusterLoadAssignment('e2', [9090])])).removals).toEqual([]);
  });
});

describe('xDS resources (delta only)', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 14: delta resends only changes, keeps the rest, and deletes only through removed_resources', async () => {
    const s = (session = await Session.open('delta'));
    await s.openingRequests(2);
    (await s.roundTrip(CDS, 's1', [cluster('a'), cluster('b')])).ack();
    await s.request();
    const change = await s.roundTrip(CDS, 's2', [cluster('a', 2000)]);
    expect(updated(change)).toEqual(['a']);
    expect(change.removals).toEqual([]);
    change.ack();
    await s.request();
    expect(s.client.acceptedVersions(CDS)).toEqual({ a: 's2', b: 's1' });
    const removal = await s.roundTrip(CDS, 's3', [], ['b']);
    expect(removal.updates).toEqual([]);
    expect(removal.removals).toEqual([{ name: 'b', version: 's1', reason: 'removed' }]);
    removal.ack();
    await s.request();
    expect(s.client.acceptedVersions(CDS)).toEqual({ a: 's2' });
  });
});

function wrappedC1(version: string, ttlMs: number, withBody: boolean): Any {
  return wrappedAny({ name: 'c1', version, ttlMs, ...(withBody ? { message: cluster('c1') } : {}) });
}
