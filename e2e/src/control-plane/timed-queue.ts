/**
 * A queue a test reads with a deadline: `next()` resolves with the next item, or rejects after
 * `timeoutMs` with a message naming what was awaited. Every timer is released.
 */
export class TimedQueue<T> {
  readonly #items: T[] = [];
  readonly #waiters: { resolve: (item: T) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }[] = [];
  readonly #what: string;
  #closedReason: string | undefined;

  constructor(what: string) {
    this.#what = what;
  }

  /** Items received and not read yet. */
  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#items.push(item);
      return;
    }
    clearTimeout(waiter.timer);
    waiter.resolve(item);
  }

  /** No more items will come: pending and later `next()` calls reject once the queue is empty. */
  close(reason: string): void {
    this.#closedReason ??= reason;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`no ${this.#what}: ${reason}`));
    }
  }

  next(timeoutMs = 5000): Promise<T> {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift() as T);
    if (this.#closedReason !== undefined) return Promise.reject(new Error(`no ${this.#what}: ${this.#closedReason}`));
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${this.#what}`));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Resolves after `ms` if nothing arrived, rejects with the item otherwise (for "the client stays silent"). */
  async expectNothing(ms: number): Promise<void> {
    if (this.#items.length > 0) throw new Error(`unexpected ${this.#what}: ${describe(this.#items[0])}`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.#items.length > 0) throw new Error(`unexpected ${this.#what}: ${describe(this.#items[0])}`);
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return String(value);
  }
}
