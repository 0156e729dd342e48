import { describe, expect, it } from 'vitest';
import { UUID_TRACE_REASON_INDEX, generateUuid, setUuidTraceReason, uuidTraceReason } from '../src/index.js';
import type { TraceReason } from '../src/index.js';

const FRESH = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

describe('uuidTraceReason / setUuidTraceReason', () => {
  // UuidRequestIdConfig: the 14th nibble (index 14) is '4' in a UUIDv4; '9' sampled, 'a' forced by
  // the service, 'b' forced by the client.
  it.each<[TraceReason, string]>([
    ['notTraceable', '4'],
    ['sampling', '9'],
    ['serviceForced', 'a'],
    ['clientForced', 'b'],
  ])('packs %s as "%s" at index 14 and reads it back', (reason, char) => {
    const packed = setUuidTraceReason(FRESH, reason);
    expect(packed[UUID_TRACE_REASON_INDEX]).toBe(char);
    expect(packed.slice(0, 14) + packed.slice(15)).toBe(FRESH.slice(0, 14) + FRESH.slice(15));
    expect(uuidTraceReason(packed)).toBe(reason);
  });

  it('reads a fresh UUIDv4 as not traceable', () => {
    expect(UUID_TRACE_REASON_INDEX).toBe(14);
    expect(uuidTraceReason(generateUuid())).toBe('notTraceable');
    expect(uuidTraceReason(FRESH)).toBe('notTraceable');
  });

  it('ignores ids that are not 36 characters long (non-UUID request ids)', () => {
    expect(uuidTraceReason('f5ae2621ffff2e7d5000bb8f04ef278a')).toBe('notTraceable');
    expect(uuidTraceReason(undefined)).toBe('notTraceable');
    expect(setUuidTraceReason('f5ae2621ffff2e7d9000bb8f04ef278a', 'sampling')).toBe('f5ae2621ffff2e7d9000bb8f04ef278a');
  });

  it('returns the same string when the reason is already packed', () => {
    const sampled = setUuidTraceReason(FRESH, 'sampling');
    expect(setUuidTraceReason(sampled, 'sampling')).toBe(sampled);
  });

  it('reads an unknown character as not traceable', () => {
    expect(uuidTraceReason('a0b1c2d3-e4f5-ca6b-8c7d-9e0f1a2b3c4d')).toBe('notTraceable');
  });
});
