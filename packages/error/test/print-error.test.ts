import { describe, expect, it } from 'vitest';
import { OrionError, printError } from '../src/index.js';

describe('printError', () => {
  it('prints the whole caused-by ladder, outermost context first', () => {
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const inner = new OrionError('ORION_ERR_TEST_CONNECT', 'upstream unreachable', { cause: root });
    const err = inner.withContext('connecting', { port: 1 }).withContext('starting');
    expect(printError(err)).toBe(
      [
        'starting',
        'caused by: connecting (port=1)',
        'caused by: upstream unreachable [ORION_ERR_TEST_CONNECT]',
        'caused by: connect ECONNREFUSED 127.0.0.1:1',
      ].join('\n'),
    );
  });

  it('omits codes on request and survives cycles and non-errors', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(printError(b, { codes: false })).toBe('b\ncaused by: a');
    expect(printError(new OrionError('ORION_ERR_TEST_X', 'x', { cause: 42 }), { codes: false })).toBe('x\ncaused by: 42');
  });
});
