import type { FormatContext, FormatTimings, SocketAddress } from '@orion/format';

/** Time points of a TCP proxy session in ns since its start (the subset of Envoy's timings tcp_proxy records). */
export class TcpProxyTimings implements FormatTimings {
  /** `US_CX_BEG`. */
  upstreamConnectStart: number | undefined = undefined;
  /** `US_CX_END`. */
  upstreamConnectEnd: number | undefined = undefined;
  /** `DS_CX_END`. */
  downstreamConnectionEnd: number | undefined = undefined;
}

/**
 * What tcp_proxy records about one downstream connection (Envoy's `StreamInfo` of a TCP session), in the shape
 * `@orion/format` renders: bytes, start and duration, upstream host and cluster, response flags, addresses.
 * Filled as the session goes; complete when its access logs are written.
 */
export class TcpProxySessionInfo implements FormatContext {
  /** Epoch ms (`%START_TIME%`). */
  readonly startTime: number;
  readonly startTimeNanos = 0;
  /** Monotonic start (`process.hrtime.bigint()`). */
  readonly startHrTime: bigint;
  readonly timings = new TcpProxyTimings();
  /** `%DURATION%`, set when the session ends. */
  durationNs: number | undefined = undefined;
  /** Bytes from downstream (`%BYTES_RECEIVED%`). */
  bytesReceived = 0;
  /** Bytes to downstream (`%BYTES_SENT%`). */
  bytesSent = 0;
  /** Bit mask of `ResponseFlag`s from @orion/format (`%RESPONSE_FLAGS%`): `UF`, `UH`, `NC`, `SI`. */
  responseFlags = 0;
  /** `%CONNECTION_TERMINATION_DETAILS%`. */
  connectionTerminationDetails: string | undefined = undefined;
  /** `%UPSTREAM_TRANSPORT_FAILURE_REASON%`, e.g. `ECONNREFUSED` or `connect_timeout`. */
  upstreamTransportFailureReason: string | undefined = undefined;
  readonly connectionId: number;
  upstreamConnectionId: number | undefined = undefined;
  readonly listenerName: string | undefined;
  readonly filterChainName: string | undefined;
  downstreamLocalAddress: SocketAddress | undefined = undefined;
  downstreamRemoteAddress: SocketAddress | undefined = undefined;
  upstreamLocalAddress: SocketAddress | undefined = undefined;
  upstreamRemoteAddress: SocketAddress | undefined = undefined;
  /** `%UPSTREAM_HOST%`. */
  upstreamHost: SocketAddress | undefined = undefined;
  /** `%UPSTREAM_HOST_NAME%`. */
  upstreamHostName: string | undefined = undefined;
  /** `%UPSTREAM_CLUSTER_RAW%`. */
  upstreamClusterName: string | undefined = undefined;
  /** `%UPSTREAM_CLUSTER%` (the cluster's `alt_stat_name`). */
  upstreamClusterObservabilityName: string | undefined = undefined;
  /** `%ACCESS_LOG_TYPE%`. */
  readonly accessLogType = 'TcpConnectionEnd';

  constructor(connectionId: number, startTime: number, startHrTime: bigint, listenerName: string | undefined, filterChainName: string | undefined) {
    this.connectionId = connectionId;
    this.startTime = startTime;
    this.startHrTime = startHrTime;
    this.listenerName = listenerName;
    this.filterChainName = filterChainName;
  }

  /** Nanoseconds since the start. */
  elapsedNs(): number {
    return Number(process.hrtime.bigint() - this.startHrTime);
  }
}

/** A socket's address as the formatter wants it; undefined when the socket has none (Unix sockets give the path). */
export function formatAddress(address: string | undefined, port: number | undefined): SocketAddress | undefined {
  if (address === undefined) return undefined;
  return port === undefined ? { address } : { address, port };
}
