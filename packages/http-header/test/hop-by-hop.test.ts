import { describe, expect, it } from 'vitest';
import { HOP_BY_HOP_HEADER_NAMES, STRIPPED_HOP_BY_HOP_HEADERS, TE, TE_TRAILERS } from '../src/index.js';

describe('STRIPPED_HOP_BY_HOP_HEADERS', () => {
  it('holds exactly the headers the connection manager strips', () => {
    expect([...STRIPPED_HOP_BY_HOP_HEADERS].sort()).toEqual([
      'connection',
      'keep-alive',
      'proxy-connection',
      'transfer-encoding',
      'upgrade',
    ]);
  });

  it('is a subset of the hop-by-hop names', () => {
    for (const name of STRIPPED_HOP_BY_HOP_HEADERS) expect(HOP_BY_HOP_HEADER_NAMES).toContain(name);
  });

  it('leaves te, trailer and the proxy-auth headers out', () => {
    for (const name of [TE, 'trailer', 'proxy-authenticate', 'proxy-authorization']) {
      expect(STRIPPED_HOP_BY_HOP_HEADERS.has(name), name).toBe(false);
    }
    expect(TE_TRAILERS).toBe('trailers');
  });

  it('matches the names Node refuses as HTTP/2 connection-specific headers', async () => {
    const { connect, createServer } = await import('node:http2');
    // Node rejects these in an HTTP/2 header block: exactly why the proxy must strip them when it
    // bridges HTTP/1.1 to HTTP/2. Checked client-side, so no request is ever sent.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const session = connect(`http://127.0.0.1:${address.port}`);
    try {
      for (const name of STRIPPED_HOP_BY_HOP_HEADERS) {
        expect(() => session.request({ [name]: 'x' }), name).toThrow(
          expect.objectContaining({ code: 'ERR_HTTP2_INVALID_CONNECTION_HEADERS' }),
        );
      }
    } finally {
      session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
