import { describe, expect, it } from 'vitest';
import { detectCodec } from '../../../src/http/connection-manager/codec-sniffer.js';

describe('detectCodec', () => {
  it('recognises the HTTP/2 preface, waiting while the bytes are a strict prefix of it', () => {
    expect(detectCodec(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00'))).toBe('http2');
    expect(detectCodec(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'))).toBe('http2');
    expect(detectCodec(Buffer.from('PRI * HT'))).toBeUndefined();
    expect(detectCodec(Buffer.from('P'))).toBeUndefined();
  });

  it('decides HTTP/1.1 as soon as a byte differs', () => {
    expect(detectCodec(Buffer.from('GET / HTTP/1.1\r\n'))).toBe('http1');
    expect(detectCodec(Buffer.from('PO'))).toBe('http1');
    expect(detectCodec(Buffer.from('PRI * HTTP/1.1\r\n'))).toBe('http1');
  });
});
