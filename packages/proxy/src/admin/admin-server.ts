import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessLog, Address } from '@orion/configuration';
import { OrionError, printError } from '@orion/error';
import type { FormatContext } from '@orion/format';
import {
  AccessLogSinks,
  createAccessLogger,
  createConnectionManagerStats,
  HTTP_STATS_LAYOUT,
  StatsSync,
  type AccessLogger,
  type BoundAddress,
  type ConnectionManagerStats,
} from '@orion/lib';
import type { StatsStore } from '@orion/metrics';
import { ProxyErrorCode } from '../error-codes.js';
import type { Logger } from '../logging/logger.js';
import type { AdminContext } from './admin-context.js';
import { ContentType, textResponse, type AdminResponse } from './admin-response.js';
import { helpText } from './help.js';
import type { AdminRequest, UrlHandler } from './url-handler.js';

/** Options of {@link AdminServer.start}. */
export interface AdminServerOptions {
  /** `admin.address`. */
  readonly address: Address;
  /** `admin.access_log`: one line per admin request. */
  readonly accessLogs: readonly AccessLog[];
  readonly handlers: readonly UrlHandler[];
  readonly context: AdminContext;
  /** The `admin` logger. */
  readonly logger: Logger;
  /** Where `http.admin.*` goes (the primary's store), as Envoy counts its admin connection manager. Default none. */
  readonly stats?: StatsStore;
}

/** Counts the admin listener's connections and requests with Envoy's `http.admin.*` names. */
function countTraffic(server: Server, stats: ConnectionManagerStats): void {
  server.on('connection', (socket) => {
    stats.downstream_cx_total++;
    stats.downstream_cx_active++;
    stats.downstream_cx_http1_total++;
    stats.downstream_cx_http1_active++;
    socket.once('close', () => {
      stats.downstream_cx_active--;
      stats.downstream_cx_http1_active--;
      stats.downstream_cx_destroy++;
    });
  });
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    stats.downstream_rq_total++;
    stats.downstream_rq_http1_total++;
    stats.downstream_rq_active++;
    res.once('close', () => {
      stats.downstream_rq_active--;
      if (!res.writableFinished) {
        stats.downstream_rq_tx_reset++;
        return;
      }
      stats.downstream_rq_completed++;
      const klass = Math.floor(res.statusCode / 100);
      if (klass === 1) stats.downstream_rq_1xx++;
      else if (klass === 2) stats.downstream_rq_2xx++;
      else if (klass === 3) stats.downstream_rq_3xx++;
      else if (klass === 4) stats.downstream_rq_4xx++;
      else if (klass === 5) stats.downstream_rq_5xx++;
    });
  });
}

/**
 * Finds the handler of `request` as Envoy's `AdminImpl::makeRequest` does, or answers 404 (unknown path) or 400
 * (a state-changing endpoint asked with another method than POST: Envoy's admin documentation says 400 and nothing
 * happens; Envoy's code answers 405 with the same body).
 */
export async function dispatch(handlers: readonly UrlHandler[], request: AdminRequest, context: AdminContext, logger: Logger): Promise<AdminResponse> {
  const handler = handlers.find((h) => h.prefix === request.path);
  if (handler === undefined) return textResponse(`invalid path. ${helpText(handlers)}`, 404);
  if (handler.mutatesState && request.method !== 'POST') {
    logger.error(`admin path "${handler.prefix}" mutates state, method=${request.method} rather than POST`);
    return textResponse(`Method ${request.method} not allowed, POST required.`, 400);
  }
  return handler.handle(request, context);
}

function requestOf(req: IncomingMessage): AdminRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  return { method: req.method ?? 'GET', path, rawQuery, query: new URLSearchParams(rawQuery) };
}

function formatContext(req: IncomingMessage, res: ServerResponse, startMs: number, bytesSent: number): FormatContext {
  const socket = req.socket;
  const pseudo: Readonly<Record<string, string | undefined>> = { ':method': req.method, ':path': req.url, ':authority': req.headers.host, ':scheme': 'http' };
  return {
    getRequestHeader: (name) => {
      if (name.startsWith(':')) return pseudo[name];
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    },
    requestHeaders: req.headers,
    responseHeaders: res.getHeaders() as Record<string, string>,
    startTime: startMs,
    protocol: `HTTP/${req.httpVersion}`,
    responseCode: res.statusCode,
    bytesSent,
    ...(socket.remoteAddress === undefined ? {} : { downstreamRemoteAddress: { address: socket.remoteAddress, port: socket.remotePort } }),
    ...(socket.localAddress === undefined ? {} : { downstreamLocalAddress: { address: socket.localAddress, port: socket.localPort } }),
  };
}

