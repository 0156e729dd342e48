import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import { constants as h2constants, createServer as createHttp2Server, type Http2Server, type IncomingHttpHeaders as Http2IncomingHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { HttpConnectionManager as HttpConnectionManagerConfig } from '@orion/configuration';
import type { StatsStore } from '@orion/metrics';
import { ResponseFlag, type SocketAddress } from '@orion/format';
import { isGrpcContentType } from '@orion/http-header';
import { createTracePropagator, decideRequestId, decideTraceReason, requestIdForResponse, type TracePropagator, type TraceSamplingOptions } from '@orion/tracing';
import type { AccessLogger } from '../../access-log/access-logger.js';
import { NOOP_HISTOGRAM, type HistogramRecorder } from '../../stats/histogram-recorder.js';
import { startHttp2Keepalive } from '../../transport/http2-keepalive.js';
import { encodeGrpcMessage, httpToGrpcStatus } from '../grpc-status.js';
import { grpcTimeoutMs } from '../grpc-timeout.js';
import { sniffCodec, type DownstreamCodec } from './codec-sniffer.js';
import { createConnectionManagerStats, type ConnectionManagerStats } from './connection-manager-stats.js';
import type { DownstreamRequest, DownstreamResponse } from './downstream.js';
import { decideForwarding, type ForwardingDecision } from './forwarded-for.js';
import { Http2ServerExchange } from './http2-server-exchange.js';
import { Http1Server } from './http1-server.js';
import type { Http1ClientError } from './http1-server-connection.js';
import type { Http1ServerRequest } from './http1-server-request.js';
import type { Http1ServerResponse } from './http1-server-response.js';
import { HttpStreamInfo } from './http-stream-info.js';
import { HttpStream, type StreamHost } from './http-stream.js';
import { NO_HEALTHY_UPSTREAM_BODY, REQUEST_TIMEOUT_BODY } from './local-reply.js';
import { isUpgradeAllowed } from './upgrade-policy.js';
import { parseAbsoluteForm } from './absolute-form.js';
import type { CompiledRouteConfiguration } from '../router/route-table.js';
import type { RouteRequest } from '../router/route-request.js';
import { directResponse } from '../router/direct-response.js';
import { redirectLocation } from '../router/redirect-location.js';
import { resolveForward, type ForwardDecision } from '../router/forward-decision.js';
import { applyRequestHeaderMutations, applyResponseHeaderMutations } from '../router/route-header-mutations.js';
import { stripHostPort } from '../router/host-port.js';
import type { ClusterLookup, MutableHeaders } from './ports.js';

/** What the listener knows about a downstream connection handed to the connection manager. */
export interface DownstreamConnection {
  /** Process-unique connection id (`%CONNECTION_ID%`). */
  readonly connectionId: number;
  readonly listenerName: string;
  readonly filterChainName: string;
}

/** Options of {@link ConnectionManager}. */
export interface ConnectionManagerOptions {
  /** The HttpConnectionManager configuration from @orion/configuration. */
  readonly config: HttpConnectionManagerConfig;
  /** The compiled route configuration (inline `route_config`; RDS supplies it later). */
  readonly routes: CompiledRouteConfiguration;
  /** Cluster lookup. */
  readonly clusters: ClusterLookup;
  /** The HCM's access logs. */
  readonly accessLoggers: readonly AccessLogger[];
  /**
   * Most request-body bytes buffered so a request can be retried: the listener's
   * `per_connection_buffer_limit_bytes`. Default 1048576 (1 MiB), Envoy's default.
   */
  readonly bufferLimitBytes?: number;
  /** Monotonic clock in ns; tests may inject one. */
  readonly nowNs?: () => number;
  /**
   * Where the `http.<stat_prefix>.downstream_rq_time` and `downstream_cx_length_ms` histograms go. Default none
   * (the plain {@link ConnectionManager.stats} counters are kept either way).
   */
  readonly stats?: StatsStore;
}

const kConnection = Symbol('orion.downstreamConnection');
/** A downstream socket's local and peer addresses, read once per connection (they never change). */
interface SocketAddresses {
  readonly local: SocketAddress | undefined;
  readonly remote: SocketAddress | undefined;
}
const kAddresses = Symbol('orion.downstreamAddresses');
type TaggedSocket = Socket & { [kConnection]?: DownstreamConnection; [kAddresses]?: SocketAddresses };

function addressesOf(socket: TaggedSocket): SocketAddresses {
  let addresses = socket[kAddresses];
  if (addresses === undefined) {
    addresses = { local: socketAddress(socket.localAddress, socket.localPort), remote: socketAddress(socket.remoteAddress, socket.remotePort) };
    // Before the connection is established (or after it is gone) the addresses may be unknown: read them again.
    if (addresses.local !== undefined && addresses.remote !== undefined) socket[kAddresses] = addresses;
  }
  return addresses;
}
const kStream = Symbol('orion.httpStream');
/** An HTTP/1.1 response with the stream it belongs to, until it closes. */
type StreamResponse = Http1ServerResponse & { [kStream]?: HttpStream | undefined };
/** An HTTP/2 stream with the HttpStream it carries, until it closes. */
type TaggedHttp2Stream = ServerHttp2Stream & { [kStream]?: HttpStream | undefined };

/** Per HTTP/2 session state: its connection and the idle timer Envoy's `idle_timeout` needs. */
interface Http2SessionState {
  readonly connection: DownstreamConnection | undefined;
  readonly socket: Socket;
  active: number;
  idleTimer: NodeJS.Timeout | undefined;
  /** Streams the session took (`max_requests_per_connection`). */
  streams: number;
  /** The `max_connection_duration` timer. */
  durationTimer: NodeJS.Timeout | undefined;
  /** The drain sequence (shutdown notice, then the final GOAWAY) started. */
  draining: boolean;
}
const kSessionState = Symbol('orion.http2SessionState');
type TaggedSession = ServerHttp2Session & { [kSessionState]?: Http2SessionState };

/** Request headers never forwarded upstream (hop-by-hop, Envoy's sanitising), besides `te` other than `trailers`. */
const REQUEST_HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings']);
/** Envoy-internal headers removed from external requests on an edge proxy (`ConnectionManagerUtility::cleanInternalHeaders`). */
const EDGE_SANITIZED = [
  'x-envoy-decorator-operation',
  'x-envoy-downstream-service-cluster',
  'x-envoy-downstream-service-node',
  'x-envoy-expected-rq-timeout-ms',
  'x-envoy-force-trace',
  'x-envoy-hedge-on-per-try-timeout',
  'x-envoy-ip-tags',
  'x-envoy-max-retries',
  'x-envoy-original-url',
  'x-envoy-retriable-header-names',
  'x-envoy-retriable-status-codes',
  'x-envoy-retry-grpc-on',
  'x-envoy-retry-on',
  'x-envoy-upstream-alt-stat-name',
  'x-envoy-upstream-rq-per-try-timeout-ms',
  'x-envoy-upstream-rq-timeout-alt-response',
  'x-envoy-upstream-rq-timeout-ms',
  'x-envoy-upstream-stream-duration-ms',
];
/** A request the HTTP/1.1 codec refuses after its head (Envoy's `sendProtocolError`): status and response-code details. */
interface CodecRefusal {
  readonly status: number;
  readonly details: string;
}
const LOW_VERSION: CodecRefusal = { status: 426, details: 'low_version' };
const INVALID_URL: CodecRefusal = { status: 400, details: 'http1.invalid_url' };

/** Node caps HTTP/2 SETTINGS values it accepts. */
const MAX_SETTING = 2 ** 31 - 1;
const DEFAULT_BUFFER_LIMIT = 1024 * 1024;

/** Monotonic ns from `performance.now()` (sub-µs precision; cheaper than `process.hrtime.bigint()`). */
function defaultNowNs(): number {
  return performance.now() * 1e6;
}

function statusClassCounter(stats: ConnectionManagerStats, status: number): void {
  if (status < 200) stats.downstream_rq_1xx++;
  else if (status < 300) stats.downstream_rq_2xx++;
  else if (status < 400) stats.downstream_rq_3xx++;
  else if (status < 500) stats.downstream_rq_4xx++;
  else stats.downstream_rq_5xx++;
}

function socketAddress(address: string | undefined, port: number | undefined): SocketAddress | undefined {
  if (address === undefined) return undefined;
  return { address: address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address, port };
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The `Upgrade` token of an HTTP/1.1 upgrade request (lower case), or undefined. */
function upgradeType(req: Http1ServerRequest): string | undefined {
  const value = firstValue(req.headers['upgrade']);
  return value === undefined || value === '' ? undefined : value.toLowerCase();
}

/**
 * Envoy's HTTP connection manager over Node's codecs: HTTP/1.1 (`http.Server`) and cleartext HTTP/2 with prior
 * knowledge (`http2` stream API), chosen by `codec_type` — with `AUTO`, by the connection preface. Every Node
 * default that differs from Envoy is set from the configuration or Envoy's default (idle timeout 1 h, no request
 * timeout, 60 KiB of headers, at most 100 headers, HTTP/2 windows and stream limit), parse errors become
 * Envoy-style local replies with the `DPE` flag, and each request is traced, routed, forwarded (with retries),
 * and logged. Upgrades (WebSocket) are tunnelled when the connection manager or the route allows them.
 */
export class ConnectionManager implements StreamHost {
  readonly config: HttpConnectionManagerConfig;
  readonly stats: ConnectionManagerStats = createConnectionManagerStats();
  readonly serverName: string;
  readonly suppressEnvoyHeaders: boolean;
  readonly bufferLimitBytes: number;
  readonly #http1: Http1Server;
  readonly #h2server: Http2Server;
  readonly #sessions = new Set<ServerHttp2Session>();
  /** Connections whose codec is not known yet (`codec_type: AUTO`). */
  readonly #sniffing = new Set<Socket>();
  readonly #clusters: ClusterLookup;
  readonly #loggers: readonly AccessLogger[];
  readonly #maxHeadersCount: number;
  readonly #propagator: TracePropagator | undefined;
  readonly #sampling: TraceSamplingOptions | undefined;
  #routes: CompiledRouteConfiguration;
  #closing = false;
  /** The drain decision while the listener drains but keeps accepting ({@link drainClose}). */
  #drainDecision: (() => boolean) | undefined;
  /** The header record the trace accessors read and write (one request at a time; the calls are synchronous). */
  #traceHeaders: MutableHeaders = {};
  readonly #traceGet = (name: string): string | undefined => firstValue(this.#traceHeaders[name]);
  readonly #traceSet = (name: string, value: string): void => {
    this.#traceHeaders[name] = value;
  };
  readonly #traceDel = (name: string): void => {
    delete this.#traceHeaders[name];
  };
  readonly nowNs: () => number;
  /** `downstream_rq_time`: ms from the start of a request to the end of its stream. */
  /** The `close` listener of every HTTP/1.1 response (one function per manager, not a closure per request). */
  readonly #onResponseClose = ((manager: ConnectionManager) =>
    function onResponseClose(this: StreamResponse): void {
      const stream = this[kStream];
      if (stream === undefined) return;
      this[kStream] = undefined;
      manager.#onStreamClose(stream);
    })(this);
  /** The `close` listener of every HTTP/2 stream: its session's stream count, then the stream's end. */
  readonly #onHttp2StreamClose = ((manager: ConnectionManager) =>
    function onHttp2StreamClose(this: TaggedHttp2Stream): void {
      const stream = this[kStream];
      if (stream === undefined) return;
      this[kStream] = undefined;
      const session = (stream.res as Http2ServerExchange).session as TaggedSession | undefined;
      const state = session?.[kSessionState];
      if (state !== undefined && session !== undefined) {
        state.active--;
        if (state.active === 0 && !session.closed) manager.#armSessionIdle(session, state);
      }
      manager.#onStreamClose(stream);
    })(this);
  readonly #rqTime: HistogramRecorder;
  /** `downstream_cx_length_ms`: ms a downstream connection was open. */
  readonly #cxLength: HistogramRecorder;

  constructor(options: ConnectionManagerOptions) {
    const config = options.config;
    this.config = config;
    const scope = options.stats?.scope(`http.${config.statPrefix}`);
    this.#rqTime = scope === undefined ? NOOP_HISTOGRAM : scope.histogram('downstream_rq_time');
    this.#cxLength = scope === undefined ? NOOP_HISTOGRAM : scope.histogram('downstream_cx_length_ms');
    this.#routes = options.routes;
    this.#clusters = options.clusters;
    this.#loggers = options.accessLoggers;
    this.nowNs = options.nowNs ?? defaultNowNs;
    this.bufferLimitBytes = options.bufferLimitBytes ?? DEFAULT_BUFFER_LIMIT;
    this.serverName = config.serverName === '' ? 'envoy' : config.serverName;
    const router = config.httpFilters.find((f) => f.type === 'router');
    this.suppressEnvoyHeaders = router?.suppressEnvoyHeaders ?? false;
    this.#maxHeadersCount = config.commonHttpProtocolOptions.maxHeadersCount;
    const tracing = config.tracing;
    if (tracing !== undefined) {
      this.#propagator = createTracePropagator();
      this.#sampling = { clientSampling: tracing.clientSamplingPercent, randomSampling: tracing.randomSamplingPercent, overallSampling: tracing.overallSamplingPercent };
    }
    this.#http1 = new Http1Server(
      {
        maxHeaderBytes: config.maxRequestHeadersKb * 1024,
        headersTimeoutMs: config.requestHeadersTimeoutMs,
        idleTimeoutMs: config.commonHttpProtocolOptions.idleTimeoutMs,
        maxRequestsPerConnection: config.commonHttpProtocolOptions.maxRequestsPerConnection,
        maxConnectionDurationMs: config.commonHttpProtocolOptions.maxConnectionDurationMs,
      },
      {
        onRequest: (req, res) => this.#onRequest(req, res),
        onUpgrade: (req, res, socket, head) => this.#onUpgrade(req, res, socket, head),
        onClientError: (err, socket) => this.#onClientError(err, socket as TaggedSocket),
      },
      this.stats,
    );

    const h2 = config.http2ProtocolOptions;
    this.#h2server = createHttp2Server({
      settings: {
        maxConcurrentStreams: Math.min(h2.maxConcurrentStreams, MAX_SETTING),
        initialWindowSize: Math.min(h2.initialStreamWindowSize, MAX_SETTING),
        headerTableSize: h2.hpackTableSize,
        maxHeaderListSize: config.maxRequestHeadersKb * 1024,
      },
      // The count includes the four request pseudo-headers.
      maxHeaderListPairs: this.#maxHeadersCount + 4,
    });
    this.#h2server.on('session', (session: ServerHttp2Session) => this.#onSession(session));
    this.#h2server.on('stream', (stream: ServerHttp2Stream, headers: Http2IncomingHeaders) => this.#onHttp2Stream(stream, headers));
  }

  /** HTTP/1.1 connections open now. */
  get http1ConnectionCount(): number {
    return this.#http1.connectionCount;
  }


  /** Replaces the route configuration; requests in flight keep the one they started with. */
  setRoutes(routes: CompiledRouteConfiguration): void {
    this.#routes = routes;
  }

  /** Takes over an accepted downstream connection, choosing the codec by `codec_type` (AUTO: by the preface). */
  handleConnection(socket: Socket, connection: DownstreamConnection): void {
    (socket as TaggedSocket)[kConnection] = connection;
    const stats = this.stats;
    stats.downstream_cx_total++;
    stats.downstream_cx_active++;
    const openedNs = this.nowNs();
    socket.once('close', () => {
      stats.downstream_cx_active--;
      stats.downstream_cx_destroy++;
      this.#cxLength.record((this.nowNs() - openedNs) / 1e6);
    });
    switch (this.config.codecType) {
      case 'http1':
        this.#attach(socket, 'http1');
        return;
      case 'http2':
        this.#attach(socket, 'http2');
        return;
      case 'auto':
        if (this.#closing) {
          socket.destroy();
          return;
        }
        // Until its first bytes say which codec it speaks, a connection is idle: closing the manager closes it.
        this.#sniffing.add(socket);
        socket.once('close', () => this.#sniffing.delete(socket));
        sniffCodec(socket, this.config.commonHttpProtocolOptions.idleTimeoutMs, (codec, head) => {
          this.#sniffing.delete(socket);
          this.#attach(socket, codec, head);
        });
        return;
    }
  }

  #attach(socket: Socket, codec: DownstreamCodec, head?: Buffer): void {
    const stats = this.stats;
    if (codec === 'http2') {
      if (head !== undefined) socket.unshift(head);
      stats.downstream_cx_http2_total++;
      stats.downstream_cx_http2_active++;
      socket.once('close', () => {
        stats.downstream_cx_http2_active--;
      });
      this.#h2server.emit('connection', socket);
      return;
    }
    stats.downstream_cx_http1_total++;
    stats.downstream_cx_http1_active++;
    socket.once('close', () => {
      stats.downstream_cx_http1_active--;
    });
    this.#http1.handle(socket, head);
  }

  /**
   * Stops taking requests: idle HTTP/1.1 connections close and busy ones close after their response; HTTP/2
   * connections get GOAWAY and close once their streams finish.
   */
  close(): void {
    this.#closing = true;
    for (const socket of this.#sniffing) socket.end(() => socket.destroy());
    this.#http1.close();
    for (const session of this.#sessions) if (!session.closed) this.#drainSession(session);
  }

  /**
   * Drains while the listener keeps accepting (admin `/drain_listeners?graceful`), as Envoy's connection manager asks
   * its drain decision when it answers: every HTTP/1.1 response written from now on for which `decide()` is true
   * carries `Connection: close` and its connection closes after it (idle keep-alive connections are not cut: a client
   * may be sending on one right now); every HTTP/2 stream for which `decide()` is true makes its connection send
   * GOAWAY (that stream and the earlier ones finish), and open HTTP/2 connections get GOAWAY at once when `decide()`
   * is true now.
   */
  drainClose(decide: () => boolean): void {
    this.#http1.drainClose(decide);
    this.#drainDecision = decide;
    for (const session of this.#sessions) {
      if (session.closed || !decide()) continue;
      this.stats.downstream_cx_drain_close++;
      this.#drainSession(session);
    }
  }

  /** Closes every connection at once. */
  destroy(): void {
    this.#closing = true;
    for (const socket of this.#sniffing) socket.destroy();
    this.#http1.destroy();
    for (const session of this.#sessions) session.destroy();
  }

  sendLocalReply(stream: HttpStream, status: number, body: string, flag: number, details: string, headers?: Readonly<Record<string, string>>, grpcStatus?: number): void {
    const info = stream.info;
    info.responseFlags |= flag;
    info.responseCodeDetails = details;
    info.localReplyBody = body;
    const res = stream.res;
    if (res.headersSent || res.destroyed) {
      info.responseCode ??= status;
      res.destroy();
      return;
    }
    const out: MutableHeaders = headers === undefined ? {} : { ...headers };
    if (stream.grpc) {
      // Envoy answers gRPC requests with a trailers-only response carrying the mapped status.
      info.responseCode = 200;
      out['content-type'] = 'application/grpc';
      out['grpc-status'] = String(grpcStatus ?? httpToGrpcStatus(status));
      if (body !== '') out['grpc-message'] = encodeGrpcMessage(body);
      this.finishResponseHeaders(stream, out);
      info.responseHeaders = out;
      if (stream.h2) {
        (res as Http2ServerExchange).respondHeadersOnly(200, out as OutgoingHttpHeaders);
      } else {
        (res as Http1ServerResponse).shouldKeepAlive = false;
        out['content-length'] = '0';
        res.writeHead(200, out as OutgoingHttpHeaders);
        res.end();
      }
      return;
    }
    info.responseCode = status;
    // A reply before the request body was read ends an HTTP/1.1 connection: the rest of the body cannot be trusted.
    if (!stream.h2 && !stream.req.complete) (res as Http1ServerResponse).shouldKeepAlive = false;
    if (body !== '') out['content-type'] = 'text/plain';
    out['content-length'] = String(Buffer.byteLength(body));
    this.finishResponseHeaders(stream, out);
    info.responseHeaders = out;
    res.writeHead(status, out as OutgoingHttpHeaders);
    info.bytesSent += stream.req.method === 'HEAD' ? 0 : Buffer.byteLength(body);
    res.end(body);
  }

  finishResponseHeaders(stream: HttpStream, headers: MutableHeaders): void {
    // Envoy counts it as it encodes the response headers (HTTP/1.1 then closes the connection after the response).
    if (!stream.req.complete) this.stats.downstream_rq_response_before_rq_complete++;
    headers['server'] = this.serverName;
    const id = requestIdForResponse({
      requestId: stream.info.streamId,
      alwaysSetRequestIdInResponse: this.config.alwaysSetRequestIdInResponse,
    });
    if (id !== undefined) headers['x-request-id'] = id;
  }

  #onRequest(req: Http1ServerRequest, res: Http1ServerResponse): void {
    const stream = new HttpStream(req, res, new HttpStreamInfo(Date.now(), this.nowNs()), this, false);
    this.stats.downstream_rq_http1_total++;
    (res as StreamResponse)[kStream] = stream;
    res.on('close', this.#onResponseClose);
    this.#beginHttp1(stream, req, req.socket as TaggedSocket);
  }

  /**
   * What Envoy's HTTP/1.1 codec settles from the request line before the stream starts: HTTP/1.0 refused unless
   * `accept_http_10` (then `default_host_for_http_10` for a request without a host), an absolute-form target's host
   * and path taken (`allow_absolute_url`), any other target refused; then {@link #begin}.
   */
  #beginHttp1(stream: HttpStream, req: Http1ServerRequest, socket: TaggedSocket): void {
    const http10 = req.httpVersion !== '1.1';
    const options = this.config.http1ProtocolOptions;
    let host = firstValue(req.headers['host']);
    let refusal = http10 && !options.acceptHttp10 ? LOW_VERSION : undefined;
    if (http10 && host === undefined && options.defaultHostForHttp10 !== '') host = options.defaultHostForHttp10;
    const target = req.url;
    if (options.allowAbsoluteUrl && target.charCodeAt(0) !== 0x2f /* / */ && req.method !== 'CONNECT' && !(target === '*' && req.method === 'OPTIONS')) {
      // An absolute-form target: its host replaces `Host` (RFC 9112 §3.2.2) and its path is the path.
      const absolute = parseAbsoluteForm(target);
      if (absolute === undefined) {
        refusal ??= INVALID_URL;
      } else {
        req.url = absolute.path;
        host = absolute.authority;
        req.headers['host'] = host;
      }
    }
    this.#begin(stream, socket, http10 ? 'HTTP/1.0' : 'HTTP/1.1', host, req.rawHeaders.length / 2, refusal);
  }

  /**
   * An HTTP/1.1 `Upgrade` (or CONNECT) request: the socket is the stream's. Until a 101 turns the connection into a
   * tunnel, `res` is an ordinary response that ends the connection.
   */
  #onUpgrade(req: Http1ServerRequest, res: Http1ServerResponse, socket: Socket, head: Buffer): void {
    const stream = new HttpStream(req, res, new HttpStreamInfo(Date.now(), this.nowNs()), this, false);
    const type = req.method === 'CONNECT' ? 'connect' : upgradeType(req);
    // Envoy ignores an `Upgrade: h2c` offer and serves the request as HTTP/1.1 (the hop-by-hop headers go).
    if (type !== undefined && type !== 'h2c') stream.upgrade = { type, socket, head };
    this.stats.downstream_rq_http1_total++;
    res.once('close', () => this.#onStreamClose(stream));
    this.#beginHttp1(stream, req, socket as TaggedSocket);
  }

  #onSession(session: ServerHttp2Session): void {
    const socket = session.socket as TaggedSocket;
    const state: Http2SessionState = { connection: socket[kConnection], socket, active: 0, idleTimer: undefined, streams: 0, durationTimer: undefined, draining: false };
    (session as TaggedSession)[kSessionState] = state;
    this.#sessions.add(session);
    session.on('error', () => undefined);
    session.once('close', () => {
      this.#sessions.delete(session);
      if (state.idleTimer !== undefined) clearTimeout(state.idleTimer);
      if (state.durationTimer !== undefined) clearTimeout(state.durationTimer);
    });
    const maxDuration = this.config.commonHttpProtocolOptions.maxConnectionDurationMs;
    if (maxDuration > 0) {
      // Envoy's max_connection_duration: GOAWAY, and the streams under way finish.
      state.durationTimer = setTimeout(() => {
        state.durationTimer = undefined;
        if (session.closed) return;
        this.stats.downstream_cx_max_duration_reached++;
        this.#drainSession(session);
      }, maxDuration);
      state.durationTimer.unref();
    }
    const h2 = this.config.http2ProtocolOptions;
    session.once('connect', () => {
      if (h2.initialConnectionWindowSize > 65_535 && !session.destroyed) session.setLocalWindowSize(Math.min(h2.initialConnectionWindowSize, MAX_SETTING));
    });
    if (h2.connectionKeepalive !== undefined) startHttp2Keepalive(session, h2.connectionKeepalive);
    this.#armSessionIdle(session, state);
    if (this.#closing) this.#drainSession(session);
  }

  /**
   * Envoy's HTTP/2 drain sequence: a GOAWAY with the largest stream id first (a shutdown notice: streams racing with
   * it are still taken), then after `drain_timeout` (default 5 s) the final GOAWAY naming the last stream taken, and
   * the session closes once its streams are done. Clients usually close as soon as the notice arrives.
   */
  #drainSession(session: ServerHttp2Session): void {
    const state = (session as TaggedSession)[kSessionState];
    if (session.closed || session.destroyed || state?.draining === true) return;
    if (state !== undefined) state.draining = true;
    const grace = this.config.drainTimeoutMs;
    if (grace <= 0) {
      session.close();
      return;
    }
    session.goaway(h2constants.NGHTTP2_NO_ERROR, MAX_SETTING);
    const timer = setTimeout(() => {
      if (!session.closed && !session.destroyed) session.close();
    }, grace);
    timer.unref();
    session.once('close', () => clearTimeout(timer));
  }

  #armSessionIdle(session: ServerHttp2Session, state: Http2SessionState): void {
    const idle = this.config.commonHttpProtocolOptions.idleTimeoutMs;
    if (idle <= 0) return;
    if (state.idleTimer !== undefined) clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(() => {
      state.idleTimer = undefined;
      // Envoy's idle_timeout: no streams for the whole period → GOAWAY and close.
      if (state.active === 0 && !session.closed) {
        this.stats.downstream_cx_idle_timeout++;
        this.#drainSession(session);
      }
    }, idle);
  }

  #onHttp2Stream(h2stream: ServerHttp2Stream, headers: Http2IncomingHeaders): void {
    const session = h2stream.session as TaggedSession | undefined;
    const state = session?.[kSessionState];
    const exchange = new Http2ServerExchange(h2stream, headers);
    const stream = new HttpStream(exchange, exchange, new HttpStreamInfo(Date.now(), this.nowNs()), this, true);
    this.stats.downstream_rq_http2_total++;
    if (state !== undefined) {
      state.active++;
      state.streams++;
      if (state.idleTimer !== undefined) clearTimeout(state.idleTimer);
      state.idleTimer = undefined;
      const max = this.config.commonHttpProtocolOptions.maxRequestsPerConnection;
      if (max > 0 && state.streams === max && session !== undefined && !session.closed) {
        // Envoy's max_requests_per_connection: GOAWAY naming this stream as the last one taken.
        this.stats.downstream_cx_max_requests_reached++;
        this.#drainSession(session);
      }
    }
    (h2stream as TaggedHttp2Stream)[kStream] = stream;
    h2stream.once('close', this.#onHttp2StreamClose);
    // GOAWAY now names this stream as the last one taken, so it is served and no later stream is opened.
    const decide = this.#drainDecision;
    if (decide !== undefined && session !== undefined && !session.closed && decide()) {
      this.stats.downstream_cx_drain_close++;
      this.#drainSession(session);
    }
    const socket = (state?.socket ?? h2stream.session?.socket) as TaggedSocket;
    this.#begin(stream, socket, 'HTTP/2', headers[':authority'] ?? headers.host, 0);
  }

  #begin(stream: HttpStream, socket: TaggedSocket, protocol: string, authority: string | undefined, headerCount: number, refusal?: CodecRefusal): void {
    const req = stream.req;
    const info = stream.info;
    const connection = socket[kConnection];
    const stats = this.stats;
    stats.downstream_rq_total++;
    stats.downstream_rq_active++;
    info.protocol = protocol;
    info.connectionId = connection?.connectionId;
    info.listenerName = connection?.listenerName;
    info.filterChainName = connection?.filterChainName;
    const addresses = addressesOf(socket);
    info.downstreamLocalAddress = addresses.local;
    info.downstreamDirectRemoteAddress = addresses.remote;
    info.timings.lastDownstreamHeaderRxByteReceived = 0;
    info.method = req.method;
    info.path = req.url;
    info.scheme = 'http';
    info.authority = authority;
    stream.grpc = isGrpcContentType(firstValue(req.headers['content-type']));

    if (headerCount > this.#maxHeadersCount) {
      info.headers = req.headers;
      stats.downstream_rq_too_large++;
      (stream.res as Http1ServerResponse).shouldKeepAlive = false;
      this.sendLocalReply(stream, 431, STATUS_CODES[431] ?? '', ResponseFlag.DownstreamProtocolError, 'http1.too_many_headers');
      return;
    }
    if (refusal !== undefined) {
      // A codec error after the head: the reason phrase as the body, `DPE`, and the connection closes.
      info.headers = req.headers;
      stats.downstream_cx_protocol_error++;
      (stream.res as Http1ServerResponse).shouldKeepAlive = false;
      this.sendLocalReply(stream, refusal.status, STATUS_CODES[refusal.status] ?? '', ResponseFlag.DownstreamProtocolError, refusal.details);
      return;
    }

    // Forwarding headers and the trusted client address.
    const remote = info.downstreamDirectRemoteAddress?.address ?? '';
    const rawXff = req.headers['x-forwarded-for'];
    const xff = Array.isArray(rawXff) ? rawXff.join(', ') : rawXff;
    const fwd: ForwardingDecision = decideForwarding(this.config, remote, xff);
    // An address taken from XFF has no port: Envoy renders it as `address:0`.
    info.downstreamRemoteAddress = fwd.trustedClientAddress === remote ? info.downstreamDirectRemoteAddress : { address: fwd.trustedClientAddress, port: 0 };

    // HTTP/2's `:authority`, or the default host of an HTTP/1.0 request, becomes `host`.
    const headers = this.#upstreamHeaders(req, fwd, stream.h2 || (authority !== undefined && req.headers['host'] === undefined) ? authority : undefined);
    info.headers = headers;
    const requestId = decideRequestId({
      incoming: typeof headers['x-request-id'] === 'string' ? headers['x-request-id'] : undefined,
      edgeRequest: fwd.edge,
      preserveExternalRequestId: this.config.preserveExternalRequestId,
      generateRequestId: this.config.generateRequestId,
    });
    if (requestId.id !== undefined) {
      headers['x-request-id'] = requestId.id;
      info.streamId = requestId.id;
    }
    if (this.#propagator !== undefined) this.#propagateTrace(stream, headers);

    if (this.config.requestTimeoutMs > 0) this.#armRequestTimeout(stream, this.config.requestTimeoutMs);
    if (this.config.streamIdleTimeoutMs > 0) stream.armIdleTimer(this.config.streamIdleTimeoutMs);

    const routes = this.#routes;
    const view: RouteRequest = {
      method: req.method ?? 'GET',
      authority: authority ?? '',
      path: req.url ?? '/',
      scheme: 'http',
      listenerPort: socket.localPort ?? 0,
      getHeader: (name) => {
        const v = headers[name];
        return typeof v === 'string' ? v : v?.join(',');
      },
    };
    if (routes.stripPortMode !== 'none' && view.authority !== '') {
      const stripped = stripHostPort(view.authority, routes.stripPortMode, view.listenerPort);
      if (stripped !== view.authority) headers['host'] = stripped;
    }
    const selection = routes.select(view);
    const forward = selection === undefined ? undefined : resolveForward(selection, view, Math.random());
    const upgrade = stream.upgrade;
    if (upgrade !== undefined) {
      // Envoy refuses an upgrade neither the route nor the connection manager allows (403, `upgrade_failed`).
      if (upgrade.type === 'connect' || !isUpgradeAllowed(upgrade.type, this.config.upgradeConfigs, forward?.action.upgradeConfigs)) {
        stats.downstream_rq_ws_on_non_ws_route++;
        this.sendLocalReply(stream, 403, '', 0, 'upgrade_failed');
        return;
      }
    }
    if (selection === undefined) {
      stats.no_route++;
      this.sendLocalReply(stream, 404, '', ResponseFlag.NoRouteFound, 'route_not_found');
      return;
    }
    info.routeName = selection.route.name;
    const direct = directResponse(selection);
    if (direct !== undefined) {
      stats.rq_direct_response++;
      const out: MutableHeaders = {};
      info.responseHeaders = out;
      applyResponseHeaderMutations(selection, out, info);
      this.#sendDirect(stream, direct.status, direct.body, out);
      return;
    }
    const redirect = redirectLocation(selection, view);
    if (redirect !== undefined) {
      stats.rq_redirect++;
      const out: MutableHeaders = { location: redirect.location };
      info.responseHeaders = out;
      applyResponseHeaderMutations(selection, out, info);
      this.#sendDirect(stream, redirect.status, undefined, out);
      return;
    }
    if (forward === undefined) {
      stats.no_route++;
      this.sendLocalReply(stream, 404, '', ResponseFlag.NoRouteFound, 'route_not_found');
      return;
    }
    const cluster = forward.clusterName === undefined ? undefined : this.#clusters.get(forward.clusterName);
    if (cluster === undefined) {
      stats.no_cluster++;
      info.upstreamClusterName = forward.clusterName;
      this.sendLocalReply(stream, forward.clusterNotFoundResponseCode, '', ResponseFlag.NoClusterFound, 'cluster_not_found');
      return;
    }
    info.upstreamClusterName = cluster.name;
    info.upstreamClusterObservabilityName = cluster.observabilityName;
    const clusterStats = cluster.cluster?.stats;
    if (cluster.activeRequests >= cluster.maxRequests) {
      // Circuit breaker `max_requests` (Envoy: 503, `UO`, counted as `upstream_rq_pending_overflow`).
      if (clusterStats !== undefined) {
        clusterStats.counters.upstream_rq_pending_overflow++;
        clusterStats.chargeResponse(503, fwd.internal);
      }
      this.sendLocalReply(stream, 503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow', ResponseFlag.UpstreamOverflow, 'upstream_reset_before_response_started{overflow}');
      return;
    }
    this.#armStreamDuration(stream, forward, headers);
    const host = cluster.chooseHost(view);
    if (host === undefined) {
      clusterStats?.chargeResponse(503, fwd.internal);
      this.sendLocalReply(stream, 503, NO_HEALTHY_UPSTREAM_BODY, ResponseFlag.NoHealthyUpstream, 'no_healthy_upstream');
      return;
    }
    if (forward.newPath !== undefined) {
      headers['x-envoy-original-path'] = req.url ?? '/';
      info.path = forward.newPath;
    }
    const originalHost = headers['host'];
    const rewrittenHost = forward.hostRewrite ?? (forward.autoHostRewrite ? host.hostname : undefined);
    if (rewrittenHost !== undefined) {
      headers['host'] = rewrittenHost;
      info.authority = rewrittenHost;
      if (forward.appendXForwardedHost && typeof originalHost === 'string') {
        const xfh = headers['x-forwarded-host'];
        headers['x-forwarded-host'] = typeof xfh === 'string' && xfh !== '' ? `${xfh},${originalHost}` : originalHost;
      }
    }
    applyRequestHeaderMutations(selection, headers, info, forward);
    stream.forward(selection, forward, cluster, host, headers, view);
  }

  /** HCM tracing: the trace decision packed into `x-request-id`, and the trace context forwarded with a new span. */
  #propagateTrace(stream: HttpStream, headers: MutableHeaders): void {
    const info = stream.info;
    const decision = decideTraceReason(
      {
        requestId: typeof headers['x-request-id'] === 'string' ? headers['x-request-id'] : undefined,
        clientTraceId: headers['x-client-trace-id'] !== undefined,
        forceTrace: headers['x-envoy-force-trace'] !== undefined,
      },
      this.#sampling,
    );
    if (decision.requestId !== undefined && decision.requestId !== headers['x-request-id']) {
      headers['x-request-id'] = decision.requestId;
      info.streamId = decision.requestId;
    }
    this.#traceHeaders = headers;
    const span = (this.#propagator as TracePropagator).propagate(this.#traceGet, this.#traceSet, this.#traceDel, decision.reason !== 'notTraceable');
    this.#traceHeaders = {};
    info.traceId = span.traceId;
  }

  /**
   * The stream duration limit (Envoy's `refreshDurationTimeout`): a gRPC request's `grpc-timeout` when the route sets
   * `max_stream_duration.grpc_timeout_header_max` (capped by it unless 0, minus `grpc_timeout_header_offset`), else
   * the route's `max_stream_duration`, else the connection manager's `common_http_protocol_options.max_stream_duration`.
   */
  #armStreamDuration(stream: HttpStream, forward: ForwardDecision, headers: MutableHeaders): void {
    const route = forward.action.maxStreamDuration;
    const grpcTimeout = route?.grpcTimeoutHeaderMaxMs === undefined ? undefined : grpcTimeoutMs(firstValue(headers['grpc-timeout']));
    let timeout: number;
    if (grpcTimeout === undefined || route === undefined || route.grpcTimeoutHeaderMaxMs === undefined) {
      timeout = route?.maxStreamDurationMs ?? this.config.commonHttpProtocolOptions.maxStreamDurationMs;
    } else {
      timeout = grpcTimeout;
      const cap = route.grpcTimeoutHeaderMaxMs;
      if (cap !== 0 && timeout > cap) timeout = cap;
      const offset = route.grpcTimeoutHeaderOffsetMs;
      if (timeout !== 0 && offset > 0) timeout = offset < timeout ? timeout - offset : 0;
      // A zero timeout means none, as for the other sources.
    }
    if (timeout > 0) stream.armMaxDuration(timeout);
  }

  #upstreamHeaders(req: DownstreamRequest, fwd: ForwardingDecision, h2Authority: string | undefined): MutableHeaders {
    const out: MutableHeaders = {};
    const source = req.headers;
    for (const name in source) {
      if (REQUEST_HOP_BY_HOP.has(name) || name.charCodeAt(0) === 0x3a /* ':' pseudo-header */) continue;
      const value = source[name];
      if (value === undefined) continue;
      if (name === 'te') {
        // Only `te: trailers` survives (Envoy keeps it for gRPC).
        if (typeof value === 'string' && value.toLowerCase().split(',').some((v) => v.trim() === 'trailers')) out['te'] = 'trailers';
        continue;
      }
      out[name] = value;
    }
    if (h2Authority !== undefined) out['host'] = h2Authority;
    if (fwd.edge) for (const name of EDGE_SANITIZED) delete out[name];
    if (fwd.xffOut !== undefined) out['x-forwarded-for'] = fwd.xffOut;
    if (fwd.externalAddress !== undefined) out['x-envoy-external-address'] = fwd.externalAddress;
    if (fwd.internal) out['x-envoy-internal'] = 'true';
    else delete out['x-envoy-internal'];
    // Downstream x-forwarded-proto is trusted only with trusted hops; otherwise it reflects this connection.
    if (this.config.xffNumTrustedHops === 0 || out['x-forwarded-proto'] === undefined) out['x-forwarded-proto'] = 'http';
    return out;
  }

  #sendDirect(stream: HttpStream, status: number, body: Buffer | undefined, headers: MutableHeaders): void {
    const info = stream.info;
    info.responseCode = status;
    info.responseCodeDetails = 'direct_response';
    const res: DownstreamResponse = stream.res;
    if (body !== undefined && body.length > 0) {
      headers['content-type'] ??= 'text/plain';
    }
    headers['content-length'] = String(body?.length ?? 0);
    this.finishResponseHeaders(stream, headers);
    info.responseHeaders = headers;
    res.writeHead(status, headers as OutgoingHttpHeaders);
    if (stream.req.method !== 'HEAD' && body !== undefined) info.bytesSent += body.length;
    res.end(body);
  }

  #armRequestTimeout(stream: HttpStream, timeoutMs: number): void {
    const timer = setTimeout(() => {
      if (stream.res.writableFinished || stream.tunnelled) return;
      this.stats.downstream_rq_timeout++;
      stream.abortUpstream('request timeout');
      this.sendLocalReply(stream, 408, REQUEST_TIMEOUT_BODY, 0, 'request_overall_timeout');
    }, timeoutMs);
    stream.res.once('close', () => clearTimeout(timer));
  }

  #onStreamClose(stream: HttpStream): void {
    stream.dispose();
    const stats = this.stats;
    stats.downstream_rq_active--;
    const info = stream.info;
    const res = stream.res;
    const now = this.nowNs();
    if (!stream.completed) {
      // The downstream went away (or the stream was reset) before the response completed.
      stream.abortUpstream('downstream closed');
      if (!res.headersSent && info.responseCode === undefined) {
        // HTTP/2: a reset of this stream alone is `DR`; the loss of the connection is `DC`.
        const exchange = stream.h2 ? (res as Http2ServerExchange) : undefined;
        const session = exchange?.session;
        const streamReset = exchange !== undefined && exchange.stream.rstCode !== h2constants.NGHTTP2_NO_ERROR && session !== undefined && !session.destroyed;
        info.responseFlags |= streamReset ? ResponseFlag.DownstreamRemoteReset : ResponseFlag.DownstreamConnectionTermination;
        info.responseCodeDetails ??= 'downstream_remote_disconnect';
        stats.downstream_rq_rx_reset++;
      } else {
        stats.downstream_rq_tx_reset++;
      }
      info.downstreamDetectedCloseType = 'RemoteReset';
    } else {
      stats.downstream_rq_completed++;
      info.timings.lastDownstreamTxByteSent = info.sinceStart(now);
    }
    if (info.responseCode !== undefined && (res.headersSent || stream.tunnelled)) statusClassCounter(stats, info.responseCode);
    info.durationNs = info.sinceStart(now);
    this.#rqTime.record(info.durationNs / 1e6);
    for (const logger of this.#loggers) logger.log(info);
  }

  #onClientError(err: Http1ClientError, socket: TaggedSocket): void {
    const stats = this.stats;
    stats.downstream_cx_protocol_error++;
    const info = new HttpStreamInfo(Date.now(), this.nowNs());
    const connection = socket[kConnection];
    info.connectionId = connection?.connectionId;
    info.listenerName = connection?.listenerName;
    info.filterChainName = connection?.filterChainName;
    info.downstreamLocalAddress = socketAddress(socket.localAddress, socket.localPort);
    info.downstreamDirectRemoteAddress = socketAddress(socket.remoteAddress, socket.remotePort);
    info.downstreamRemoteAddress = info.downstreamDirectRemoteAddress;
    let status = 400;
    let details = 'http1.codec_error';
    switch (err.code) {
      case 'HPE_HEADER_OVERFLOW':
        status = 431;
        details = 'http1.headers_too_large';
        stats.downstream_rq_too_large++;
        break;
      case 'ERR_HTTP_REQUEST_TIMEOUT':
        status = 408;
        details = 'request_header_timeout';
        stats.downstream_rq_header_timeout++;
        break;
      case 'ECONNRESET':
      case 'EPIPE':
        socket.destroy();
        return;
      default:
        break;
    }
    if (status !== 408) info.responseFlags |= ResponseFlag.DownstreamProtocolError;
    info.responseCode = status;
    info.responseCodeDetails = details;
    const body = STATUS_CODES[status] ?? '';
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncontent-type: text/plain\r\n` +
          `date: ${new Date().toUTCString()}\r\nserver: ${this.serverName}\r\nconnection: close\r\n\r\n${body}`,
      );
      info.bytesSent = Buffer.byteLength(body);
      info.localReplyBody = body;
    } else {
      socket.destroy();
    }
    statusClassCounter(stats, status);
    info.durationNs = info.sinceStart(this.nowNs());
    for (const logger of this.#loggers) logger.log(info);
  }
}
