import type { OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ResponseFlag } from '@orion/format';
import type { Dispatcher } from 'undici';
import { GrpcStatus } from '../grpc-status.js';
import { Http2UpstreamRequest } from '../http2-upstream-request.js';
import { ReplayableRequestBody } from '../replayable-request-body.js';
import { RetryState, type RetryTrigger } from '../retry-state.js';
import type { ForwardDecision } from '../router/forward-decision.js';
import type { RouteSelection } from '../router/compiled-route.js';
import type { RouteRequest } from '../router/route-request.js';
import { applyResponseHeaderMutations } from '../router/route-header-mutations.js';
import { resetReasonText, upstreamFailureFlag, type UpstreamFailureReason } from '../upstream-failure.js';
import { UpstreamRequest, type UpstreamRequestCallbacks } from '../upstream-request.js';
import type { ConnectionManagerStats } from './connection-manager-stats.js';
import type { DownstreamRequest, DownstreamResponse } from './downstream.js';
import type { Http2ServerExchange } from './http2-server-exchange.js';
import type { Http1ServerResponse } from './http1-server-response.js';
import type { HttpStreamInfo } from './http-stream-info.js';
import type { ClusterRequestStats } from '../../stats/cluster-request-stats.js';
import { noteStreamedBytes } from '../../runtime/streamed-bytes-gc.js';
import { NO_HEALTHY_UPSTREAM_BODY, STREAM_IDLE_TIMEOUT_BODY, UPSTREAM_TIMEOUT_BODY } from './local-reply.js';
import type { MutableHeaders, UpstreamClusterRef, UpstreamHostRef } from './ports.js';

/** The per-stream services a stream needs from its connection manager. */
export interface StreamHost {
  readonly serverName: string;
  readonly suppressEnvoyHeaders: boolean;
  /** Most request-body bytes kept for replay on retries (the listener's `per_connection_buffer_limit_bytes`). */
  readonly bufferLimitBytes: number;
  readonly stats: ConnectionManagerStats;
  nowNs(): number;
  /**
   * Answers with a local reply: `text/plain` `body`, or for gRPC requests a trailers-only response whose
   * `grpc-status` is `grpcStatus` (default: mapped from `status`) and `grpc-message` the body.
   */
  sendLocalReply(stream: HttpStream, status: number, body: string, flag: number, details: string, headers?: Readonly<Record<string, string>>, grpcStatus?: number): void;
  finishResponseHeaders(stream: HttpStream, headers: MutableHeaders): void;
}

/** An upgrade request's raw downstream connection (HTTP/1.1 `Upgrade`). */
export interface UpgradeRequest {
  /** The `Upgrade` token, lower case (`websocket`). */
  readonly type: string;
  /** The client connection, handed over by the HTTP/1.1 codec. */
  readonly socket: Socket;
  /** Bytes the client sent after the request head. */
  readonly head: Buffer;
}

type UpstreamAttempt = UpstreamRequest | Http2UpstreamRequest;

function noop(): void {
  // Nothing to do: the error is reported through the stream's own path.
}

/** The route and request-header timeouts of a forward (Envoy's `FilterUtility::finalTimeout`). */
function headerMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * One request/response exchange on a downstream connection (HTTP/1.1 or HTTP/2): Envoy's `ActiveStream` plus the
 * router filter. It forwards over HTTP/1.1 or HTTP/2 as the cluster says, streams bodies both ways with
 * backpressure, forwards trailers, retries per the route's retry policy (buffering the request body up to a
 * bound so it can be replayed), applies the route, per-try and stream-duration timeouts, tunnels upgrades, and
 * turns every upstream failure into a local reply or a reset with a response flag and response-code details.
 */
