import { afterEach, describe, expect, it } from 'vitest';
import { TYPE_URL, cluster, clusterLoadAssignment } from '../../src/control-plane/index.js';
import { PROTOCOLS, updated } from './harness.js';
import { Session } from './session.js';

const { cluster: CDS, endpoint: EDS } = TYPE_URL;

describe.each(PROTOCOLS)('xDS subscriptions (%s)', (protocol) => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 11: LDS and CDS start as wildcard; once names were sent, "*" stays explicit and an empty list means nothing', async () => {
    const s = (session = await Session.open(protocol));
    const opening = await s.openingRequests(2);
    for (const r of opening) {
      // The legacy wildcard form: an empty name list on the first request.
      expect(protocol === 'sotw' ? r.resourceNames : r.subscribe).toEqual([]);
    }
    (await s.roundTrip(CDS, 'v1', [cluster('a'), cluster('b')])).ack();
    await s.request();

    s.client.subscribe(CDS, ['pinned']);
    const mixed = await s.request();
    if (protocol === 'sotw') expect(mixed).toMatchObject({ typeUrl: CDS, resourceNames: ['*', 'pinned'] });
    else expect(mixed).toMatchObject({ typeUrl: CDS, subscribe: ['*', 'pinned'], unsubscribe: [] });

    s.client.unsubscribe(CDS, ['*', 'pinned']);
    const none = await s.request();
    if (protocol === 'sotw') expect(none).toMatchObject({ typeUrl: CDS, resourceNames: [] });
    else expect(none).toMatchObject({ typeUrl: CDS, subscribe: [], unsubscribe: ['*', 'pinned'] });
    expect(s.client.subscriptions(CDS)).toEqual([]);
    expect(s.client.acceptedVersions(CDS)).toEqual({});
    // Whatever the server still sends is not of interest any more.
    const late = await s.roundTrip(CDS, 'v2', [cluster('a', 2000)]);
    expect(late.updates).toEqual([]);
  });

  it('rule 19: a subscribed resource that never arrives is reported absent after the initial fetch timeout, and still accepted later', async () => {
    const s = (session = await Session.open(protocol, { types: ['eds'], initialFetchTimeoutMs: 500 }));
    s.client.subscribe(EDS, ['present', 'missing']);
    await s.request();
    const first = await s.roundTrip(EDS, 'v1', [clusterLoadAssignment('present')]);
    expect(updated(first)).toEqual(['present']);
    first.ack();
    await s.request();

    const timeout = await s.batches.next(2000);
    expect(timeout.source).toBe('initial-fetch-timeout');
    expect(timeout.removals).toEqual([{ name: 'missing', version: '', reason: 'timeout' }]);
    expect(timeout.nonce).toBe('');
    timeout.ack();
    await s.stream.expectNoRequest(100); // a local event is not answered
    expect(s.client.stats()[EDS]?.init_fetch_timeout).toBe(1);

    const late = await s.roundTrip(EDS, 'v2', [clusterLoadAssignment('missing')]);
    expect(updated(late)).toEqual(['missing']);
    late.ack();
    expect((await s.request()).error).toBeUndefined();
    expect(s.client.acceptedVersions(EDS)).toEqual({ present: 'v1', missing: 'v2' });
    await s.batches.expectNone(400); // no second timeout
  });

  it('rule 19: a wildcard subscription with no first response times out once, without removals', async () => {
    const s = (session = await Session.open(protocol, { types: ['cds'], initialFetchTimeoutMs: 150 }));
    await s.request();
    const timeout = await s.batches.next(2000);
    expect(timeout).toMatchObject({ typeUrl: CDS, source: 'initial-fetch-timeout', updates: [], removals: [] });
    timeout.ack();
    expect(s.client.stats()[CDS]?.init_fetch_timeout).toBe(1);
    (await s.roundTrip(CDS, 'v1', [cluster('a')])).ack();
    expect((await s.request()).error).toBeUndefined();
  });
});

