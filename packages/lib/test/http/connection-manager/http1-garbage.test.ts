import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../clusters/cluster-config.js';
import { startProxy, startUpstream, until } from './harness.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

/** Well-formed requests the mutations start from. */
const BASE = [
  'GET /a?b=c HTTP/1.1\r\nhost: x\r\nx-one: 1\r\n\r\n',
  'POST /p HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n\r\nhello',
  'POST /c HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nt: 1\r\n\r\n',
  'GET /1 HTTP/1.1\r\nhost: x\r\n\r\nGET /2 HTTP/1.1\r\nhost: x\r\n\r\n',
  'GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\nframes',
  'PUT /e HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 3\r\n\r\nxyz',
  'GET http://other/abs HTTP/1.1\r\nhost: x\r\n\r\n',
  'GET /old HTTP/1.0\r\n\r\n',
];
const NOISE = ['\r', '\n', '\0', ':', ' ', '\t', '0', 'G', '\r\n', '\r\n\r\n', 'content-length: 9\r\n', 'transfer-encoding: chunked\r\n', '\xff'];

/** One mutated request, as the chunks a client writes. */
function mutate(rand: () => number): Buffer[] {
  let text = BASE[Math.floor(rand() * BASE.length)] as string;
  const edits = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (text.length + 1));
    switch (Math.floor(rand() * 4)) {
      case 0:
        text = text.slice(0, at); // truncated
        break;
      case 1:
        text = text.slice(0, at) + (NOISE[Math.floor(rand() * NOISE.length)] as string) + text.slice(at);
        break;
      case 2:
        text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 4));
        break;
      default:
        text = text.slice(0, at) + String.fromCharCode(Math.floor(rand() * 256)) + text.slice(at + 1);
        break;
    }
  }
  const bytes = Buffer.from(text, 'latin1');
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const size = 1 + Math.floor(rand() * 24);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}

/** Writes the chunks (one per event-loop turn) and collects the answer until the proxy closes or 400 ms pass. */
function exchange(port: number, chunks: readonly Buffer[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(received).toString('latin1'));
    };
    const timer = setTimeout(finish, 400);
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', finish);
    socket.on('close', finish);
    let i = 0;
    const next = (): void => {
      if (i >= chunks.length || socket.destroyed) return;
      socket.write(chunks[i++] as Buffer);
      setImmediate(next);
    };
    socket.once('connect', next);
  });
}

describe('ConnectionManager (HTTP/1.1) under malformed and fragmented requests', () => {
  it('answers every one of 160 mutated requests with an HTTP response or a close, leaks no stream, and keeps serving', async () => {
    const upstream = await startUpstream((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    const proxy = await startProxy({ upstreamPort: upstream.port });
    cleanup.push(upstream.close, proxy.close);
    // Deterministic, so a failing case can be replayed from its seed.
    const rand = seededRandom(0x0e1f);
    const answers: string[] = [];
    for (let batch = 0; batch < 16; batch++) {
      const cases = Array.from({ length: 10 }, () => mutate(rand));
      answers.push(...(await Promise.all(cases.map((chunks) => exchange(proxy.port, chunks)))));
    }
    expect(answers).toHaveLength(160);
    // Whatever came back is HTTP: a status line (100 Continue first, or a 101), never stray bytes.
    for (const answer of answers) if (answer !== '') expect(answer).toMatch(/^HTTP\/1\.1 [1-5]\d\d /);
    // Both kinds of outcome occurred: the mutations are not all harmless, nor all fatal.
    expect(answers.some((a) => a.startsWith('HTTP/1.1 200 '))).toBe(true);
    expect(answers.some((a) => a.startsWith('HTTP/1.1 400 '))).toBe(true);
    // Every stream ended (no request left active) and every connection closed.
    await until(() => proxy.manager.stats.downstream_rq_active === 0 && proxy.manager.stats.downstream_cx_active === 0, 5000);
    expect(proxy.manager.stats.downstream_rq_total).toBeGreaterThan(0);
    // The connection manager still serves a well-formed request.
    expect(await exchange(proxy.port, [Buffer.from('GET /after HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n')])).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
  }, 30_000);
});
