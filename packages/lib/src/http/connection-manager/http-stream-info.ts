import type { FormatContext, FormatTimings, HeaderRecord, SocketAddress } from '@orion/format';

/** Mutable timings of one stream, in ns since its start (Envoy's `DownstreamTiming`/`UpstreamTiming`). */
export class StreamTimings implements FormatTimings {
  lastDownstreamHeaderRxByteReceived: number | undefined = undefined;
  lastDownstreamRxByteReceived: number | undefined = undefined;
  upstreamConnectStart: number | undefined = undefined;
  upstreamConnectEnd: number | undefined = undefined;
  firstUpstreamTxByteSent: number | undefined = undefined;
  lastUpstreamTxByteSent: number | undefined = undefined;
  firstUpstreamRxByteReceived: number | undefined = undefined;
  firstUpstreamRxBodyByteReceived: number | undefined = undefined;
  lastUpstreamRxByteReceived: number | undefined = undefined;
  firstDownstreamTxByteSent: number | undefined = undefined;
  lastDownstreamTxByteSent: number | undefined = undefined;
}

/**
 * Everything the connection manager learns about one request, in the shape @orion/format reads for access
 * logs (Envoy's `StreamInfo`). One object per request; fields are filled as the request progresses.
 */
export class HttpStreamInfo implements FormatContext {
  /** Monotonic start, ns (`process.hrtime.bigint()` as a number relative to process start). */
  readonly startNs: number;
  readonly startTime: number;
  readonly startTimeNanos: number;
  readonly timings = new StreamTimings();
  durationNs: number | undefined = undefined;
  protocol: string | undefined = undefined;
  upstreamProtocol: string | undefined = undefined;
  responseCode: number | undefined = undefined;
  responseCodeDetails: string | undefined = undefined;
  connectionTerminationDetails: string | undefined = undefined;
  responseFlags = 0;
  localReplyBody: string | undefined = undefined;
  bytesReceived = 0;
  bytesSent = 0;
  upstreamRequestAttemptCount = 0;
  requestHeaders: HeaderRecord | undefined = undefined;
  responseHeaders: HeaderRecord | undefined = undefined;
  responseTrailers: HeaderRecord | undefined = undefined;
  downstreamLocalAddress: SocketAddress | undefined = undefined;
  downstreamRemoteAddress: SocketAddress | undefined = undefined;
  downstreamDirectRemoteAddress: SocketAddress | undefined = undefined;
  upstreamLocalAddress: SocketAddress | undefined = undefined;
  upstreamRemoteAddress: SocketAddress | undefined = undefined;
  upstreamHost: SocketAddress | undefined = undefined;
  upstreamHostName: string | undefined = undefined;
  upstreamClusterName: string | undefined = undefined;
  upstreamClusterObservabilityName: string | undefined = undefined;
  upstreamTransportFailureReason: string | undefined = undefined;
  connectionId: number | undefined = undefined;
  upstreamConnectionId: number | undefined = undefined;
  streamId: string | undefined = undefined;
  traceId: string | undefined = undefined;
  routeName: string | undefined = undefined;
  filterChainName: string | undefined = undefined;
  listenerName: string | undefined = undefined;
  downstreamDetectedCloseType: string | undefined = undefined;
  accessLogType = 'DownstreamEnd';
  /** `:method`, `:path`, `:authority` and `:scheme` for `%REQ(:METHOD)%` and friends. */
  method: string | undefined = undefined;
  path: string | undefined = undefined;
  authority: string | undefined = undefined;
  scheme: string | undefined = undefined;
  /** The request headers as forwarded (after Orion's own additions such as `x-request-id`). */
  headers: Readonly<Record<string, string | readonly string[] | undefined>> | undefined = undefined;

  constructor(nowMs: number, nowNs: number) {
    this.startTime = Math.floor(nowMs);
    this.startTimeNanos = Math.floor((nowMs - this.startTime) * 1e6);
    this.startNs = nowNs;
  }

  /** Request header lookup, pseudo-headers included (`%REQ(X)%`). */
  getRequestHeader(lowercaseName: string): string | undefined {
    if (lowercaseName.charCodeAt(0) === 58 /* ':' */) {
      switch (lowercaseName) {
        case ':method':
          return this.method;
        case ':path':
          return this.path;
        case ':authority':
          return this.authority;
        case ':scheme':
          return this.scheme;
        default:
          return undefined;
      }
    }
    const value = this.headers?.[lowercaseName];
    return typeof value === 'string' ? value : value?.[0];
  }

  /** Response header lookup (`%RESP(X)%`). */
  getResponseHeader(lowercaseName: string): string | undefined {
    const value = this.responseHeaders?.[lowercaseName];
    return typeof value === 'string' ? value : value?.[0];
  }

  /** Nanoseconds since the stream started. */
  sinceStart(nowNs: number): number {
    return nowNs - this.startNs;
  }
}
