import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INTERNER_MAX_SIZE,
  ORION_ERR_INTERNER_FULL,
  ORION_ERR_INTERNER_INVALID_OPTIONS,
  createInterner,
} from '../src/index.js';

describe('createInterner', () => {
  it('hands out dense ids from 0 in order of first interning', () => {
    const interner = createInterner();
    expect(['listener_0', 'cluster_a', 'route_x'].map((s) => interner.id(s))).toEqual([0, 1, 2]);
    expect(interner.id('cluster_a')).toBe(1);
    expect(interner.size).toBe(3);
  });

  it('returns the same record for the same string', () => {
    const interner = createInterner();
    const first = interner.intern('backend');
    // Built at run time, so it is a different string object with the same content.
    const again = interner.intern(['back', 'end'].join(''));
    expect(again).toBe(first);
    expect(first).toEqual({ id: 0, value: 'backend' });
  });

  it('resolves ids back to their strings', () => {
    const interner = createInterner();
    const names = ['a', 'b', '', 'ünïcödé', 'emoji 🐱', 'lone \ud800 surrogate', 'x'.repeat(4096)];
    const ids = names.map((s) => interner.id(s));
    expect(ids.map((id) => interner.lookup(id))).toEqual(names);
    expect(interner.lookup(names.length)).toBeUndefined();
    expect(interner.lookup(-1)).toBeUndefined();
    expect(interner.lookup(0.5)).toBeUndefined();
  });

  it('keeps the canonical copy equal to a substring it was given', () => {
    const interner = createInterner();
    const document = `${'prefix-'.repeat(1000)}outbound|8080||reviews.default.svc.cluster.local${'-suffix'.repeat(1000)}`;
    const slice = document.slice(7000, 7000 + 'outbound|8080||reviews.default.svc.cluster.local'.length);
    const record = interner.intern(slice);
    expect(record.value).toBe('outbound|8080||reviews.default.svc.cluster.local');
    expect(interner.get('outbound|8080||reviews.default.svc.cluster.local')).toBe(record);
  });

  it('probes with get() without adding', () => {
    const interner = createInterner();
    expect(interner.get('missing')).toBeUndefined();
    expect(interner.size).toBe(0);
    const record = interner.intern('present');
    expect(interner.get('present')).toBe(record);
    expect(interner.size).toBe(1);
  });

  it('keeps separate interners independent', () => {
    const a = createInterner();
    const b = createInterner();
    a.intern('only-in-a');
    expect(b.get('only-in-a')).toBeUndefined();
    expect(b.id('other')).toBe(0);
  });

  it('refuses new strings beyond maxSize and keeps serving known ones', () => {
    const interner = createInterner({ maxSize: 2 });
    interner.id('one');
    interner.id('two');
    let thrown: unknown;
    try {
      interner.intern('three');
    } catch (err) {
      thrown = err;
    }
    expect(OrionError.is(thrown, ORION_ERR_INTERNER_FULL)).toBe(true);
    expect((thrown as OrionError).details).toEqual({ maxSize: 2 });
    expect(interner.size).toBe(2);
    expect(interner.id('two')).toBe(1);
    expect(interner.get('three')).toBeUndefined();
  });

  it('defaults maxSize and rejects values below 1 or not integers', () => {
    expect(createInterner().maxSize).toBe(DEFAULT_INTERNER_MAX_SIZE);
    for (const maxSize of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createInterner({ maxSize }), String(maxSize)).toThrow(
        expect.objectContaining({ code: ORION_ERR_INTERNER_INVALID_OPTIONS }),
      );
    }
  });
});
