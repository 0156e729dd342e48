import { constants, type ClientHttp2Stream, type Http2Session, type IncomingHttpHeaders, type IncomingHttpStatusHeader, type OutgoingHttpHeaders } from 'node:http2';
import type { Http2ConnectionPool, Http2StreamFailure, Http2StreamRequester } from '../transport/http2-connection-pool.js';
import type { MutableHeaders } from './connection-manager/ports.js';
import type { UpstreamFailureReason } from './upstream-failure.js';
import { RESPONSE_HOP_BY_HOP, type UpstreamRequestCallbacks } from './upstream-request.js';

const { NGHTTP2_REFUSED_STREAM, NGHTTP2_FLAG_END_STREAM, NGHTTP2_NO_ERROR, NGHTTP2_CANCEL } = constants;

// Aborts use `destroy(err)`, never `close(code)`: Node's `close` first ends the writable side, so the peer can see
// END_STREAM — a truncated request or response that looks complete — before (or instead of) RST_STREAM.

/** Node's HTTP/2 header object → a header record without pseudo-headers and hop-by-hop names. */
function headerRecord(source: IncomingHttpHeaders): MutableHeaders {
  const out: MutableHeaders = {};
  for (const name in source) {
    if (name.charCodeAt(0) === 0x3a || RESPONSE_HOP_BY_HOP.has(name)) continue;
    const value = source[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Why a stream that opened ended before its response completed, in Envoy's reset-reason terms. */
function streamFailure(stream: ClientHttp2Stream, session: Http2Session | undefined, err: (Error & { code?: string }) | undefined): UpstreamFailureReason {
  const code = stream.rstCode;
  if (code === NGHTTP2_REFUSED_STREAM || err?.code === 'ERR_HTTP2_GOAWAY_SESSION') return 'refusedStream';
  if ((session === undefined || session.destroyed || session.closed) && (code === undefined || code === NGHTTP2_NO_ERROR || code === NGHTTP2_CANCEL)) return 'connectionTermination';
  if (err?.code === 'ERR_HTTP2_INVALID_HEADER_VALUE' || err?.code === 'ERR_HTTP2_HEADER_SINGLE_VALUE' || err?.code === 'ERR_HTTP2_INVALID_INFO_STATUS') return 'protocolError';
  if (code === constants.NGHTTP2_PROTOCOL_ERROR) return 'protocolError';
  return 'remoteReset';
}

/**
 * One attempt to forward a request upstream over HTTP/2 on a pooled connection ({@link Http2ConnectionPool}). It
 * reports to the same {@link UpstreamRequestCallbacks} as the HTTP/1.1 attempt, streams the request body with
 * backpressure (the peer's flow-control window and Node's write buffer), forwards trailers both ways, and tells a
 * headers-only response (gRPC trailers-only) apart. It can be aborted at any time: a stream still waiting for a
 * connection is forgotten, an open one is reset (RST_STREAM INTERNAL_ERROR).
 */
export class Http2UpstreamRequest implements Http2StreamRequester {
  readonly #callbacks: UpstreamRequestCallbacks;
  #pool: Http2ConnectionPool | undefined;
  #stream: ClientHttp2Stream | undefined;
  #body: AsyncIterable<Buffer> | null = null;
  #trailers: (() => OutgoingHttpHeaders | undefined) | undefined;
  #responseTrailers: MutableHeaders | undefined;
  #error: (Error & { code?: string }) | undefined;
  #headersDelivered = false;
  #done = false;

  constructor(callbacks: UpstreamRequestCallbacks) {
    this.#callbacks = callbacks;
  }

  /**
   * Opens the stream with `headers` (`:method`, `:path`, `:scheme`, `:authority` included), then sends `body`
   * (null: none) and, when `trailers` yields any once the body ended, the request trailers.
   */
  start(pool: Http2ConnectionPool, headers: OutgoingHttpHeaders, body: AsyncIterable<Buffer> | null, trailers?: () => OutgoingHttpHeaders | undefined): void {
    this.#pool = pool;
    this.#body = body;
    this.#trailers = trailers;
    pool.request(headers, body === null, this, trailers !== undefined);
  }

  /** True once the attempt finished, failed or was aborted. */
  get done(): boolean {
    return this.#done;
  }

  /** Aborts the attempt; the callbacks hear nothing more. */
  abort(reason: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = reason;
    const stream = this.#stream;
    if (stream === undefined) this.#pool?.cancel(this);
    else if (!stream.destroyed) stream.destroy(reason);
  }

  onStreamFailure(reason: Http2StreamFailure, err: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#callbacks.onUpstreamError(reason, err, false);
  }

  onStream(stream: ClientHttp2Stream): void {
    this.#stream = stream;
    const session = stream.session;
    stream.on('error', (err: Error & { code?: string }) => {
      this.#error ??= err;
    });
    if (this.#done) {
      stream.destroy(this.#error ?? new Error('aborted'));
      return;
    }
    stream.on('response', (headers: IncomingHttpHeaders & IncomingHttpStatusHeader, flags: number) => this.#onResponse(stream, headers, flags));
    stream.on('trailers', (trailers: IncomingHttpHeaders) => {
      this.#responseTrailers = headerRecord(trailers);
    });
    stream.on('data', (chunk: Buffer) => {
      if (this.#done) return;
      if (!this.#callbacks.onUpstreamData(chunk)) stream.pause();
    });
    stream.once('end', () => {
      if (this.#done) return;
      // Node also ends the readable side of streams it closes for a lost connection or a reset (a non-zero RST
      // code): only an END_STREAM after the response headers completes the response; the rest fail on close.
      const code = stream.rstCode;
      if (!this.#headersDelivered || (code !== undefined && code !== NGHTTP2_NO_ERROR)) return;
      this.#done = true;
      this.#callbacks.onUpstreamComplete(this.#responseTrailers);
    });
    stream.once('close', () => {
      if (this.#done) return;
      this.#done = true;
      const err = this.#error ?? new Error(`stream closed with code ${stream.rstCode ?? 'unknown'}`);
      this.#callbacks.onUpstreamError(streamFailure(stream, session, this.#error), err, this.#headersDelivered);
    });
    this.#callbacks.onUpstreamStart?.();
    const body = this.#body;
    if (body !== null) void this.#sendBody(stream, body);
  }

  #onResponse(stream: ClientHttp2Stream, headers: IncomingHttpHeaders & IncomingHttpStatusHeader, flags: number): void {
    if (this.#done) return;
    const status = Number(headers[':status']);
    this.#headersDelivered = true;
    const endStream = (flags & NGHTTP2_FLAG_END_STREAM) !== 0;
    const proceed = this.#callbacks.onUpstreamHeaders(status, headerRecord(headers), endStream, () => {
      if (!stream.destroyed) stream.resume();
    });
    if (!proceed && !this.#done) stream.pause();
  }

  async #sendBody(stream: ClientHttp2Stream, body: AsyncIterable<Buffer>): Promise<void> {
    try {
      for await (const chunk of body) {
        if (this.#done || stream.destroyed) return;
        if (!stream.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              stream.off('drain', done);
              stream.off('close', done);
              resolve();
            };
            stream.on('drain', done);
            stream.on('close', done);
          });
        }
      }
      if (this.#done || stream.destroyed) return;
      const trailers = this.#trailers;
      if (trailers !== undefined) stream.once('wantTrailers', () => stream.sendTrailers(trailers() ?? {}));
      stream.end();
    } catch (err) {
      // The downstream body failed (client gone): the stream's owner aborts this attempt; reset it here too.
      this.#error ??= err instanceof Error ? err : new Error(String(err));
      if (!stream.destroyed) stream.destroy(this.#error);
    }
  }
}
