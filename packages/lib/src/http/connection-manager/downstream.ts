import type { OutgoingHttpHeaders } from 'node:http';

/**
 * The request half of a downstream exchange as the connection manager reads it. Node's HTTP/1.1
 * `IncomingMessage` satisfies it as is (no wrapper on the HTTP/1.1 path); HTTP/2 streams are adapted by
 * `Http2ServerExchange`. The body is read by async iteration, which applies backpressure.
 */
export interface DownstreamRequest extends AsyncIterable<Buffer> {
  /** `:method`. */
  readonly method?: string | undefined;
  /** `:path`: the request target with its query. */
  readonly url?: string | undefined;
  /** Request headers by lower-case name (HTTP/2: pseudo-headers included). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** True once the whole request (body and trailers) was received. */
  readonly complete: boolean;
}

/** The response half of a downstream exchange; Node's `ServerResponse` satisfies it as is. */
export interface DownstreamResponse {
  /** True once the response headers were written. */
  readonly headersSent: boolean;
  /** True once the exchange was torn down. */
  readonly destroyed: boolean;
  /** True once the whole response was handed to the connection. */
  readonly writableFinished: boolean;
  /** Writes the status and headers (lower-case names, no hop-by-hop headers). */
  writeHead(statusCode: number, headers: OutgoingHttpHeaders): unknown;
  /** Writes a body chunk; false asks the caller to wait for `drain`. */
  write(chunk: Buffer): boolean;
  /** Ends the response, writing headers first when needed. */
  end(chunk?: string | Buffer): unknown;
  /** Trailers to send after the body. */
  addTrailers(headers: OutgoingHttpHeaders): void;
  /** `drain`: writable again; `close`: the exchange ended (completed or not). */
  once(event: 'drain' | 'close', listener: () => void): unknown;
  /** Resets the exchange (HTTP/1.1: closes the connection; HTTP/2: resets the stream). */
  destroy(): unknown;
}
