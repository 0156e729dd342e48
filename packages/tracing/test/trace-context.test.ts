import { describe, expect, it } from 'vitest';
import { childContext, newRootContext } from '../src/index.js';

describe('newRootContext', () => {
  it('starts a 128-bit trace with no parent and the given decision', () => {
    for (const sampled of [true, false, undefined]) {
      const root = newRootContext(sampled);
      expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(root.traceIdBits).toBe(128);
      expect(root.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(root.parentSpanId).toBeUndefined();
      expect(root.sampled).toBe(sampled);
      expect(root.debug).toBe(false);
    }
  });

  it('makes 64-bit trace ids with a zero upper half', () => {
    const root = newRootContext(true, { traceIdBits: 64 });
    expect(root.traceIdBits).toBe(64);
    expect(root.traceId).toMatch(/^0{16}[0-9a-f]{16}$/);
    expect(root.traceId).not.toBe('0'.repeat(32));
  });

  it('makes debug imply sampled', () => {
    expect(newRootContext(false, { debug: true })).toMatchObject({ sampled: true, debug: true });
  });
});

describe('childContext', () => {
  it('keeps the trace and its decision, takes a new span id and the parent\'s as its parent', () => {
    const baggage = new Map([['k', 'v']]);
    const parent = { ...newRootContext(false, { traceIdBits: 64 }), traceState: 'congo=1', baggage };
    const child = childContext(parent);
    expect(child).toEqual({
      traceId: parent.traceId,
      traceIdBits: 64,
      spanId: child.spanId,
      parentSpanId: parent.spanId,
      sampled: false,
      debug: false,
      traceState: 'congo=1',
      baggage,
    });
    expect(child.spanId).not.toBe(parent.spanId);
    expect(Object.keys(child)).toEqual(Object.keys(parent));
  });
});