export class HttpStream implements UpstreamRequestCallbacks {
  readonly req: DownstreamRequest;
  readonly res: DownstreamResponse;
  readonly info: HttpStreamInfo;
  /** The downstream speaks HTTP/2 (`res` is an `Http2ServerExchange`). */
  readonly h2: boolean;
  /** The request is gRPC (`content-type: application/grpc…`): local replies are gRPC trailers-only. */
  grpc = false;
  /** The request asks to switch protocols; set by the connection manager. */
  upgrade: UpgradeRequest | undefined = undefined;
  readonly #host: StreamHost;
  #selection: RouteSelection | undefined;
  #decision: ForwardDecision | undefined;
  #cluster: UpstreamClusterRef | undefined;
  /** The cluster's per-request stats and retry budget (undefined for clusters without them). */
  #stats: ClusterRequestStats | undefined;
  /** This stream holds one of the cluster's `max_retries` (a retry scheduled or in flight, not yet answered). */
  #retryHeld = false;
  /** The request is of internal origin (`x-envoy-internal: true`): its cluster stats go to `internal.*`, else `external.*`. */
  #internal = false;
  #lb: RouteRequest | undefined;
  #headers: MutableHeaders | undefined;
  #attempt: UpstreamAttempt | undefined;
  #attemptHost: UpstreamHostRef | undefined;
  #attemptStarted = false;
  #attemptStartNs = 0;
  #attempts = 0;
  #retry: RetryState | undefined;
  #body: ReplayableRequestBody | undefined;
  #hasBody = false;
  #requestComplete = false;
  #perTryTimeoutMs = 0;
  #globalTimeoutMs = 0;
  #timeoutRetry = false;
  #trailersOnly = false;
  #tunnelled = false;
  #resume: (() => void) | undefined;
  #globalTimer: NodeJS.Timeout | undefined;
  #perTryTimer: NodeJS.Timeout | undefined;
  #perTryIdleTimeoutMs = 0;
  #perTryIdleTimer: NodeJS.Timeout | undefined;
  #backoffTimer: NodeJS.Timeout | undefined;
  #durationTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #tunnelUpstream: Duplex | undefined;
  #onDrain = (): void => {
    this.#resume?.();
  };

  constructor(req: DownstreamRequest, res: DownstreamResponse, info: HttpStreamInfo, host: StreamHost, h2: boolean) {
    this.req = req;
    this.res = res;
    this.info = info;
    this.#host = host;
    this.h2 = h2;
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
    this.#clearTimers();
    this.#releaseRetry();
    if (this.#idleTimer !== undefined) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
  }

  #onIdleTimeout(): void {
    this.#idleTimer = undefined;
    this.info.responseFlags |= ResponseFlag.StreamIdleTimeout;
    if (this.#tunnelled) {
      // Envoy applies stream_idle_timeout to upgraded streams too: a silent tunnel is closed.
      this.info.responseCodeDetails = 'stream_idle_timeout';
      this.abortUpstream('stream idle timeout');
      this.upgrade?.socket.destroy();
      return;
    }
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

  /** True when the exchange ended as it should: the whole response sent, or an upgrade tunnel established. */
  get completed(): boolean {
    return this.#tunnelled || this.res.writableFinished;
  }

  /** True once the stream switched protocols and tunnels bytes. */
  get tunnelled(): boolean {
    return this.#tunnelled;
  }

  /**
   * Arms the stream duration limit (Envoy's `max_stream_duration` / `grpc-timeout` handling in the connection
   * manager): when `timeoutMs` has passed since the stream started, the stream ends with 504 (408 while the
   * request is still arriving) and `DT`.
   */
  armMaxDuration(timeoutMs: number): void {
    const elapsedMs = this.info.sinceStart(this.#host.nowNs()) / 1e6;
    const remaining = Math.max(0, timeoutMs - elapsedMs);
    this.#durationTimer = setTimeout(() => this.#onMaxDuration(), remaining);
  }

  /**
   * Forwards the request to `host` of `cluster` as `decision` says, with `headers` as the upstream request headers;
   * `request` is the routed view of the request (retries pick their host with it).
   */
  forward(selection: RouteSelection, decision: ForwardDecision, cluster: UpstreamClusterRef, host: UpstreamHostRef, headers: MutableHeaders, request: RouteRequest): void {
    this.#selection = selection;
    this.#decision = decision;
    this.#cluster = cluster;
    this.#stats = cluster.cluster?.stats;
    this.#internal = headers['x-envoy-internal'] === 'true';
    this.#headers = headers;
    this.#lb = request;
    const info = this.info;
    info.upstreamClusterName = cluster.name;
    info.upstreamClusterObservabilityName = cluster.observabilityName;
    const action = decision.action;

    // Timeouts: the route's (unless the route uses max_stream_duration), or the request's headers.
    let global = action.maxStreamDuration === undefined ? decision.timeoutMs : 0;
    const headerGlobal = headerMs(headers['x-envoy-upstream-rq-timeout-ms']);
    if (headerGlobal !== undefined) global = headerGlobal;
    if (headers['x-envoy-upstream-rq-timeout-ms'] !== undefined) delete headers['x-envoy-upstream-rq-timeout-ms'];
    let perTry = action.retryPolicy?.perTryTimeoutMs ?? 0;
    const headerPerTry = headerMs(headers['x-envoy-upstream-rq-per-try-timeout-ms']);
    if (headerPerTry !== undefined) perTry = headerPerTry;
    if (global !== 0 && perTry >= global) perTry = 0;
    this.#globalTimeoutMs = global;
    this.#perTryTimeoutMs = perTry;
    this.#perTryIdleTimeoutMs = action.retryPolicy?.perTryIdleTimeoutMs ?? 0;
    const expected = perTry > 0 ? perTry : global;
    if (expected > 0 && !this.#host.suppressEnvoyHeaders) headers['x-envoy-expected-rq-timeout-ms'] = String(expected);

    this.#retry = this.upgrade === undefined ? RetryState.create(action.retryPolicy, headers, request) : undefined;

    const req = this.req;
    const length = req.headers['content-length'];
    // HTTP/2: a request without a body ends its stream on the HEADERS frame.
    this.#hasBody = this.h2 ? !(req as Http2ServerExchange).stream.endAfterHeaders : length !== undefined ? length !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (!this.#hasBody) this.#requestBodyDone();
    else if (this.#retry !== undefined) {
      this.#body = new ReplayableRequestBody(req, this.#host.bufferLimitBytes, {
        onChunk: (n) => {
          info.bytesReceived += n;
          this.#idleTimer?.refresh();
          noteStreamedBytes(n);
        },
        onEnd: () => this.#requestBodyDone(),
        onOverflow: () => {
          // Envoy: the request is larger than it buffers; give up on retries (`retry_or_shadow_abandoned`).
          this.#retry = undefined;
        },
      });
    }
    this.#startAttempt(host);
  }

  /** Aborts the upstream side (downstream gone, drain, local timeout); `timedOut` counts a host `rq_timeout`. */
  abortUpstream(reason: string, timedOut = false): void {
    this.#clearTimers();
    const attempt = this.#attempt;
    if (attempt !== undefined && !attempt.done) {
      this.#countLocalReset();
      attempt.abort(new Error(reason));
      if (timedOut) this.#hostTimedOut();
      else this.#attemptHost?.onRequestEnd?.(false);
    }
    const tunnel = this.#tunnelUpstream;
    if (tunnel !== undefined && !tunnel.destroyed) tunnel.destroy();
  }

  #startAttempt(host: UpstreamHostRef): void {
    const cluster = this.#cluster as UpstreamClusterRef;
    const headers = this.#headers as MutableHeaders;
    const decision = this.#decision as ForwardDecision;
    const info = this.info;
    this.#attempts++;
    this.#attemptHost = host;
    this.#attemptStarted = false;
    info.upstreamRequestAttemptCount = this.#attempts;
    info.upstreamHost = host.target.type === 'socket' ? { address: host.target.host, port: host.target.port } : { address: host.target.path };
    info.upstreamHostName = host.hostname;
    const vhost = this.#selection?.virtualHost.config;
    if (vhost?.includeRequestAttemptCount === true) headers['x-envoy-attempt-count'] = String(this.#attempts);
    if (this.#timeoutRetry && !this.#host.suppressEnvoyHeaders) headers['x-envoy-is-timeout-retry'] = 'true';
    else if (headers['x-envoy-is-timeout-retry'] !== undefined) delete headers['x-envoy-is-timeout-retry'];

    const protocol = cluster.upstreamProtocol ?? 'http1';
    const useH2 = this.upgrade === undefined && cluster.http2Pools !== undefined && (protocol === 'http2' || (protocol === 'useDownstream' && this.h2));
    const req = this.req;
    const path = decision.newPath ?? req.url ?? '/';
    let body: AsyncIterable<Buffer> | null = null;
    if (this.#hasBody) body = this.#body !== undefined ? this.#body.reader() : this.#attempts === 1 ? this.#countedBody() : null;
    this.#attemptStartNs = this.#host.nowNs();
    if (this.#attempts === 1) info.timings.firstUpstreamTxByteSent = info.sinceStart(this.#attemptStartNs);
    try {
      if (useH2) {
        info.upstreamProtocol = 'HTTP/2';
        const pool = cluster.http2Pools?.get(host.target, host.label);
        if (pool === undefined) throw new Error('no HTTP/2 pools');
        const attempt = new Http2UpstreamRequest(this);
        this.#attempt = attempt;
        host.onRequestStart?.();
        const exchange = this.h2 && body !== null ? (this.res as unknown as Http2ServerExchange) : undefined;
        attempt.start(pool, this.#http2Headers(req.method ?? 'GET', path, headers), body, exchange === undefined ? undefined : () => exchange.requestTrailers as OutgoingHttpHeaders | undefined);
      } else {
        info.upstreamProtocol = 'HTTP/1.1';
        const pool = cluster.http1Pools.get(host.target, host.label);
        const attempt = new UpstreamRequest(this);
        this.#attempt = attempt;
        host.onRequestStart?.();
        const options: Dispatcher.DispatchOptions = {
          origin: undefined as unknown as string,
          method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
          path,
          headers: headers as Record<string, string | string[]>,
          body: body as NonNullable<Dispatcher.DispatchOptions['body']> | null,
        };
        // Set only for upgrades (no object spread on every request).
        if (this.upgrade !== undefined) options.upgrade = this.upgrade.type;
        attempt.start(pool, options);
      }
    } catch {
      this.#attempt = undefined;
      this.#chargeLocal(503);
      this.#host.sendLocalReply(this, 503, NO_HEALTHY_UPSTREAM_BODY, ResponseFlag.NoHealthyUpstream, 'no_healthy_upstream');
      return;
    }
    if (this.#requestComplete) this.#armPerTry();
    if (this.#perTryIdleTimeoutMs > 0) {
      if (this.#perTryIdleTimer !== undefined) clearTimeout(this.#perTryIdleTimer);
      this.#perTryIdleTimer = setTimeout(() => this.#onPerTryIdleTimeout(), this.#perTryIdleTimeoutMs);
    }
  }

  #http2Headers(method: string, path: string, headers: MutableHeaders): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = { ':method': method, ':scheme': 'http', ':authority': headers['host'] ?? this.#attemptHost?.hostname ?? '', ':path': path };
    for (const name in headers) {
      if (name === 'host') continue;
      const value = headers[name];
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  async *#countedBody(): AsyncGenerator<Buffer> {
    const info = this.info;
    for await (const chunk of this.req) {
      info.bytesReceived += chunk.length;
      this.#idleTimer?.refresh();
      noteStreamedBytes(chunk.length);
      yield chunk;
    }
    this.#requestBodyDone();
  }

  #requestBodyDone(): void {
    if (this.#requestComplete) return;
    this.#requestComplete = true;
    const now = this.#host.nowNs();
    this.info.timings.lastDownstreamRxByteReceived = this.info.sinceStart(now);
    if (this.#globalTimeoutMs > 0 && this.#globalTimer === undefined && !this.res.headersSent) {
      this.#globalTimer = setTimeout(() => this.#onGlobalTimeout(), this.#globalTimeoutMs);
    }
    if (this.#attempt !== undefined && !this.#attempt.done) this.#armPerTry();
  }

  #armPerTry(): void {
    if (this.#perTryTimeoutMs <= 0) return;
    if (this.#perTryTimer !== undefined) clearTimeout(this.#perTryTimer);
    this.#perTryTimer = setTimeout(() => this.#onPerTryTimeout(), this.#perTryTimeoutMs);
  }

  #clearTimers(): void {
    if (this.#globalTimer !== undefined) clearTimeout(this.#globalTimer);
    if (this.#perTryTimer !== undefined) clearTimeout(this.#perTryTimer);
    if (this.#perTryIdleTimer !== undefined) clearTimeout(this.#perTryIdleTimer);
    if (this.#backoffTimer !== undefined) clearTimeout(this.#backoffTimer);
    if (this.#durationTimer !== undefined) clearTimeout(this.#durationTimer);
    this.#globalTimer = undefined;
    this.#perTryTimer = undefined;
    this.#perTryIdleTimer = undefined;
    this.#backoffTimer = undefined;
    this.#durationTimer = undefined;
  }

  #abortAttempt(reason: string): void {
    const attempt = this.#attempt;
    if (attempt !== undefined && !attempt.done) {
      this.#countLocalReset();
      attempt.abort(new Error(reason));
    }
  }

  /** Counts an attempt Orion abandons: reset on its connection (`upstream_rq_tx_reset`) or while queued (`upstream_rq_cancelled`). */
  #countLocalReset(): void {
    const stats = this.#stats;
    if (stats === undefined) return;
    if (this.#attemptStarted) stats.counters.upstream_rq_tx_reset++;
    else stats.counters.upstream_rq_cancelled++;
  }

  /** The attempt's host timed out (host `rq_timeout` and `rq_error`). */
  #hostTimedOut(): void {
    const host = this.#attemptHost;
    if (host === undefined) return;
    if (host.onRequestTimeout !== undefined) host.onRequestTimeout();
    else host.onRequestEnd?.(false);
  }

  /** Gives back the `max_retries` slot this stream holds. */
  #releaseRetry(): void {
    if (!this.#retryHeld) return;
    this.#retryHeld = false;
    const stats = this.#stats;
    if (stats !== undefined && stats.retriesActive > 0) stats.retriesActive--;
  }

  /** A local reply standing for the upstream's response, charged to the cluster (`upstream_rq_<code>`). */
  #chargeLocal(status: number): void {
    this.#stats?.chargeResponse(status, this.#internal);
  }

  #onGlobalTimeout(): void {
    this.#globalTimer = undefined;
    this.info.responseFlags |= ResponseFlag.UpstreamRequestTimeout;
    if (this.#stats !== undefined) this.#stats.counters.upstream_rq_timeout++;
    this.abortUpstream('upstream request timeout', true);
    if (!this.res.headersSent) {
      this.#chargeLocal(504);
      this.#host.sendLocalReply(this, 504, UPSTREAM_TIMEOUT_BODY, ResponseFlag.UpstreamRequestTimeout, 'upstream_response_timeout');
    } else {
      this.info.responseCodeDetails = 'upstream_response_timeout';
      this.res.destroy();
    }
  }

  #onPerTryTimeout(): void {
    this.#perTryTimer = undefined;
    if (this.res.headersSent) return;
    if (this.#stats !== undefined) this.#stats.counters.upstream_rq_per_try_timeout++;
    this.#abortAttempt('upstream per-try timeout');
    this.#hostTimedOut();
    if (this.#maybeRetry(this.#retry?.wouldRetryFromReset('perTryTimeout', this.#attemptStarted) === true, true)) return;
    this.#clearTimers();
    this.#chargeLocal(504);
    this.#host.sendLocalReply(this, 504, UPSTREAM_TIMEOUT_BODY, ResponseFlag.UpstreamRequestTimeout, 'upstream_per_try_timeout');
  }

  /**
   * `per_try_idle_timeout`: the attempt received nothing for that long. Before the response started it is retried
   * like a per-try timeout (or answered 504 `UT`); afterwards the downstream stream is reset.
   */
  #onPerTryIdleTimeout(): void {
    this.#perTryIdleTimer = undefined;
    if (this.#stats !== undefined) this.#stats.counters.upstream_rq_per_try_idle_timeout++;
    this.#abortAttempt('upstream per-try idle timeout');
    this.#hostTimedOut();
    if (this.res.headersSent) {
      this.#clearTimers();
      this.info.responseFlags |= ResponseFlag.UpstreamRequestTimeout;
      this.info.responseCodeDetails = 'upstream_per_try_idle_timeout';
      this.res.destroy();
      return;
    }
    if (this.#maybeRetry(this.#retry?.wouldRetryFromReset('perTryTimeout', this.#attemptStarted) === true, true)) return;
    this.#clearTimers();
    this.#chargeLocal(504);
    this.#host.sendLocalReply(this, 504, UPSTREAM_TIMEOUT_BODY, ResponseFlag.UpstreamRequestTimeout, 'upstream_per_try_idle_timeout');
  }

  #onMaxDuration(): void {
    this.#durationTimer = undefined;
    this.#host.stats.downstream_rq_max_duration_reached++;
    this.abortUpstream('max stream duration reached');
    if (!this.res.headersSent && !this.res.destroyed) {
      // Envoy answers a gRPC request whose deadline passed with DEADLINE_EXCEEDED rather than the mapped status.
      this.#host.sendLocalReply(this, this.req.complete ? 504 : 408, 'downstream duration timeout', ResponseFlag.DurationTimeout, 'max_duration_timeout', undefined, GrpcStatus.DEADLINE_EXCEEDED);
    } else {
      this.info.responseFlags |= ResponseFlag.DurationTimeout;
      this.info.responseCodeDetails = 'max_duration_timeout';
      this.res.destroy();
    }
  }

  /**
   * Takes a retry when `retriable` (Envoy's `RetryStateImpl::shouldRetry`): schedules the next attempt after the
   * back-off and returns true; with no retries left marks `URX`, with the cluster's `max_retries` reached `UO`, and
   * returns false. Every outcome of an attempt passes here, so a retried attempt whose outcome is not retriable
   * counts `upstream_rq_retry_success`.
   */
  #maybeRetry(retriable: boolean, timeout: boolean): boolean {
    const retry = this.#retry;
    const stats = this.#stats;
    if (this.#retryHeld) {
      if (!retriable && stats !== undefined) stats.counters.upstream_rq_retry_success++;
      this.#releaseRetry();
    }
    if (!retriable || retry === undefined) return false;
    if (retry.take() === 'limitExceeded') {
      if (stats !== undefined) stats.counters.upstream_rq_retry_limit_exceeded++;
      this.info.responseFlags |= ResponseFlag.UpstreamRetryLimitExceeded;
      return false;
    }
    if (stats !== undefined) {
      if (stats.retriesActive >= stats.maxRetries) {
        // Circuit breaker `max_retries` (Envoy: `upstream_rq_retry_overflow`, `UO`).
        stats.counters.upstream_rq_retry_overflow++;
        this.info.responseFlags |= ResponseFlag.UpstreamOverflow;
        return false;
      }
      stats.retriesActive++;
      this.#retryHeld = true;
      stats.counters.upstream_rq_retry++;
      stats.counters.upstream_rq_retry_backoff_exponential++;
    }
    if (this.#perTryTimer !== undefined) clearTimeout(this.#perTryTimer);
    if (this.#perTryIdleTimer !== undefined) clearTimeout(this.#perTryIdleTimer);
    this.#perTryTimer = undefined;
    this.#perTryIdleTimer = undefined;
    this.#timeoutRetry = timeout;
    this.#backoffTimer = setTimeout(() => this.#doRetry(), retry.nextBackoffMs());
    return true;
  }

  #doRetry(): void {
    this.#backoffTimer = undefined;
    if (this.res.destroyed || this.res.headersSent) return;
    const host = this.#cluster?.chooseHost(this.#lb as RouteRequest);
    if (host === undefined) {
      this.#clearTimers();
      this.#chargeLocal(503);
      this.#host.sendLocalReply(this, 503, NO_HEALTHY_UPSTREAM_BODY, ResponseFlag.NoHealthyUpstream, 'no_healthy_upstream');
      return;
    }
    this.#startAttempt(host);
  }

  onUpstreamStart(): void {
    this.#attemptStarted = true;
    this.info.timings.upstreamConnectStart ??= this.info.sinceStart(this.#attemptStartNs);
  }

  onUpstreamHeaders(status: number, headers: MutableHeaders, endStream: boolean, resume: () => void): boolean {
    const retry = this.#retry;
    if (retry !== undefined && this.#maybeRetry(retry.wouldRetryFromHeaders(status, headers), false)) {
      this.#stats?.chargeRetriedResponse(status);
      this.#abortAttempt('retrying');
      this.#attemptHost?.onRequestEnd?.(false);
      return false;
    }
    this.#stats?.chargeResponse(status, this.#internal);
    const now = this.#host.nowNs();
    const info = this.info;
    if (this.#perTryTimer !== undefined) clearTimeout(this.#perTryTimer);
    this.#perTryTimer = undefined;
    info.timings.firstUpstreamRxByteReceived = info.sinceStart(now);
    this.#resume = resume;
    this.#idleTimer?.refresh();
    this.#perTryIdleTimer?.refresh();
    const attempt = this.#attempt;
    const connection = attempt instanceof UpstreamRequest ? attempt.upstreamConnection : undefined;
    if (connection?.socket !== undefined) {
      // A connection's local address never changes: read it (two getters and a getsockname) once per connection.
      let local = connection.localAddress;
      if (local === undefined) {
        const socket = connection.socket;
        if (socket.localAddress !== undefined) local = connection.localAddress = { address: socket.localAddress, port: socket.localPort };
      }
      if (local !== undefined) info.upstreamLocalAddress = local;
      info.upstreamConnectionId = connection.connectionId;
    }
    if (!this.#host.suppressEnvoyHeaders) headers['x-envoy-upstream-service-time'] = String(Math.round((now - this.#attemptStartNs) / 1e6));
    if (this.#selection?.virtualHost.config.includeAttemptCountInResponse === true) headers['x-envoy-attempt-count'] = String(this.#attempts);
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
    if (endStream && this.h2) {
      this.#trailersOnly = true;
      (res as unknown as Http2ServerExchange).respondHeadersOnly(status, headers as OutgoingHttpHeaders);
    } else {
      if (this.h2 && this.info.upstreamProtocol === 'HTTP/2') (res as unknown as Http2ServerExchange).trailersExpected = true;
      res.writeHead(status, headers as OutgoingHttpHeaders);
    }
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
    this.#perTryIdleTimer?.refresh();
    noteStreamedBytes(chunk.length);
    if (res.write(chunk)) return true;
    res.once('drain', this.#onDrain);
    return false;
  }

  onUpstreamComplete(trailers: MutableHeaders | undefined): void {
    this.#clearTimers();
    const now = this.#host.nowNs();
    const timings = this.info.timings;
    const sinceStart = this.info.sinceStart(now);
    timings.lastUpstreamRxByteReceived = sinceStart;
    // Envoy's upstream_rq_time: from the end of the downstream request to the end of the upstream response.
    const requestDone = timings.lastDownstreamRxByteReceived;
    if (requestDone !== undefined) this.#stats?.recordRequestTime((sinceStart - requestDone) / 1e6, this.#internal);
    // Envoy counts a 5xx response as a host error (`rq_error`), any other as a success.
    this.#attemptHost?.onRequestEnd?.((this.info.responseCode ?? 200) < 500);
    if (this.#trailersOnly) return;
    const res = this.res;
    if (trailers !== undefined) {
      this.info.responseTrailers = trailers;
      if (this.h2 || (res as Http1ServerResponse).chunkedEncoding) res.addTrailers(trailers as OutgoingHttpHeaders);
    }
    res.end();
  }

  onUpstreamError(reason: UpstreamFailureReason, err: Error, afterHeaders: boolean): void {
    this.#attemptHost?.onRequestEnd?.(false);
    if (reason === 'localReset') return;
    const info = this.info;
    info.upstreamTransportFailureReason = err.message;
    if ((reason === 'remoteReset' || reason === 'refusedStream') && this.#stats !== undefined) this.#stats.counters.upstream_rq_rx_reset++;
    if (!afterHeaders && !this.res.headersSent && this.#maybeRetry(this.#retry?.wouldRetryFromReset(reason as RetryTrigger, this.#attemptStarted) === true, false)) return;
    this.#clearTimers();
    const text = resetReasonText(reason);
    const flag = upstreamFailureFlag(reason);
    const detailText = text.replace(/ /g, '_');
    if (afterHeaders || this.res.headersSent) {
      info.responseFlags |= flag;
      info.responseCodeDetails = `upstream_reset_after_response_started{${detailText}}`;
      this.res.destroy();
      return;
    }
    const status = reason === 'protocolError' ? 502 : 503;
    this.#chargeLocal(status);
    const retried = this.#attempts > 1 ? 'retried and the latest ' : '';
    this.#host.sendLocalReply(
      this,
      status,
      `upstream connect error or disconnect/reset before headers. ${retried}reset reason: ${text}`,
      flag,
      `upstream_reset_before_response_started{${detailText}}`,
    );
  }

  onUpstreamUpgrade(status: number, headers: MutableHeaders, upstream: Duplex): void {
    this.#clearTimers();
    this.#attemptHost?.onRequestEnd?.(true);
    this.#stats?.chargeResponse(status, this.#internal);
    const upgrade = this.upgrade;
    const info = this.info;
    const down = upgrade?.socket;
    if (upgrade === undefined || down === undefined || down.destroyed) {
      upstream.destroy();
      return;
    }
    const now = this.#host.nowNs();
    info.timings.firstUpstreamRxByteReceived = info.sinceStart(now);
    info.responseCode = status;
    info.responseCodeDetails = 'via_upstream';
    info.responseHeaders = headers;
    if (!this.#host.suppressEnvoyHeaders) headers['x-envoy-upstream-service-time'] = String(Math.round((now - this.#attemptStartNs) / 1e6));
    if (this.#selection !== undefined) applyResponseHeaderMutations(this.#selection, headers, info, this.#decision);
    this.#host.finishResponseHeaders(this, headers);
    const res = this.res as Http1ServerResponse;
    res.writeHead(status, headers as OutgoingHttpHeaders);
    res.flushHeaders();
    info.timings.firstDownstreamTxByteSent = info.sinceStart(now);
    this.#tunnelled = true;
    this.#tunnelUpstream = upstream;
    const stats = this.#host.stats;
    stats.downstream_cx_upgrades_total++;
    stats.downstream_cx_upgrades_active++;
    down.once('close', () => {
      stats.downstream_cx_upgrades_active--;
      if (!upstream.destroyed) upstream.destroy();
    });
    upstream.on('error', noop);
    upstream.once('close', () => {
      if (!down.destroyed) down.end();
    });
    if (upgrade.head.length > 0) {
      info.bytesReceived += upgrade.head.length;
      upstream.write(upgrade.head);
    }
    this.#pipe(down, upstream, (n) => {
      info.bytesReceived += n;
      this.#idleTimer?.refresh();
    });
    this.#pipe(upstream, down, (n) => {
      info.bytesSent += n;
      this.#idleTimer?.refresh();
    });
  }

  /** Copies `from` into `to` with backpressure, counting bytes; the end of `from` half-closes `to`. */
  #pipe(from: Duplex, to: Duplex, count: (n: number) => void): void {
    from.on('data', (chunk: Buffer) => {
      count(chunk.length);
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => from.resume());
    from.once('end', () => {
      if (!to.destroyed) to.end();
    });
    from.resume();
  }
}
