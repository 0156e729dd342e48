import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../src/async-queue.js';

describe('AsyncQueue', () => {
  it('yields what was pushed, waiting for more, and drains before ending', async () => {
    const queue = new AsyncQueue<number>();
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const n of queue) seen.push(n);
    })();
    queue.push(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    queue.push(2);
    queue.push(3);
    queue.end();
    queue.push(4); // ignored after end
    await consumer;
    expect(seen).toEqual([1, 2, 3]);
    expect(queue.ended).toBe(true);
  });
});