describe('xDS subscriptions (SotW only)', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 3: every SotW request lists the complete set of subscribed names', async () => {
    const s = (session = await Session.open('sotw', { types: ['eds'] }));
    await s.stream.expectNoRequest(100); // nothing to ask for yet
    s.client.subscribe(EDS, ['a']);
    expect(await s.request()).toMatchObject({ typeUrl: EDS, nodeId: 'node-1', resourceNames: ['a'] });
    s.client.subscribe(EDS, ['b']);
    expect(await s.request()).toMatchObject({ resourceNames: ['a', 'b'] });
    const nonce = s.send(EDS, 'v1', [clusterLoadAssignment('a'), clusterLoadAssignment('b')]);
    (await s.batches.next()).ack();
    expect(await s.request()).toMatchObject({ nonce, versionInfo: 'v1', resourceNames: ['a', 'b'] });
    s.client.unsubscribe(EDS, ['a']);
    expect(await s.request()).toMatchObject({ nonce, versionInfo: 'v1', resourceNames: ['b'] });
    expect(s.client.acceptedVersions(EDS)).toEqual({ b: 'v1' });
    s.client.unsubscribe(EDS, ['b']);
    expect(await s.request()).toMatchObject({ resourceNames: [] });
  });

  it('rule 3: a subscription change waits for the unsettled response of its type and rides on its ACK', async () => {
    const s = (session = await Session.open('sotw', { types: ['eds'] }));
    s.client.subscribe(EDS, ['a']);
    await s.request();
    const nonce = s.send(EDS, 'v1', [clusterLoadAssignment('a')]);
    const batch = await s.batches.next();
    s.client.subscribe(EDS, ['b']);
    await s.stream.expectNoRequest(150);
    batch.ack();
    expect(await s.request()).toMatchObject({ nonce, versionInfo: 'v1', resourceNames: ['a', 'b'], error: undefined });
    await s.stream.expectNoRequest(100);
  });
});

describe('xDS subscriptions (delta only)', () => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 15: delta subscription changes carry only the changes and no response_nonce', async () => {
    const s = (session = await Session.open('delta', { types: ['eds'] }));
    s.client.subscribe(EDS, ['a']);
    expect(await s.request()).toMatchObject({ subscribe: ['a'], unsubscribe: [], nonce: '' });
    (await s.roundTrip(EDS, 'v1', [clusterLoadAssignment('a')])).ack();
    await s.request();
    s.client.subscribe(EDS, ['b', 'c']);
    expect(await s.request()).toMatchObject({ subscribe: ['b', 'c'], unsubscribe: [], nonce: '', error: undefined });
    s.client.unsubscribe(EDS, ['a']);
    expect(await s.request()).toMatchObject({ subscribe: [], unsubscribe: ['a'], nonce: '' });
    s.client.subscribe(EDS, ['b']); // already subscribed: nothing to say
    await s.stream.expectNoRequest(100);
    expect(s.client.acceptedVersions(EDS)).toEqual({});
  });

  it('rule 19: delta signals a resource that does not exist through removed_resources', async () => {
    const s = (session = await Session.open('delta', { types: ['eds'] }));
    s.client.subscribe(EDS, ['ghost']);
    await s.request();
    const batch = await s.roundTrip(EDS, 'v1', [], ['ghost']);
    expect(batch.removals).toEqual([{ name: 'ghost', version: '', reason: 'removed' }]);
    batch.ack();
    await s.request();
    const later = await s.roundTrip(EDS, 'v2', [clusterLoadAssignment('ghost')]);
    expect(updated(later)).toEqual(['ghost']);
  });

  it('rule 20: after an explicit unsubscribe under wildcard the resource may come back or be removed', async () => {
    const s = (session = await Session.open('delta', { types: ['cds'] }));
    await s.request();
    s.client.subscribe(CDS, ['x', 'y']);
    expect(await s.request()).toMatchObject({ subscribe: ['*', 'x', 'y'] });
    (await s.roundTrip(CDS, 'v1', [cluster('x'), cluster('y'), cluster('z')])).ack();
    await s.request();

    s.client.unsubscribe(CDS, ['x', 'y']);
    expect(await s.request()).toMatchObject({ subscribe: [], unsubscribe: ['x', 'y'] });
    // Still covered by the wildcard, x and y stay; the server may resend x…
    expect(s.client.acceptedVersions(CDS)).toEqual({ x: 'v1', y: 'v1', z: 'v1' });
    const resent = await s.roundTrip(CDS, 'v2', [cluster('x', 2000)]);
    expect(updated(resent)).toEqual(['x']);
    resent.ack();
    await s.request();
    // …or remove y.
    const gone = await s.roundTrip(CDS, 'v3', [], ['y']);
    expect(gone.removals).toEqual([{ name: 'y', version: 'v1', reason: 'removed' }]);
    gone.ack();
    await s.request();
    expect(s.client.acceptedVersions(CDS)).toEqual({ x: 'v2', z: 'v1' });
  });
});
