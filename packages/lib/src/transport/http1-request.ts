import type { Http1RequestHead } from './http1-request-head.js';
import type { UpstreamConnectionSlot } from './http1-pool-set.js';

/**
 * What hears about one request sent through an {@link Http1ConnectionPool}: undici's legacy dispatch-handler
 * protocol (`onConnect(abort)` when a connection picks the request up, then `onHeaders`, `onData`, `onComplete`, or
 * `onError`), so the same handler works with undici and with the native pool.
 */
export interface Http1ResponseHandler {
  /** Set by the pool when a connection takes the request. */
  upstreamConnection?: UpstreamConnectionSlot | undefined;
  /** A connection took the request; `abort` cancels it (before anything is written when called right away). */
  onConnect?(abort: (err?: Error) => void): void;
  /** Final response headers (flat name/value list); return false to pause the body until `resume()`. */
  onHeaders?(statusCode: number, headers: string[], resume: () => void, statusText: string): boolean;
  /** A body chunk; return false to pause reading until `resume()`. */
  onData?(chunk: Buffer): boolean;
  /** The response ended; its trailers as a flat name/value list, or null. */
  onComplete?(trailers: string[] | null): void;
  /** The request failed (connect failure, reset, protocol error, abort). */
  onError?(err: Error): void;
}

/** undici's error for an aborted request (`UND_ERR_ABORTED`, a local reset). */
export class RequestAbortedError extends Error {
  /** undici's code. */
  readonly code = 'UND_ERR_ABORTED';
  override readonly name = 'AbortError';
  constructor() {
    super('Request aborted');
  }
}

/** Where a request is: waiting for a connection, on one, or finished (completed, failed or aborted). */
export type Http1RequestState = 'queued' | 'active' | 'done';

/** Methods a pool may send again on a fresh connection when a reused one closed before answering (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** The side of a request its connection reports to (the connection currently carrying it). */
export interface Http1RequestCarrier {
  /** Drops `request` (it was aborted): the connection is destroyed, never reused. */
  abortRequest(request: Http1Request, err: Error): void;
}

/** One request on its way through a pool: its head, body and handler, and its abort function. */
export class Http1Request {
  readonly head: Http1RequestHead;
  readonly method: string;
  readonly body: AsyncIterable<Buffer> | null;
  readonly handler: Http1ResponseHandler;
  /** HEAD responses have no body whatever their headers say. */
  readonly isHead: boolean;
  state: Http1RequestState = 'queued';
  /** The connection carrying the request while `active`. */
  carrier: Http1RequestCarrier | undefined = undefined;
  /** `onConnect` was called (once, even if the request moves to another connection). */
  connectNotified = false;
  /** The request was moved to a fresh connection once already. */
  redispatched = false;
  /** The request body was fully written (true at once for requests without one). */
  bodyDone: boolean;
  /** Why the request was aborted while queued: the pool fails it when it reaches the head of the queue. */
  abortReason: Error | undefined = undefined;
  /** The function handed to `onConnect`. */
  readonly abort: (err?: Error) => void;

  constructor(head: Http1RequestHead, method: string, body: AsyncIterable<Buffer> | null, handler: Http1ResponseHandler) {
    this.head = head;
    this.method = method;
    this.body = body;
    this.handler = handler;
    this.isHead = method === 'HEAD';
    this.bodyDone = body === null;
    this.abort = this.#abort.bind(this);
  }

  /**
   * Whether the request may be sent again on a fresh connection after a reused connection closed without a
   * response byte: it has no body and an idempotent method, and was not moved before.
   */
  get redispatchable(): boolean {
    return !this.redispatched && this.body === null && IDEMPOTENT.has(this.method);
  }

  /** Ends the request with `err` (once). */
  fail(err: Error): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.carrier = undefined;
    this.handler.onError?.(err);
  }

  #abort(err?: Error): void {
    if (this.state === 'done') return;
    const reason = err ?? new RequestAbortedError();
    if (this.state === 'queued') {
      // Still waiting (or moved back to the queue): the pool fails it when it comes up, before any connection.
      this.abortReason = reason;
      return;
    }
    const carrier = this.carrier;
    if (carrier !== undefined) carrier.abortRequest(this, reason);
    else this.fail(reason);
  }
}
