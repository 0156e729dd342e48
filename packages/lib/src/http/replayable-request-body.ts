/** Callbacks of a {@link ReplayableRequestBody}. */
export interface ReplayableRequestBodyEvents {
  /** A chunk arrived from the downstream (counts `%BYTES_RECEIVED%`). */
  onChunk(length: number): void;
  /** The downstream body ended. */
  onEnd(): void;
  /** The body outgrew the buffer limit: it can no longer be replayed, so retries must stop. */
  onOverflow(): void;
}

/**
 * A downstream request body read once and offered to each upstream attempt in turn — the router's request
 * buffering for retries (Envoy buffers up to the connection's `per_connection_buffer_limit_bytes`, 1 MiB by
 * default). The body streams to the current attempt as it arrives while a copy is kept; a retry replays the
 * copy from the first byte and then follows the live body. Past the limit the copy is dropped (what the current
 * attempt has read is released) and {@link ReplayableRequestBodyEvents.onOverflow} says retries are over.
 * Only the latest reader gets data: starting a new one ends the previous.
 */
export class ReplayableRequestBody {
  readonly #source: AsyncIterator<Buffer>;
  readonly #limit: number;
  readonly #events: ReplayableRequestBodyEvents;
  readonly #chunks: Buffer[] = [];
  /** Index (since the start of the body) of `#chunks[0]`. */
  #base = 0;
  #bytes = 0;
  #retaining = true;
  #ended = false;
  #error: Error | undefined;
  #pulling: Promise<void> | undefined;
  #readerId = 0;

  constructor(source: AsyncIterable<Buffer>, limitBytes: number, events: ReplayableRequestBodyEvents) {
    this.#source = source[Symbol.asyncIterator]();
    this.#limit = limitBytes;
    this.#events = events;
  }

  /** True while the whole body so far is kept (a new reader can start from the first byte). */
  get replayable(): boolean {
    return this.#retaining;
  }

  /** True once the downstream body ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** A reader from the first byte (or, once no longer replayable, from where the body stands). */
  reader(): AsyncGenerator<Buffer> {
    this.#readerId++;
    return this.#read(this.#readerId);
  }

  async *#read(id: number): AsyncGenerator<Buffer> {
    let i = this.#retaining ? 0 : this.#base;
    for (;;) {
      if (id !== this.#readerId) return;
      if (i < this.#base) i = this.#base;
      if (i < this.#base + this.#chunks.length) {
        const chunk = this.#chunks[i - this.#base] as Buffer;
        i++;
        if (!this.#retaining) this.#release(i);
        yield chunk;
        continue;
      }
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return;
      await this.#more();
    }
  }

  #release(upTo: number): void {
    while (this.#base < upTo && this.#chunks.length > 0) {
      this.#chunks.shift();
      this.#base++;
    }
  }

  #more(): Promise<void> {
    this.#pulling ??= this.#pull();
    return this.#pulling;
  }

  async #pull(): Promise<void> {
    try {
      const next = await this.#source.next();
      if (next.done === true) {
        this.#ended = true;
        this.#events.onEnd();
        return;
      }
      const chunk = next.value;
      this.#chunks.push(chunk);
      this.#bytes += chunk.length;
      this.#events.onChunk(chunk.length);
      if (this.#retaining && this.#bytes > this.#limit) {
        this.#retaining = false;
        this.#events.onOverflow();
      }
    } catch (err) {
      this.#error = err instanceof Error ? err : new Error(String(err));
    } finally {
      this.#pulling = undefined;
    }
  }
}
