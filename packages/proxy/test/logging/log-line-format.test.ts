import { describe, expect, it } from 'vitest';
import { compileLogPattern, logLineRenderer } from '../../src/logging/log-line-format.js';
import type { LogRecord } from '../../src/logging/log-record.js';

const record: LogRecord = {
  time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67)),
  level: 'warn',
  component: 'config',
  message: 'line "one"\nline two',
  fields: { worker: 2, path: '/a b', skipped: undefined },
  pid: 4242,
};

describe('logLineRenderer', () => {
  it('renders the default Envoy-like pattern with the pid and the fields', () => {
    expect(logLineRenderer(undefined)(record)).toBe('[2026-01-02 03:04:05.067][4242][warning][config] line "one"\nline two worker=2 path="/a b"');
  });

  it('renders the pattern Istio passes, with source locations empty', () => {
    const render = compileLogPattern('%Y-%m-%dT%T.%fZ\t%l\tenvoy %n %g:%#\t%_\tthread=%t');
    expect(render(record)).toBe('2026-01-02T03:04:05.067000Z\twarning\tenvoy config :\tline "one"\\nline two worker=2 path="/a b"\tthread=4242');
  });

  it('escapes the message for JSON patterns with %j', () => {
    const line = compileLogPattern('{"level":"%l","msg":"%j"}')(record);
    expect(JSON.parse(line)).toEqual({ level: 'warning', msg: 'line "one"\nline two worker=2 path="/a b"' });
  });

  it('pads with spdlog alignment and keeps unknown flags and a trailing percent as written', () => {
    expect(compileLogPattern('[%-8l][%8n][%=7L] %q %%%')(record)).toBe('[warning ][  config][   W   ] %q %%');
  });

  it('writes JSON lines for --log-format json', () => {
    expect(JSON.parse(logLineRenderer('json')(record))).toEqual({
      time: '2026-01-02T03:04:05.067Z',
      level: 'warning',
      component: 'config',
      pid: 4242,
      message: 'line "one"\nline two',
      worker: 2,
      path: '/a b',
    });
  });
});
