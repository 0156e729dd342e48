import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpConnectionManager as HttpConnectionManagerConfig } from '@orion/configuration';
import { ResponseFlag, type SocketAddress } from '@orion/format';
import { decideRequestId, requestIdForResponse } from '@orion/tracing';
import type { AccessLogger } from '../../access-log/access-logger.js';
import { createConnectionManagerStats, type ConnectionManagerStats } from './connection-manager-stats.js';
import { decideForwarding, type ForwardingDecision } from './forwarded-for.js';
import { HttpStreamInfo } from './http-stream-info.js';
import { HttpStream, type StreamHost } from './http-stream.js';
import { NO_HEALTHY_UPSTREAM_BODY, REQUEST_TIMEOUT_BODY } from './local-reply.js';
import type { CompiledRouteConfiguration } from '../router/route-table.js';
import type { RouteRequest } from '../router/route-request.js';
import { directResponse } from '../router/direct-response.js';
import { redirectLocation } from '../router/redirect-location.js';
import { resolveForward } from '../router/forward-decision.js';
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
  /** Monotonic clock in ns; tests may inject one. */
  readonly nowNs?: () => number;
}

const kConnection = Symbol('orion.downstreamConnection');
type TaggedSocket = Socket & { [kConnection]?: DownstreamConnection };

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

