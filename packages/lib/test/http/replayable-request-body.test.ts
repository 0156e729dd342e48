import { describe, expect, it } from 'vitest';
import { ReplayableRequestBody } from '../../src/http/replayable-request-body.js';

/** A source whose chunks the test releases one at a time. */
function gatedSource(chunks: string[]) {
  const gates: (() => void)[] = [];
  let opened = 0;
  async function* source(): AsyncGenerator<Buffer> {
    for (const c of chunks) {
      if (opened === 0) await new Promise<void>((r) => gates.push(r));
      opened--;
      yield Buffer.from(c);
    }
  }
  return {
    source: source(),
    release: (n = 1) => {
      opened += n;
      for (let i = 0; i < n; i++) gates.shift()?.();
    },
  };
}

async function collect(reader: AsyncGenerator<Buffer>): Promise<string> {
  let out = '';
  for await (const c of reader) out += c.toString();
  return out;
}

describe('ReplayableRequestBody', () => {
  it('replays the body from the first byte to a new reader, then follows the live body', async () => {
    const { source, release } = gatedSource(['ab', 'cd', 'ef']);
    const events: string[] = [];
    const body = new ReplayableRequestBody(source, 1024, { onChunk: (n) => events.push(`chunk ${n}`), onEnd: () => events.push('end'), onOverflow: () => events.push('overflow') });
    const first = body.reader();
    release();
    expect((await first.next()).value?.toString()).toBe('ab');
    const second = body.reader();
    expect((await first.next()).done).toBe(true);
    const rest = collect(second);
    release(2);
    expect(await rest).toBe('abcdef');
    expect(events).toEqual(['chunk 2', 'chunk 2', 'chunk 2', 'end']);
    expect(body.replayable).toBe(true);
  });

  it('stops keeping the body past the limit and says so', async () => {
    const { source, release } = gatedSource(['12345', '67890', 'x']);
    let overflowed = false;
    const body = new ReplayableRequestBody(source, 8, { onChunk: () => undefined, onEnd: () => undefined, onOverflow: () => (overflowed = true) });
    const reader = collect(body.reader());
    release(3);
    expect(await reader).toBe('1234567890x');
    expect(overflowed).toBe(true);
    expect(body.replayable).toBe(false);
  });

  it('fails its reader when the source fails', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('a');
      throw new Error('client went away');
    }
    const body = new ReplayableRequestBody(failing(), 1024, { onChunk: () => undefined, onEnd: () => undefined, onOverflow: () => undefined });
    await expect(collect(body.reader())).rejects.toThrow('client went away');
  });
});
