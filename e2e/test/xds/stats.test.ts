import { afterEach, describe, expect, it } from 'vitest';
import { TYPE_URL, cluster, corruptAny, listener } from '../../src/control-plane/index.js';
import { PROTOCOLS, waitFor } from './harness.js';
import { Session } from './session.js';

const { cluster: CDS, listener: LDS } = TYPE_URL;

describe.each(PROTOCOLS)('xDS stats (%s)', (protocol) => {
  let session: Session | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('rule 26: each type exposes update_attempt, update_success, update_rejected, update_failure and version', async () => {
    const s = (session = await Session.open(protocol));
    await s.openingRequests(2);
    const zero = { update_attempt: 0, update_success: 0, update_rejected: 0, update_failure: 0, init_fetch_timeout: 0, version: '' };
    expect(s.client.stats()).toEqual({ [LDS]: zero, [CDS]: zero });

    (await s.roundTrip(CDS, 'c1', [cluster('a')])).ack();
    await s.request();
    (await s.roundTrip(CDS, 'c2', [{ name: 'a', any: corruptAny(CDS, 'a') }])).ack();
    await s.request();
    (await s.roundTrip(LDS, 'l1', [listener('x')])).ack();
    await s.request();
    expect(s.client.stats()[CDS]).toEqual({ ...zero, update_attempt: 2, update_success: 1, update_rejected: 1, version: 'c1' });
    expect(s.client.stats()[LDS]).toEqual({ ...zero, update_attempt: 1, update_success: 1, version: 'l1' });

    s.stream.fail();
    await s.nextStream();
    await s.openingRequests(2);
    await waitFor(() => s.client.controlPlaneStats().stream_attempt === 2, 2000, 'the second stream');
    expect(s.client.stats()[CDS]).toMatchObject({ update_attempt: 3, update_failure: 1, version: 'c1' });
    expect(s.client.stats()[LDS]).toMatchObject({ update_attempt: 2, update_failure: 1, version: 'l1' });
    expect(s.client.controlPlaneStats()).toMatchObject({ stream_attempt: 2, stream_failure: 1 });
    // The snapshot is a copy.
    const snapshot = s.client.stats();
    (snapshot[CDS] as { update_attempt: number }).update_attempt = 99;
    expect(s.client.stats()[CDS]?.update_attempt).toBe(3);
  });
});
