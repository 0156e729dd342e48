import { describe, expect, it, vi } from 'vitest';
import { ORION_ERR_XDS_BATCH_SETTLED } from '../src/index.js';
import type { PreparedBatch } from '../src/prepared-batch.js';
import { SettleableBatch } from '../src/settleable-batch.js';

const prepared: PreparedBatch = {
  typeUrl: 't',
  source: 'response',
  version: 'v1',
  nonce: 'n1',
  streamId: 1,
  updates: [{ name: 'a', version: 'v1', value: 1, digest: 'd', ttlMs: 5 }, { name: 'b', version: 'v1', value: 2, digest: 'd' }],
  removals: [{ name: 'c', version: 'v0', reason: 'removed' }],
  refreshes: [],
  errors: [{ name: 'e', message: 'bad' }],
};

describe('SettleableBatch', () => {
  it('exposes the prepared content without internals', () => {
    const batch = new SettleableBatch(prepared, () => undefined);
    expect(batch.updates).toEqual([
      { name: 'a', version: 'v1', value: 1, ttlMs: 5 },
      { name: 'b', version: 'v1', value: 2 },
    ]);
    expect([batch.typeUrl, batch.source, batch.version, batch.nonce]).toEqual(['t', 'response', 'v1', 'n1']);
    expect(batch.removals).toBe(prepared.removals);
    expect(batch.errors).toBe(prepared.errors);
  });

  it('settles exactly once, passing ack / nack and rejectAll through', () => {
    const onSettle = vi.fn();
    const acked = new SettleableBatch(prepared, onSettle);
    acked.ack();
    expect(onSettle).toHaveBeenLastCalledWith(prepared, undefined, false);
    expect(() => acked.ack()).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_BATCH_SETTLED }));
    const nacked = new SettleableBatch(prepared, onSettle);
    nacked.nack([{ name: 'a', message: 'no' }], { rejectAll: true });
    expect(onSettle).toHaveBeenLastCalledWith(prepared, [{ name: 'a', message: 'no' }], true);
    expect(nacked.settled).toBe(true);
    expect(() => nacked.nack([])).toThrow(expect.objectContaining({ code: ORION_ERR_XDS_BATCH_SETTLED }));
    expect(onSettle).toHaveBeenCalledTimes(2);
  });
});
