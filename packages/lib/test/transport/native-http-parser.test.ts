import { describe, expect, it } from 'vitest';
import { loadNativeHttpParser } from '../../src/transport/native-http-parser.js';

describe('loadNativeHttpParser', () => {
  it('finds the binding of the expected shape on this Node, once', () => {
    const binding = loadNativeHttpParser();
    expect(binding).not.toBeNull();
    expect(loadNativeHttpParser()).toBe(binding);
  });

  it('parses a response split across reads, with headers beyond the 32 flushed early', () => {
    const binding = loadNativeHttpParser();
    if (binding === null) throw new Error('no binding');
    const parser = new binding();
    parser.initialize(binding.RESPONSE, {}, 0, 0);
    const early: string[] = [];
    let headers: string[] | undefined;
    let body = '';
    let complete = 0;
    parser[binding.kOnHeaders] = (h: string[]) => early.push(...h);
    parser[binding.kOnHeadersComplete] = (_a: number, _b: number, h: string[] | undefined) => {
      headers = h;
      return 0;
    };
    parser[binding.kOnBody] = (b: Buffer) => (body += b.toString());
    parser[binding.kOnMessageComplete] = () => complete++;
    let response = 'HTTP/1.1 200 OK\r\n';
    for (let i = 0; i < 40; i++) response += `x-h${i}: ${i}\r\n`;
    response += 'content-length: 4\r\n\r\nbody';
    for (let i = 0; i < response.length; i += 7) parser.execute(Buffer.from(response.slice(i, i + 7), 'latin1'));
    parser.free();
    const all = [...early, ...(headers ?? [])];
    expect(all).toHaveLength(82);
    expect(all.slice(0, 2)).toEqual(['x-h0', '0']);
    expect(body).toBe('body');
    expect(complete).toBe(1);
  });
});
