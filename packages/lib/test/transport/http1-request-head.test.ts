import { describe, expect, it } from 'vitest';
import { buildRequestHead, InvalidRequestError } from '../../src/transport/http1-request-head.js';

describe('buildRequestHead', () => {
  it('writes the request line and every header line as given', () => {
    const head = buildRequestHead('GET', '/a?b=1', { host: 'example.com', 'x-list': ['1', '2'], 'x-skip': undefined }, false);
    expect(head).toEqual({ text: 'GET /a?b=1 HTTP/1.1\r\nhost: example.com\r\nx-list: 1\r\nx-list: 2\r\n', contentLength: -1, needsHost: false });
  });

  it('notes a missing host, whatever the case of the header names', () => {
    expect(buildRequestHead('GET', '/', {}, false).needsHost).toBe(true);
    expect(buildRequestHead('GET', '/', { Host: 'x' }, false).needsHost).toBe(false);
  });

  it('keeps a declared content-length, chunks a body without one, and sends content-length: 0 for an empty POST', () => {
    expect(buildRequestHead('POST', '/', { 'content-length': '5' }, true)).toMatchObject({ contentLength: 5 });
    expect(buildRequestHead('POST', '/', { 'content-length': '5' }, true).text).not.toContain('transfer-encoding');
    expect(buildRequestHead('POST', '/', {}, true).text).toContain('transfer-encoding: chunked\r\n');
    expect(buildRequestHead('POST', '/', {}, false)).toMatchObject({ contentLength: 0, text: 'POST / HTTP/1.1\r\ncontent-length: 0\r\n' });
    expect(buildRequestHead('GET', '/', {}, false).text).toBe('GET / HTTP/1.1\r\n');
  });

  it.each([
    ['a CR/LF in a value', 'GET', '/', { 'x-a': 'v\r\nx-b: 1' }],
    ['a LF in one of several values', 'GET', '/', { 'x-a': ['ok', 'v\n'] }],
    ['a NUL in a value', 'GET', '/', { 'x-a': 'v\0' }],
    ['a name that is not a token', 'GET', '/', { 'x a': 'v' }],
    ['a CR/LF in a name', 'GET', '/', { 'x\r\nb': 'v' }],
    ['a method that is not a token', 'GET /x', '/', {}],
    ['a space in the path', 'GET', '/a b', {}],
    ['a bad content-length', 'POST', '/', { 'content-length': '1e3' }],
    ['several content-lengths', 'POST', '/', { 'content-length': ['1', '1'] }],
    ['a content-length without a body', 'POST', '/', { 'content-length': '3' }],
    ['transfer-encoding', 'POST', '/', { 'Transfer-Encoding': 'chunked' }],
    ['connection', 'GET', '/', { connection: 'close' }],
    ['keep-alive', 'GET', '/', { 'keep-alive': 'timeout=5' }],
    ['upgrade', 'GET', '/', { upgrade: 'websocket' }],
    ['expect', 'POST', '/', { expect: '100-continue' }],
  ])('refuses %s', (_what, method, path, headers) => {
    const hasBody = method === 'POST' && !('content-length' in headers && headers['content-length'] === '3');
    expect(() => buildRequestHead(method, path, headers, hasBody)).toThrow(InvalidRequestError);
  });

  it('allows TAB and obs-text in values', () => {
    expect(buildRequestHead('GET', '/', { 'x-a': 'a\tb\u00e9' }, false).text).toContain('x-a: a\tb\u00e9\r\n');
  });
});
