/**
 * A push-able async iterable with one consumer: the request half of a bidi stream. `end()` lets the
 * consumer drain what was pushed and then finish, so an ACK pushed just before a graceful close is still
 * written.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #ended = false;
  #wake: (() => void) | undefined;

  /** Appends an item; ignored after `end()`. */
  push(item: T): void {
    if (this.#ended) return;
    this.#items.push(item);
    this.#notify();
  }

  /** No more items: the consumer finishes after draining the queue. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** True once `end()` was called. */
  get ended(): boolean {
    return this.#ended;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}
