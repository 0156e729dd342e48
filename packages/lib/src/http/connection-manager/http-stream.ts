import type { IncomingMessage, ServerResponse } from 'node:http';
import { ResponseFlag } from '@orion/format';
import type { Dispatcher } from 'undici';
import { UpstreamRequest, type UpstreamRequestCallbacks } from '../upstream-request.js';
import { resetReasonText, type UpstreamFailureReason } from '../upstream-failure.js';
import type { HttpStreamInfo } from './http-stream-info.js';
import { noteStreamedBytes } from '../../runtime/streamed-bytes-gc.js';
import { NO_HEALTHY_UPSTREAM_BODY, STREAM_IDLE_TIMEOUT_BODY, UPSTREAM_TIMEOUT_BODY } from './local-reply.js';
import { applyResponseHeaderMutations } from '../router/route-header-mutations.js';
import type { ForwardDecision } from '../router/forward-decision.js';
import type { RouteSelection } from '../router/compiled-route.js';
import type { MutableHeaders, UpstreamClusterRef, UpstreamHostRef } from './ports.js';

/** Response headers never forwarded downstream (hop-by-hop; Node sets its own framing). */
const RESPONSE_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** The per-stream services a stream needs from its connection manager. */
export interface StreamHost {
  readonly serverName: string;
  readonly suppressEnvoyHeaders: boolean;
  nowNs(): number;
  sendLocalReply(stream: HttpStream, status: number, body: string, flag: number, details: string, headers?: Readonly<Record<string, string>>): void;
  finishResponseHeaders(stream: HttpStream, headers: MutableHeaders): void;
}

/**
 * One request/response exchange on a downstream connection: Envoy's `ActiveStream` plus the router filter's
 * single upstream attempt. It streams bodies both ways with backpressure and turns every upstream failure into
 * a local reply or a reset, a response flag and response-code details.
 */
