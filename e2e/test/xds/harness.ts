import type { DiscoveryClient, XdsBatch, XdsProtocol } from '@orion/xds';
import { TimedQueue } from '../../src/control-plane/index.js';

/** Both ADS variants, for `describe.each`. */
export const PROTOCOLS: readonly XdsProtocol[] = ['delta', 'sotw'];

/** Fast, deterministic backoff for tests. */
export const FAST_BACKOFF = { baseMs: 20, maxMs: 200, random: () => 0.5 } as const;

/**
 * Reads a client's batches with deadlines: a background loop pulls them into a queue, the way a real
 * consumer's `for await` would, so a test can wait for the next one or check that none comes.
 */
export class BatchReader {
  readonly #queue = new TimedQueue<XdsBatch<unknown>>('a batch');
  readonly done: Promise<void>;

  constructor(client: DiscoveryClient<XdsBatch<unknown, string>>) {
    this.done = (async () => {
      for await (const batch of client) this.#queue.push(batch);
      this.#queue.close('the client closed');
    })();
  }

  /** The next batch (rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<XdsBatch<unknown>> {
    return this.#queue.next(timeoutMs);
  }

  /** Resolves if no batch arrives for `ms`. */
  expectNone(ms = 200): Promise<void> {
    return this.#queue.expectNothing(ms);
  }
}

/** Names of a batch's updates, sorted. */
export function updated(batch: XdsBatch<unknown>): string[] {
  return batch.updates.map((u) => u.name).sort();
}

/** Names of a batch's removals, sorted. */
export function removed(batch: XdsBatch<unknown>): string[] {
  return batch.removals.map((r) => r.name).sort();
}

/** Waits until `condition` holds (polling every 10 ms, at most `timeoutMs`). */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