function defaultNowNs(): number {
  return Number(process.hrtime.bigint());
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

/**
 * Envoy's HTTP connection manager for HTTP/1.1 on Node's HTTP parser: every Node default that differs from
 * Envoy is set from the configuration or Envoy's default (idle timeout 1 h instead of 5 s, no request timeout,
 * 60 KiB of headers, at most 100 headers), parse errors become Envoy-style local replies with the `DPE` flag and
 * an access-log line, and each request is routed, forwarded and logged.
 */
export class ConnectionManager implements StreamHost {
  readonly config: HttpConnectionManagerConfig;
  readonly stats: ConnectionManagerStats = createConnectionManagerStats();
  readonly serverName: string;
  readonly suppressEnvoyHeaders: boolean;
  readonly #server: Server;
  readonly #clusters: ClusterLookup;
  readonly #loggers: readonly AccessLogger[];
  readonly #maxHeadersCount: number;
  #routes: CompiledRouteConfiguration;
  readonly nowNs: () => number;

  constructor(options: ConnectionManagerOptions) {
    const config = options.config;
    this.config = config;
    this.#routes = options.routes;
    this.#clusters = options.clusters;
    this.#loggers = options.accessLoggers;
    this.nowNs = options.nowNs ?? defaultNowNs;
    this.serverName = config.serverName === '' ? 'envoy' : config.serverName;
    const router = config.httpFilters.find((f) => f.type === 'router');
    this.suppressEnvoyHeaders = router?.suppressEnvoyHeaders ?? false;
    this.#maxHeadersCount = config.commonHttpProtocolOptions.maxHeadersCount;
    const idle = config.commonHttpProtocolOptions.idleTimeoutMs;
    this.#server = createServer(
      {
        maxHeaderSize: config.maxRequestHeadersKb * 1024,
        // Envoy has no whole-request timeout unless `request_timeout` is set; Orion runs its own timer for it
        // so the reply is Envoy's 408 local reply rather than Node's.
        requestTimeout: 0,
        headersTimeout: config.requestHeadersTimeoutMs,
        keepAliveTimeout: idle,
        joinDuplicateHeaders: true,
        requireHostHeader: false,
        // Node checks header timeouts on this interval (default 30 s); keep it well under the configured timeout.
        connectionsCheckingInterval: config.requestHeadersTimeoutMs > 0 ? Math.max(50, Math.min(1000, Math.floor(config.requestHeadersTimeoutMs / 4))) : 30_000,
      },
      (req, res) => this.#onRequest(req, res),
    );
    // The server never listens itself (the listener hands it sockets), so start Node's connection tracking by
    // hand: without it idle connections cannot be closed on drain and header timeouts are not checked.
    this.#server.emit('listening');
    this.#server.maxHeadersCount = this.#maxHeadersCount + 1;
    this.#server.timeout = 0;
    this.#server.on('clientError', (err: Error & { code?: string }, socket: Socket) => this.#onClientError(err, socket as TaggedSocket));
  }

  /** The underlying Node server (its effective timeouts are checked by tests). */
  get nodeServer(): Server {
    return this.#server;
  }

  /** Replaces the route configuration; requests in flight keep the one they started with. */
  setRoutes(routes: CompiledRouteConfiguration): void {
    this.#routes = routes;
  }

  /** Takes over an accepted downstream connection. */
  handleConnection(socket: Socket, connection: DownstreamConnection): void {
    (socket as TaggedSocket)[kConnection] = connection;
    const stats = this.stats;
    stats.downstream_cx_total++;
    stats.downstream_cx_http1_total++;
    stats.downstream_cx_active++;
    socket.once('close', () => {
      stats.downstream_cx_active--;
    });
    this.#server.emit('connection', socket);
  }

  /** Stops taking requests on idle connections; in-flight requests finish and their connections then close. */
  close(): void {
    this.#server.closeIdleConnections();
    this.#server.close();
  }

  /** Closes every connection at once. */
  destroy(): void {
    this.#server.closeAllConnections();
    this.#server.close();
  }

  sendLocalReply(stream: HttpStream, status: number, body: string, flag: number, details: string, headers?: Readonly<Record<string, string>>): void {
    const info = stream.info;
    info.responseFlags |= flag;
    info.responseCode = status;
    info.responseCodeDetails = details;
    info.localReplyBody = body;
    const res = stream.res;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    // A reply before the request body was read ends the connection: the rest of the body cannot be trusted.
    if (!stream.req.complete) res.shouldKeepAlive = false;
    const out: MutableHeaders = headers === undefined ? {} : { ...headers };
    if (body !== '') out['content-type'] = 'text/plain';
    out['content-length'] = String(Buffer.byteLength(body));
    this.finishResponseHeaders(stream, out);
    info.responseHeaders = out;
    res.writeHead(status, out as Record<string, string | string[]>);
    info.bytesSent += stream.req.method === 'HEAD' ? 0 : Buffer.byteLength(body);
    res.end(body);
  }

  finishResponseHeaders(stream: HttpStream, headers: MutableHeaders): void {
    headers['server'] = this.serverName;
    const id = requestIdForResponse({
      requestId: stream.info.streamId,
      alwaysSetRequestIdInResponse: this.config.alwaysSetRequestIdInResponse,
    });
    if (id !== undefined) headers['x-request-id'] = id;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const nowNs = this.nowNs();
    const info = new HttpStreamInfo(Date.now(), nowNs);
    const stream = new HttpStream(req, res, info, this);
    const socket = req.socket as TaggedSocket;
    const connection = socket[kConnection];
    const stats = this.stats;
    stats.downstream_rq_total++;
    stats.downstream_rq_http1_total++;
    stats.downstream_rq_active++;
    info.protocol = req.httpVersion === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1';
    info.connectionId = connection?.connectionId;
    info.listenerName = connection?.listenerName;
    info.filterChainName = connection?.filterChainName;
    info.downstreamLocalAddress = socketAddress(socket.localAddress, socket.localPort);
    info.downstreamDirectRemoteAddress = socketAddress(socket.remoteAddress, socket.remotePort);
    info.timings.lastDownstreamHeaderRxByteReceived = 0;
    info.method = req.method;
    info.path = req.url;
    info.scheme = 'http';
    info.authority = req.headers.host;
    res.once('close', () => this.#onStreamClose(stream));

    if (req.rawHeaders.length / 2 > this.#maxHeadersCount) {
      info.headers = req.headers;
      stats.downstream_rq_too_large++;
      res.shouldKeepAlive = false;
      this.sendLocalReply(stream, 431, STATUS_CODES[431] ?? '', ResponseFlag.DownstreamProtocolError, 'http1.too_many_headers');
      return;
    }

    // Forwarding headers and the trusted client address.
    const remote = info.downstreamDirectRemoteAddress?.address ?? '';
    const rawXff = req.headers['x-forwarded-for'];
    const xff = Array.isArray(rawXff) ? rawXff.join(', ') : rawXff;
    const fwd: ForwardingDecision = decideForwarding(this.config, remote, xff);
    // An address taken from XFF has no port: Envoy renders it as `address:0`.
    info.downstreamRemoteAddress = fwd.trustedClientAddress === remote ? info.downstreamDirectRemoteAddress : { address: fwd.trustedClientAddress, port: 0 };

    const headers = this.#upstreamHeaders(req, fwd);
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

    if (this.config.requestTimeoutMs > 0) this.#armRequestTimeout(stream, this.config.requestTimeoutMs);
    if (this.config.streamIdleTimeoutMs > 0) stream.armIdleTimer(this.config.streamIdleTimeoutMs);

    const routes = this.#routes;
    const view: RouteRequest = {
      method: req.method ?? 'GET',
      authority: req.headers.host ?? '',
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
    const forward = resolveForward(selection, view, Math.random());
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
    if (cluster.activeRequests >= cluster.maxRequests) {
      // Circuit breaker `max_requests` (Envoy: 503, `UO`).
      this.sendLocalReply(stream, 503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow', ResponseFlag.UpstreamOverflow, 'upstream_reset_before_response_started{overflow}');
      return;
    }
    const host = cluster.chooseHost(view);
    if (host === undefined) {
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
    if (forward.timeoutMs > 0 && !this.suppressEnvoyHeaders) headers['x-envoy-expected-rq-timeout-ms'] = String(forward.timeoutMs);
    applyRequestHeaderMutations(selection, headers, info, forward);
    stream.forward(selection, forward, cluster, host, headers);
  }

  #upstreamHeaders(req: IncomingMessage, fwd: ForwardingDecision): MutableHeaders {
    const out: MutableHeaders = {};
    const source = req.headers;
    for (const name in source) {
      if (REQUEST_HOP_BY_HOP.has(name)) continue;
      const value = source[name];
      if (value === undefined) continue;
      if (name === 'te') {
        // Only `te: trailers` survives (Envoy keeps it for gRPC).
        if (typeof value === 'string' && value.toLowerCase().split(',').some((v) => v.trim() === 'trailers')) out['te'] = 'trailers';
        continue;
      }
      out[name] = value;
    }
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
    const res = stream.res;
    if (body !== undefined && body.length > 0) {
      headers['content-type'] ??= 'text/plain';
    }
    headers['content-length'] = String(body?.length ?? 0);
    this.finishResponseHeaders(stream, headers);
    info.responseHeaders = headers;
    res.writeHead(status, headers as Record<string, string | string[]>);
    if (stream.req.method !== 'HEAD' && body !== undefined) info.bytesSent += body.length;
    res.end(body);
  }

  #armRequestTimeout(stream: HttpStream, timeoutMs: number): void {
    const timer = setTimeout(() => {
      if (stream.res.writableFinished) return;
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
    if (!res.writableFinished) {
      // The downstream went away (or the stream was reset) before the response completed.
      stream.abortUpstream('downstream closed');
      if (!res.headersSent && info.responseCode === undefined) {
        info.responseFlags |= ResponseFlag.DownstreamConnectionTermination;
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
    if (info.responseCode !== undefined && res.headersSent) statusClassCounter(stats, info.responseCode);
    info.durationNs = info.sinceStart(now);
    for (const logger of this.#loggers) logger.log(info);
  }

  #onClientError(err: Error & { code?: string }, socket: TaggedSocket): void {
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
    if (socket.writable && !(socket as Socket & { _httpMessage?: unknown })._httpMessage) {
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