export class HttpStream implements UpstreamRequestCallbacks {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly info: HttpStreamInfo;
  readonly #host: StreamHost;
  #selection: RouteSelection | undefined;
  #decision: ForwardDecision | undefined;
  #upstream: UpstreamRequest | undefined;
  #upstreamHost: UpstreamHostRef | undefined;
  #upstreamStartNs = 0;
  #resume: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #onDrain = (): void => {
    this.#resume?.();
  };

  constructor(req: IncomingMessage, res: ServerResponse, info: HttpStreamInfo, host: StreamHost) {
    this.req = req;
    this.res = res;
    this.info = info;
    this.#host = host;
  }

  /**
   * Starts the stream idle timer (HCM `stream_idle_timeout`, Envoy default 5 min): when neither direction moves for
   * `timeoutMs`, the stream ends with 408 `SI` (or a reset once the response started).
   */
  armIdleTimer(timeoutMs: number): void {
    this.#idleTimer = setTimeout(() => this.#onIdleTimeout(), timeoutMs);
  }

  /** Releases the stream's timers (the stream is over). */
  dispose(): void {
    this.#clearTimer();
    if (this.#idleTimer !== undefined) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
  }

  #onIdleTimeout(): void {
    this.#idleTimer = undefined;
    this.info.responseFlags |= ResponseFlag.StreamIdleTimeout;
    this.abortUpstream('stream idle timeout');
    if (!this.res.headersSent) {
      this.#host.sendLocalReply(this, 408, STREAM_IDLE_TIMEOUT_BODY, ResponseFlag.StreamIdleTimeout, 'stream_idle_timeout');
    } else {
      this.info.responseCodeDetails = 'stream_idle_timeout';
      this.res.destroy();
    }
  }

  /** True once a response (local or upstream) has started. */
  get responseStarted(): boolean {
    return this.res.headersSent;
  }

  /** Forwards the request to `host` of `cluster` as `decision` says, with `headers` as the upstream request headers. */
  forward(selection: RouteSelection, decision: ForwardDecision, cluster: UpstreamClusterRef, host: UpstreamHostRef, headers: MutableHeaders): void {
    this.#selection = selection;
    this.#decision = decision;
    this.#upstreamHost = host;
    const info = this.info;
    info.upstreamClusterName = cluster.name;
    info.upstreamClusterObservabilityName = cluster.observabilityName;
    info.upstreamHost = host.target.type === 'socket' ? { address: host.target.host, port: host.target.port } : { address: host.target.path };
    info.upstreamHostName = host.hostname;
    info.upstreamProtocol = 'HTTP/1.1';
    info.upstreamRequestAttemptCount = 1;
    let pool: Dispatcher;
    try {
      pool = cluster.http1Pools.get(host.target, host.label);
    } catch {
      this.#host.sendLocalReply(this, 503, NO_HEALTHY_UPSTREAM_BODY, ResponseFlag.NoHealthyUpstream, 'no_healthy_upstream');
      return;
    }
    const req = this.req;
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) this.#requestBodyDone();
    const upstream = new UpstreamRequest(this);
    this.#upstream = upstream;
    host.onRequestStart?.();
    this.#upstreamStartNs = this.#host.nowNs();
    info.timings.firstUpstreamTxByteSent = info.sinceStart(this.#upstreamStartNs);
    upstream.start(pool, {
      origin: undefined as unknown as string,
      method: req.method as Dispatcher.HttpMethod,
      path: decision.newPath ?? req.url ?? '/',
      headers: headers as Record<string, string | string[]>,
      body: hasBody ? this.#countedBody() : null,
    } as Dispatcher.DispatchOptions);
  }

  /** Aborts the upstream attempt (downstream gone, drain). */
  abortUpstream(reason: string): void {
    this.#clearTimer();
    if (this.#upstream !== undefined && !this.#upstream.done) {
      this.#upstream.abort(new Error(reason));
      this.#upstreamHost?.onRequestEnd?.(false);
    }
  }

  async *#countedBody(): AsyncGenerator<Buffer> {
    const info = this.info;
    for await (const chunk of this.req as AsyncIterable<Buffer>) {
      info.bytesReceived += chunk.length;
      this.#idleTimer?.refresh();
      noteStreamedBytes(chunk.length);
      yield chunk;
    }
    this.#requestBodyDone();
  }

  #requestBodyDone(): void {
    const now = this.#host.nowNs();
    this.info.timings.lastDownstreamRxByteReceived = this.info.sinceStart(now);
    const timeout = this.#decision?.timeoutMs ?? 0;
    if (timeout > 0 && this.#upstream?.done !== true) {
      this.#timer = setTimeout(() => this.#onRouteTimeout(), timeout);
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #onRouteTimeout(): void {
    this.#timer = undefined;
    this.info.responseFlags |= ResponseFlag.UpstreamRequestTimeout;
    this.abortUpstream('upstream request timeout');
    if (!this.res.headersSent) {
      this.#host.sendLocalReply(this, 504, UPSTREAM_TIMEOUT_BODY, ResponseFlag.UpstreamRequestTimeout, 'upstream_response_timeout');
    } else {
      this.info.responseCodeDetails = 'upstream_response_timeout';
      this.res.destroy();
    }
  }

  onUpstreamStart(): void {
    this.info.timings.upstreamConnectStart ??= this.info.sinceStart(this.#upstreamStartNs);
  }

  onUpstreamHeaders(status: number, raw: readonly Buffer[], resume: () => void): boolean {
    const now = this.#host.nowNs();
    const info = this.info;
    info.timings.firstUpstreamRxByteReceived = info.sinceStart(now);
    this.#resume = resume;
    this.#idleTimer?.refresh();
    const connection = this.#upstream?.upstreamConnection;
    if (connection?.socket !== undefined) {
      const socket = connection.socket;
      if (socket.localAddress !== undefined) info.upstreamLocalAddress = { address: socket.localAddress, port: socket.localPort };
      info.upstreamConnectionId = connection.connectionId;
    }
    const headers: MutableHeaders = {};
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = (raw[i] as Buffer).toString('latin1').toLowerCase();
      if (RESPONSE_HOP_BY_HOP.has(name)) continue;
      const value = (raw[i + 1] as Buffer).toString('latin1');
      const prev = headers[name];
      if (prev === undefined) headers[name] = value;
      else if (Array.isArray(prev)) prev.push(value);
      else headers[name] = [prev, value];
    }
    if (!this.#host.suppressEnvoyHeaders) headers['x-envoy-upstream-service-time'] = String(Math.round((now - this.#upstreamStartNs) / 1e6));
    info.responseCode = status;
    info.responseCodeDetails = 'via_upstream';
    info.responseHeaders = headers;
    if (this.#selection !== undefined) applyResponseHeaderMutations(this.#selection, headers, info, this.#decision);
    this.#host.finishResponseHeaders(this, headers);
    const res = this.res;
    if (res.destroyed) {
      this.abortUpstream('downstream closed');
      return false;
    }
    res.writeHead(status, headers as Record<string, string | string[]>);
    info.timings.firstDownstreamTxByteSent = info.sinceStart(now);
    return true;
  }

  onUpstreamData(chunk: Buffer): boolean {
    const res = this.res;
    if (res.destroyed) {
      this.abortUpstream('downstream closed');
      return false;
    }
    this.info.bytesSent += chunk.length;
    this.#idleTimer?.refresh();
    noteStreamedBytes(chunk.length);
    if (res.write(chunk)) return true;
    res.once('drain', this.#onDrain);
    return false;
  }

  onUpstreamComplete(trailers: readonly string[] | null): void {
    this.#clearTimer();
    const now = this.#host.nowNs();
    this.info.timings.lastUpstreamRxByteReceived = this.info.sinceStart(now);
    this.#upstreamHost?.onRequestEnd?.(true);
    const res = this.res;
    if (trailers !== null && trailers.length > 0 && res.chunkedEncoding) {
      const record: Record<string, string> = {};
      for (let i = 0; i + 1 < trailers.length; i += 2) record[(trailers[i] as string).toLowerCase()] = trailers[i + 1] as string;
      this.info.responseTrailers = record;
      res.addTrailers(record);
    }
    res.end();
  }

  onUpstreamError(reason: UpstreamFailureReason, err: Error, afterHeaders: boolean): void {
    this.#clearTimer();
    this.#upstreamHost?.onRequestEnd?.(false);
    const info = this.info;
    if (reason === 'localReset') return;
    const text = resetReasonText(reason);
    const flag =
      reason === 'connectionFailure' || reason === 'connectionTimeout'
        ? ResponseFlag.UpstreamConnectionFailure
        : reason === 'protocolError'
          ? ResponseFlag.UpstreamProtocolError
          : ResponseFlag.UpstreamConnectionTermination;
    info.upstreamTransportFailureReason = err.message;
    if (afterHeaders || this.res.headersSent) {
      info.responseFlags |= flag;
      info.responseCodeDetails = `upstream_reset_after_response_started{${text.replace(/ /g, '_')}}`;
      this.res.destroy();
      return;
    }
    const status = reason === 'protocolError' ? 502 : 503;
    this.#host.sendLocalReply(
      this,
      status,
      `upstream connect error or disconnect/reset before headers. reset reason: ${text}`,
      flag,
      `upstream_reset_before_response_started{${text.replace(/ /g, '_')}}`,
    );
  }
}
