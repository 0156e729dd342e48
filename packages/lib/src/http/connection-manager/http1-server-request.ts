import type { Socket } from 'node:net';
import type { DownstreamRequest } from './downstream.js';

/** What a request tells its connection about its body's consumption. */
export interface Http1RequestSource {
  /** The queued body reached the high-water mark: stop reading the socket. */
  pauseBody(): void;
  /** The consumer took the queue below the mark (or stopped reading): read again. */
  resumeBody(): void;
}

/** Body bytes queued before the connection stops reading the socket. */
const HIGH_WATER_MARK = 64 * 1024;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * Header lines as Node's `IncomingMessage.headers` with `joinDuplicateHeaders` shows them: lower-case names,
 * repeated lines joined with `, ` (`cookie` with `; `), `set-cookie` always an array.
 */
function headerRecord(raw: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const prev = headers[name];
    // Inherited members (`constructor`, `toString`) are not header values: an own property replaces them.
    if (typeof prev === 'string') headers[name] = prev + (name === 'cookie' ? '; ' : ', ') + value;
    else if (Array.isArray(prev)) prev.push(value);
    else headers[name] = name === 'set-cookie' ? [value] : value;
  }
  return headers;
}

/**
 * The request half of a downstream HTTP/1.1 exchange read by {@link Http1ServerConnection}: method, target, version
 * and headers as the parser reported them, and the body as an async iterable with backpressure (the connection stops
 * reading the socket while 64 KiB wait unread). One consumer; leaving the iteration early drops the rest of the body.
 */
export class Http1ServerRequest implements DownstreamRequest, AsyncIterator<Buffer> {
  readonly method: string;
  /** The request target (the connection manager rewrites an absolute-form one to its path). */
  url: string;
  /** `1.0` or `1.1`. */
  readonly httpVersion: string;
  /** Header names and values as received, alternating. */
  readonly rawHeaders: string[];
  readonly headers: Record<string, string | string[]>;
  readonly socket: Socket;
  /** The client asked to keep the connection (HTTP/1.1 without `Connection: close`, or 1.0 with keep-alive). */
  readonly keepAlive: boolean;
  /** True once the whole request (body and trailers) was received. */
  complete = false;
  readonly #source: Http1RequestSource;
  #chunks: Buffer[] = [];
  #queued = 0;
  #paused = false;
  #error: Error | undefined = undefined;
  /** Nobody reads the body any more (the response ended first, or the reader left): chunks are dropped. */
  #dumping = false;
  #waiter: ((result: IteratorResult<Buffer>) => void) | undefined = undefined;
  #failer: ((err: Error) => void) | undefined = undefined;

  constructor(source: Http1RequestSource, socket: Socket, method: string, url: string, major: number, minor: number, rawHeaders: string[], keepAlive: boolean) {
    this.#source = source;
    this.socket = socket;
    this.method = method;
    this.url = url;
    this.httpVersion = major === 1 && minor === 1 ? '1.1' : `${major}.${minor}`;
    this.rawHeaders = rawHeaders;
    const headers = headerRecord(rawHeaders);
    this.headers = headers;
    this.keepAlive = keepAlive;
    // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3): it is complete when
    // its head is, so a reply written at once keeps the connection.
    const length = headers['content-length'];
    this.complete = headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.#chunks.length > 0 ? this.#chunks.shift() : undefined;
    if (chunk !== undefined) {
      this.#queued -= chunk.length;
      if (this.#paused && this.#queued < HIGH_WATER_MARK) {
        this.#paused = false;
        this.#source.resumeBody();
      }
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.complete || this.#dumping) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiter = resolve;
      this.#failer = reject;
    });
  }

  /** The reader left: the rest of the body is dropped. */
  return(): Promise<IteratorResult<Buffer>> {
    this.dump();
    return Promise.resolve(DONE);
  }

  /** A body chunk from the parser. */
  push(chunk: Buffer): void {
    if (this.#dumping) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      this.#failer = undefined;
      waiter({ value: chunk, done: false });
      return;
    }
    this.#chunks.push(chunk);
    this.#queued += chunk.length;
    if (!this.#paused && this.#queued >= HIGH_WATER_MARK) {
      this.#paused = true;
      this.#source.pauseBody();
    }
  }

  /** The whole request was received. */
  end(): void {
    this.complete = true;
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    this.#failer = undefined;
    waiter(DONE);
  }

  /** The request cannot complete (the connection closed or sent bytes that are not HTTP/1.1). */
  fail(err: Error): void {
    if (this.complete || this.#error !== undefined) return;
    this.#error = err;
    const failer = this.#failer;
    if (failer === undefined) return;
    this.#waiter = undefined;
    this.#failer = undefined;
    failer(err);
  }

  /** Drops what is queued and what is still to come (the connection keeps parsing it to find the next request). */
  dump(): void {
    if (this.#dumping) return;
    this.#dumping = true;
    this.#chunks = [];
    this.#queued = 0;
    if (this.#paused) {
      this.#paused = false;
      this.#source.resumeBody();
    }
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    this.#failer = undefined;
    waiter(DONE);
  }
}
