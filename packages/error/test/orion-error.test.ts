import { describe, expect, it } from 'vitest';
import { OrionError, ORION_ERR_UNKNOWN, withContext, withContextData } from '../src/index.js';

describe('OrionError', () => {
  it('keeps the code, message and native cause', () => {
    const cause = new Error('boom');
    const err = new OrionError('ORION_ERR_TEST_FAILED', 'it failed', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ORION_ERR_TEST_FAILED');
    expect(err.message).toBe('it failed');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('OrionError');
  });

  it('rejects codes outside the ORION_ERR_<AREA>_<DETAIL> form', () => {
    expect(() => new OrionError('ORION_ERR_lower' as 'ORION_ERR_X', 'x')).toThrow(TypeError);
  });

  it('adds context frames without mutating the original', () => {
    const base = new OrionError('ORION_ERR_TEST_FAILED', 'refused');
    const outer = base.withContext('connecting').withContext('loading cluster foo');
    expect(base.context).toEqual([]);
    expect(outer.context.map((f) => f.message)).toEqual(['connecting', 'loading cluster foo']);
    expect(outer.toString()).toBe('loading cluster foo: connecting: refused');
    expect(outer.code).toBe('ORION_ERR_TEST_FAILED');
  });

  it('wraps unknown values with from()', () => {
    const native = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    const wrapped = OrionError.from(native, 'ORION_ERR_TEST_LISTEN');
    expect(wrapped.code).toBe('ORION_ERR_TEST_LISTEN');
    expect(wrapped.cause).toBe(native);
    expect(wrapped.details['systemCode']).toBe('EADDRINUSE');
    expect(OrionError.from('plain').code).toBe(ORION_ERR_UNKNOWN);
    expect(OrionError.from({ a: 1 }).message).toBe('{"a":1}');
    const same = new OrionError('ORION_ERR_TEST_FAILED', 'x');
    expect(OrionError.from(same)).toBe(same);
  });

  it('withContext and withContextData accept any thrown value', () => {
    const e = withContextData(new TypeError('bad'), 'loading cluster', { cluster: 'foo' });
    expect(e.context[0]).toEqual({ message: 'loading cluster', data: { cluster: 'foo' } });
    expect(withContext('str', 'ctx', 'ORION_ERR_TEST_X').code).toBe('ORION_ERR_TEST_X');
  });

  it('is() narrows by code', () => {
    const e: unknown = new OrionError('ORION_ERR_TEST_A', 'x');
    expect(OrionError.is(e)).toBe(true);
    expect(OrionError.is(e, 'ORION_ERR_TEST_A')).toBe(true);
    expect(OrionError.is(e, 'ORION_ERR_TEST_B')).toBe(false);
    expect(OrionError.is(new Error('x'))).toBe(false);
  });
});