/**
 * The admin listener: an HTTP/1.1 server in the primary on `admin.address` answering Envoy's admin endpoints
 * (exact paths; a state-changing endpoint answers anything but POST with 400 and does nothing; an unknown path gets
 * 404 with the help text). Every answer carries Envoy's `cache-control: no-cache, max-age=0` and
 * `x-content-type-options: nosniff`; with `admin.access_log` each request is logged through `@orion/format`.
 */
export class AdminServer {
  readonly #server: Server;
  readonly #sinks: AccessLogSinks;
  readonly #address: BoundAddress;
  readonly #sync: (() => void) | undefined;

  private constructor(server: Server, sinks: AccessLogSinks, address: BoundAddress, sync: (() => void) | undefined) {
    this.#server = server;
    this.#sinks = sinks;
    this.#address = address;
    this.#sync = sync;
  }

  /** Binds `options.address` and serves; rejects with `ORION_ERR_PROXY_ADMIN` when it cannot. */
  static async start(options: AdminServerOptions): Promise<AdminServer> {
    const sinks = new AccessLogSinks();
    let loggers: AccessLogger[];
    try {
      loggers = await Promise.all(options.accessLogs.map((log) => createAccessLogger(log, sinks)));
    } catch (err) {
      await sinks.closeAll();
      throw new OrionError(ProxyErrorCode.ADMIN, `admin.access_log: ${printError(err, { codes: false })}`, { cause: err });
    }
    const { handlers, context, logger } = options;
    const server = createServer((req, res) => {
      const startMs = Date.now();
      const request = requestOf(req);
      req.resume();
      void dispatch(handlers, request, context, logger)
        .catch((err: unknown): AdminResponse => {
          logger.error(`admin ${request.path}: ${printError(err, { codes: false })}`);
          return textResponse(`${(err as Error).message}\n`, 500);
        })
        .then((response) => {
          const body = Buffer.from(response.body, 'utf8');
          res.writeHead(response.status, {
            'content-type': response.contentType ?? ContentType.TEXT,
            'cache-control': 'no-cache, max-age=0',
            'x-content-type-options': 'nosniff',
            'content-length': body.length,
          });
          res.end(body);
          if (loggers.length > 0) res.once('finish', () => {
            const ctx = formatContext(req, res, startMs, body.length);
            for (const l of loggers) l.log(ctx);
          });
        });
    });
    let sync: (() => void) | undefined;
    if (options.stats !== undefined) {
      const counts = createConnectionManagerStats();
      countTraffic(server, counts);
      const statsSync = new StatsSync(options.stats);
      sync = () => {
        statsSync.beginRound();
        statsSync.track(counts, 'http.admin', HTTP_STATS_LAYOUT);
        statsSync.sync();
      };
      sync();
    }
    const address = options.address;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        if (address.type === 'pipe') server.listen(address.path, () => resolve());
        else server.listen(address.port, address.host, () => resolve());
      });
    } catch (err) {
      await sinks.closeAll();
      const where = address.type === 'pipe' ? address.path : `${address.host}:${address.port}`;
      throw new OrionError(ProxyErrorCode.ADMIN, `admin: cannot listen on ${where}: ${(err as Error).message}`, { cause: err });
    }
    server.on('error', (err) => logger.error(`admin listener: ${err.message}`));
    const info = server.address();
    const bound: BoundAddress =
      typeof info === 'string' || info === null
        ? { type: 'pipe', path: address.type === 'pipe' ? address.path : String(info) }
        : { type: 'socket', host: (info as AddressInfo).address, port: (info as AddressInfo).port, family: (info as AddressInfo).family === 'IPv6' ? 'IPv6' : 'IPv4' };
    return new AdminServer(server, sinks, bound, sync);
  }

  /** Copies the `http.admin.*` counts into the store (before every read of the primary's stats). */
  syncStats(): void {
    this.#sync?.();
  }

  /** Where it listens (port 0 resolved). */
  get address(): BoundAddress {
    return this.#address;
  }

  /** Reopens the admin access-log files. */
  reopenLogs(): Promise<void> {
    return this.#sinks.reopenAll();
  }

  /** Stops listening, closes its connections and flushes the access log. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    await this.#sinks.closeAll();
  }
}
