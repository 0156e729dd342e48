/**
 * The data a formatter reads. Every field is optional: a missing field renders Envoy's "unset" value
 * (`-` in text, `null` in typed JSON) unless noted otherwise (the counters Envoy renders as `0` render `0`).
 * Implement it with a plain object, a class with fields, or getters; the formatter only reads, and reads
 * only the fields its operators need. Header names passed to the lookups are always lower case.
 */
export interface FormatContext {
  // ---- headers -------------------------------------------------------------------------------
  /** Request header lookup (`%REQ(X)%`, `%PATH%`, …). Preferred over {@link requestHeaders} when both exist. */
  getRequestHeader?(lowercaseName: string): string | undefined;
  /** Request headers as a record with lower-case keys (Node's `IncomingHttpHeaders` works; arrays use the first value). */
  readonly requestHeaders?: HeaderRecord | undefined;
  /** Response header lookup (`%RESP(X)%`). */
  getResponseHeader?(lowercaseName: string): string | undefined;
  /** Response headers as a record with lower-case keys. */
  readonly responseHeaders?: HeaderRecord | undefined;
  /** Response trailer lookup (`%TRAILER(X)%`). */
  getResponseTrailer?(lowercaseName: string): string | undefined;
  /** Response trailers as a record with lower-case keys. */
  readonly responseTrailers?: HeaderRecord | undefined;
  /** `%REQUEST_HEADERS_BYTES%`; computed from {@link requestHeaders} (sum of name + value bytes) when absent, else 0. */
  readonly requestHeadersBytes?: number | undefined;
  /** `%RESPONSE_HEADERS_BYTES%`; computed from {@link responseHeaders} when absent, else 0. */
  readonly responseHeadersBytes?: number | undefined;
  /** `%RESPONSE_TRAILERS_BYTES%`; computed from {@link responseTrailers} when absent, else 0. */
  readonly responseTrailersBytes?: number | undefined;

  // ---- time ----------------------------------------------------------------------------------
  /** Request (or connection) start, epoch milliseconds (`%START_TIME%`); a fraction adds sub-ms precision. Absent: unset. */
  readonly startTime?: number | undefined;
  /** Nanoseconds past {@link startTime}'s millisecond, 0–999 999, for `%6f`/`%9f`. Absent: 0. */
  readonly startTimeNanos?: number | undefined;
  /** When the line is emitted, epoch ms (`%EMIT_TIME%`). Absent: `Date.now()`. */
  readonly emitTime?: number | undefined;
  /** Total duration in ns (`%DURATION%`). Absent: `emitTime − startTime` when `startTime` is known, else unset. */
  readonly durationNs?: number | undefined;
  /** Stream-relative time points in ns since the start (the `StreamInfo` timings). Absent: unset. */
  readonly timings?: FormatTimings | undefined;
  /** Downstream connection round-trip time in ns (`%DOWNSTREAM_CX_RTT%`). Absent: unset. */
  readonly downstreamRttNs?: number | undefined;

  // ---- protocol, codes, flags ----------------------------------------------------------------
  /** `HTTP/1.0`, `HTTP/1.1`, `HTTP/2` or `HTTP/3` (`%PROTOCOL%`). Absent: unset. */
  readonly protocol?: string | undefined;
  /** Upstream protocol (`%UPSTREAM_PROTOCOL%`). Absent: unset. */
  readonly upstreamProtocol?: string | undefined;
  /** `%RESPONSE_CODE%`. Absent: 0. */
  readonly responseCode?: number | undefined;
  /** `%RESPONSE_CODE_DETAILS%`, e.g. `via_upstream`. Absent: unset. */
  readonly responseCodeDetails?: string | undefined;
  /** `%CONNECTION_TERMINATION_DETAILS%`. Absent: unset. */
  readonly connectionTerminationDetails?: string | undefined;
  /** Bit mask of {@link ResponseFlag} values (`%RESPONSE_FLAGS%`). Absent or 0: `-`. */
  readonly responseFlags?: number | undefined;
  /** `%CUSTOM_FLAGS%`, comma separated. Absent: empty string. */
  readonly customFlags?: string | undefined;
  /** `%ACCESS_LOG_TYPE%`, e.g. `DownstreamEnd`. Absent: `NotSet`. */
  readonly accessLogType?: string | undefined;
  /** `%LOCAL_REPLY_BODY%`. Absent: empty string. */
  readonly localReplyBody?: string | undefined;

  // ---- byte counters (absent: 0) -------------------------------------------------------------
  /** `%BYTES_RECEIVED%`: body bytes received. Absent: 0. */
  readonly bytesReceived?: number | undefined;
  /** `%BYTES_SENT%`: body bytes sent. Absent: 0. */
  readonly bytesSent?: number | undefined;
  /** `%BYTES_RETRANSMITTED%` (HTTP/3). Absent: 0. */
  readonly bytesRetransmitted?: number | undefined;
  /** `%PACKETS_RETRANSMITTED%` (HTTP/3). Absent: 0. */
  readonly packetsRetransmitted?: number | undefined;
  /** `%UPSTREAM_WIRE_BYTES_SENT%`. Absent: 0. */
  readonly upstreamWireBytesSent?: number | undefined;
  /** `%UPSTREAM_WIRE_BYTES_RECEIVED%`. Absent: 0. */
  readonly upstreamWireBytesReceived?: number | undefined;
  /** `%UPSTREAM_HEADER_BYTES_SENT%`. Absent: 0. */
  readonly upstreamHeaderBytesSent?: number | undefined;
  /** `%UPSTREAM_HEADER_BYTES_RECEIVED%`. Absent: 0. */
  readonly upstreamHeaderBytesReceived?: number | undefined;
  /** `%UPSTREAM_DECOMPRESSED_HEADER_BYTES_SENT%`. Absent: 0. */
  readonly upstreamDecompressedHeaderBytesSent?: number | undefined;
  /** `%UPSTREAM_DECOMPRESSED_HEADER_BYTES_RECEIVED%`. Absent: 0. */
  readonly upstreamDecompressedHeaderBytesReceived?: number | undefined;
  /** `%DOWNSTREAM_WIRE_BYTES_SENT%`. Absent: 0. */
  readonly downstreamWireBytesSent?: number | undefined;
  /** `%DOWNSTREAM_WIRE_BYTES_RECEIVED%`. Absent: 0. */
  readonly downstreamWireBytesReceived?: number | undefined;
  /** `%DOWNSTREAM_HEADER_BYTES_SENT%`. Absent: 0. */
  readonly downstreamHeaderBytesSent?: number | undefined;
  /** `%DOWNSTREAM_HEADER_BYTES_RECEIVED%`. Absent: 0. */
  readonly downstreamHeaderBytesReceived?: number | undefined;
  /** `%DOWNSTREAM_DECOMPRESSED_HEADER_BYTES_SENT%`. Absent: 0. */
  readonly downstreamDecompressedHeaderBytesSent?: number | undefined;
  /** `%DOWNSTREAM_DECOMPRESSED_HEADER_BYTES_RECEIVED%`. Absent: 0. */
  readonly downstreamDecompressedHeaderBytesReceived?: number | undefined;
  /** `%UPSTREAM_REQUEST_ATTEMPT_COUNT%`. Absent: 0. */
  readonly upstreamRequestAttemptCount?: number | undefined;

  // ---- addresses (absent: unset) -------------------------------------------------------------
  /** `%DOWNSTREAM_LOCAL_ADDRESS%` and its `_WITHOUT_PORT`, `_PORT`, `_ENDPOINT_ID` forms. Absent: unset. */
  readonly downstreamLocalAddress?: SocketAddress | undefined;
  /** Physical local address; absent: falls back to {@link downstreamLocalAddress}. */
  readonly downstreamDirectLocalAddress?: SocketAddress | undefined;
  /** `%DOWNSTREAM_REMOTE_ADDRESS%` (the client, possibly from PROXY protocol or XFF) and its forms. Absent: unset. */
  readonly downstreamRemoteAddress?: SocketAddress | undefined;
  /** Physical peer address; absent: falls back to {@link downstreamRemoteAddress}. */
  readonly downstreamDirectRemoteAddress?: SocketAddress | undefined;
  /** `%UPSTREAM_LOCAL_ADDRESS%` and its forms. Absent: unset. */
  readonly upstreamLocalAddress?: SocketAddress | undefined;
  /** `%UPSTREAM_REMOTE_ADDRESS%` and its forms. Absent: unset. */
  readonly upstreamRemoteAddress?: SocketAddress | undefined;
  /** The selected upstream host's address (`%UPSTREAM_HOST%`). */
  readonly upstreamHost?: SocketAddress | undefined;
  /** The upstream host's hostname (`%UPSTREAM_HOST_NAME%`); absent or empty: the host address. */
  readonly upstreamHostName?: string | undefined;
  /** Hosts tried, in order (`%UPSTREAM_HOSTS_ATTEMPTED%`, `%UPSTREAM_HOST_NAMES_ATTEMPTED%`). */
  readonly upstreamHostsAttempted?: readonly AttemptedHost[] | undefined;
  /** Upstream connection ids tried (`%UPSTREAM_CONNECTION_IDS_ATTEMPTED%`). */
  readonly upstreamConnectionIdsAttempted?: readonly number[] | undefined;

  // ---- identifiers and names -----------------------------------------------------------------
  /** `%CONNECTION_ID%`. Absent: 0. */
  readonly connectionId?: number | undefined;
  /** `%UPSTREAM_CONNECTION_ID%`. Absent: 0. */
  readonly upstreamConnectionId?: number | undefined;
  /** `%STREAM_ID%` (normally the `x-request-id`). Absent: unset. */
  readonly streamId?: string | undefined;
  /** `%TRACE_ID%` of the active span. Absent or empty: unset. */
  readonly traceId?: string | undefined;
  /** `%SPAN_ID%` of the active span. Absent or empty: unset. */
  readonly spanId?: string | undefined;
  /** `%ROUTE_NAME%`. Absent or empty: unset. */
  readonly routeName?: string | undefined;
  /** `%VIRTUAL_CLUSTER_NAME%`. Absent or empty: unset. */
  readonly virtualClusterName?: string | undefined;
  /** `%FILTER_CHAIN_NAME%`. Absent or empty: unset. */
  readonly filterChainName?: string | undefined;
  /** `%LISTENER_NAME%`. Absent or empty: unset. */
  readonly listenerName?: string | undefined;
  /** SNI of the downstream TLS connection (`%REQUESTED_SERVER_NAME%`). Absent or empty: unset. */
  readonly requestedServerName?: string | undefined;
  /** The upstream cluster's name (`%UPSTREAM_CLUSTER_RAW%`). Absent or empty: unset. */
  readonly upstreamClusterName?: string | undefined;
  /** The cluster's `alt_stat_name` (`%UPSTREAM_CLUSTER%`); absent: {@link upstreamClusterName}. */
  readonly upstreamClusterObservabilityName?: string | undefined;
  /** `%UPSTREAM_TRANSPORT_FAILURE_REASON%` (spaces print as `_`). Absent or empty: unset. */
  readonly upstreamTransportFailureReason?: string | undefined;
  /** `%DOWNSTREAM_TRANSPORT_FAILURE_REASON%` (spaces print as `_`). Absent or empty: unset. */
  readonly downstreamTransportFailureReason?: string | undefined;
  /** `%DOWNSTREAM_LOCAL_CLOSE_REASON%`. Absent or empty: unset. */
  readonly downstreamLocalCloseReason?: string | undefined;
  /** `%UPSTREAM_LOCAL_CLOSE_REASON%`. Absent or empty: unset. */
  readonly upstreamLocalCloseReason?: string | undefined;
  /** `%DOWNSTREAM_DETECTED_CLOSE_TYPE%`: `Normal`, `LocalReset` or `RemoteReset`. Absent: unset. */
  readonly downstreamDetectedCloseType?: string | undefined;
  /** `%UPSTREAM_DETECTED_CLOSE_TYPE%`. Absent: unset. */
  readonly upstreamDetectedCloseType?: string | undefined;

  // ---- TLS -----------------------------------------------------------------------------------
  /** The downstream TLS connection (`%DOWNSTREAM_TLS_*%`, `%DOWNSTREAM_PEER_*%`, …). Absent: every field unset. */
  readonly downstreamTls?: TlsInfo | undefined;
  /** The upstream TLS connection (`%UPSTREAM_TLS_*%`, `%UPSTREAM_PEER_*%`). Absent: every field unset. */
  readonly upstreamTls?: TlsInfo | undefined;

  // ---- metadata and filter state ---------------------------------------------------------------
  /** `%DYNAMIC_METADATA(ns:key)%`, `%METADATA(DYNAMIC:…)%`. */
  readonly dynamicMetadata?: Metadata | undefined;
  /** `%CLUSTER_METADATA(…)%`, `%METADATA(CLUSTER:…)%`. */
  readonly clusterMetadata?: Metadata | undefined;
  /** `%UPSTREAM_METADATA(…)%`, `%METADATA(UPSTREAM_HOST:…)%`. */
  readonly upstreamHostMetadata?: Metadata | undefined;
  /** `%METADATA(ROUTE:…)%`. */
  readonly routeMetadata?: Metadata | undefined;
  /** `%METADATA(VIRTUAL_HOST:…)%`. */
  readonly virtualHostMetadata?: Metadata | undefined;
  /** `%METADATA(LISTENER:…)%`. */
  readonly listenerMetadata?: Metadata | undefined;
  /** `%METADATA(LISTENER_FILTER_CHAIN:…)%`. */
  readonly listenerFilterChainMetadata?: Metadata | undefined;
  /** Filter state lookup (`%FILTER_STATE(key)%`). Preferred over {@link filterState}. */
  getFilterState?(key: string): unknown;
  /** Filter state as a record: values are {@link FilterStateObject}s or plain JSON values. */
  readonly filterState?: Readonly<Record<string, unknown>> | undefined;
  /** Upstream filter state lookup (`%UPSTREAM_FILTER_STATE(key)%`). */
  getUpstreamFilterState?(key: string): unknown;
  /** Upstream filter state as a record. */
  readonly upstreamFilterState?: Readonly<Record<string, unknown>> | undefined;
}

/** Header values by lower-case name; an array is a repeated header (its first value is used). */
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Time points of a stream, in nanoseconds since its start (Envoy's `DownstreamTiming`/`UpstreamTiming`).
 * The `%…_DURATION%` operators render milliseconds, truncated.
 */
export interface FormatTimings {
  /** `DS_RX_HDR_END`: last byte of the request headers received. */
  readonly lastDownstreamHeaderRxByteReceived?: number | undefined;
  /** `DS_RX_END` and `%REQUEST_DURATION%`. */
  readonly lastDownstreamRxByteReceived?: number | undefined;
  /** `US_CX_BEG`. */
  readonly upstreamConnectStart?: number | undefined;
  /** `US_CX_END`. */
  readonly upstreamConnectEnd?: number | undefined;
  /** `US_HS_END`. */
  readonly upstreamHandshakeEnd?: number | undefined;
  /** `US_TX_BEG`. */
  readonly firstUpstreamTxByteSent?: number | undefined;
  /** `US_TX_END` and `%REQUEST_TX_DURATION%`. */
  readonly lastUpstreamTxByteSent?: number | undefined;
  /** `US_RX_BEG` and `%RESPONSE_DURATION%`. */
  readonly firstUpstreamRxByteReceived?: number | undefined;
  /** `US_RX_BODY_BEG`. */
  readonly firstUpstreamRxBodyByteReceived?: number | undefined;
  /** `US_RX_END`. */
  readonly lastUpstreamRxByteReceived?: number | undefined;
  /** `DS_TX_BEG`. */
  readonly firstDownstreamTxByteSent?: number | undefined;
  /** `DS_TX_END`; `%RESPONSE_TX_DURATION%` is `DS_TX_END − US_RX_BEG`. */
  readonly lastDownstreamTxByteSent?: number | undefined;
  /** `DS_HS_BEG`. */
  readonly downstreamHandshakeStart?: number | undefined;
  /** `DS_HS_END` and `%DOWNSTREAM_HANDSHAKE_DURATION%`. */
  readonly downstreamHandshakeComplete?: number | undefined;
  /** `DS_CX_BEG` (defaults to the stream start, 0). */
  readonly downstreamConnectionBegin?: number | undefined;
  /** `DS_CX_END`. */
  readonly downstreamConnectionEnd?: number | undefined;
  /** `%ROUNDTRIP_DURATION%` (HTTP/3): last downstream ack received. */
  readonly lastDownstreamAckReceived?: number | undefined;
  /** `%UPSTREAM_CONNECTION_POOL_READY_DURATION%`: pool callback latency in ns (a duration, not a time point). */
  readonly connectionPoolReadyLatency?: number | undefined;
  /** Custom time points for `%COMMON_DURATION(name:…)%`. */
  readonly custom?: Readonly<Record<string, number>> | undefined;
}

/**
 * A socket address. With a `port` it is an IP address (`10.0.0.1:443`, `[::1]:443`); without one it is a
 * pipe or internal address and renders as `address` alone (its `_PORT` renders empty text / `null`).
 */
export interface SocketAddress {
  /** IP address without brackets (`10.0.0.1`, `2001:db8::1`), or a pipe path. */
  readonly address: string;
  /** Port; absent for non-IP addresses. */
  readonly port?: number | undefined;
  /** True for IPv6 (bracketed when printed with a port). Absent: detected from a `:` in `address`. */
  readonly isIPv6?: boolean | undefined;
  /** Endpoint id of an Envoy internal address (`%…_ENDPOINT_ID%`). */
  readonly endpointId?: string | undefined;
}

/** One upstream host tried for the request. */
export interface AttemptedHost {
  /** The host address. */
  readonly address?: SocketAddress | undefined;
  /** The host name, e.g. from DNS. */
  readonly hostname?: string | undefined;
}

/** What the formatter knows about one TLS connection. Empty strings and empty lists render as unset. */
export interface TlsInfo {
  /** Subject of the peer certificate (`%…_PEER_SUBJECT%`). */
  readonly peerSubject?: string | undefined;
  /** Subject of the local certificate. */
  readonly localSubject?: string | undefined;
  /** Issuer of the peer certificate. */
  readonly peerIssuer?: string | undefined;
  /** URI SANs of the peer certificate. */
  readonly peerUriSans?: readonly string[] | undefined;
  /** DNS SANs of the peer certificate. */
  readonly peerDnsSans?: readonly string[] | undefined;
  /** IP SANs of the peer certificate. */
  readonly peerIpSans?: readonly string[] | undefined;
  /** Email SANs of the peer certificate. */
  readonly peerEmailSans?: readonly string[] | undefined;
  /** OtherName SANs of the peer certificate. */
  readonly peerOthernameSans?: readonly string[] | undefined;
  /** URI SANs of the local certificate. */
  readonly localUriSans?: readonly string[] | undefined;
  /** DNS SANs of the local certificate. */
  readonly localDnsSans?: readonly string[] | undefined;
  /** IP SANs of the local certificate. */
  readonly localIpSans?: readonly string[] | undefined;
  /** Email SANs of the local certificate. */
  readonly localEmailSans?: readonly string[] | undefined;
  /** OtherName SANs of the local certificate. */
  readonly localOthernameSans?: readonly string[] | undefined;
  /** Hex SHA-256 of the peer certificate. */
  readonly peerFingerprint256?: string | undefined;
  /** Hex SHA-1 of the peer certificate. */
  readonly peerFingerprint1?: string | undefined;
  /** Serial number of the peer certificate. */
  readonly peerSerial?: string | undefined;
  /** Hex SHA-256 of every peer chain certificate. */
  readonly peerChainFingerprints256?: readonly string[] | undefined;
  /** Hex SHA-1 of every peer chain certificate. */
  readonly peerChainFingerprints1?: readonly string[] | undefined;
  /** Serial numbers of every peer chain certificate. */
  readonly peerChainSerials?: readonly string[] | undefined;
  /** Hex SHA-256 of the peer certificate issuer. */
  readonly peerIssuerFingerprint256?: string | undefined;
  /** Serial number of the peer certificate issuer. */
  readonly peerIssuerSerial?: string | undefined;
  /** URL-encoded PEM of the peer certificate. */
  readonly peerCertificate?: string | undefined;
  /** Peer certificate validity start, epoch ms. */
  readonly peerCertificateValidFrom?: number | undefined;
  /** Peer certificate validity end, epoch ms. */
  readonly peerCertificateExpiration?: number | undefined;
  /** TLS session id. */
  readonly sessionId?: string | undefined;
  /** OpenSSL cipher name, e.g. `TLS_AES_128_GCM_SHA256`. */
  readonly cipher?: string | undefined;
  /** `TLSv1.2`, `TLSv1.3`. */
  readonly version?: string | undefined;
  /** Key exchange group, e.g. `X25519`. */
  readonly group?: string | undefined;
  /** SNI sent (upstream) or received (`%UPSTREAM_SERVER_NAME%`). */
  readonly sni?: string | undefined;
  /** JA3 fingerprint of the client hello (`%TLS_JA3_FINGERPRINT%`). */
  readonly ja3Hash?: string | undefined;
  /** JA4 fingerprint (`%TLS_JA4_FINGERPRINT%`). */
  readonly ja4Hash?: string | undefined;
}

/** A JSON value (a protobuf `Value`). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Envoy `Metadata.filter_metadata`: namespace → struct. */
export type Metadata = Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;

/**
 * A filter-state object. A plain JSON value stored in filter state is treated as an object whose TYPED
 * serialization is the value itself and whose PLAIN serialization is the string (or its JSON).
 */
export interface FilterStateObject {
  /** `FILTER_STATE(key:PLAIN)`. */
  serializeAsString?(): string | undefined;
  /** `FILTER_STATE(key)` / `(key:TYPED)`: the object's JSON (Envoy: its proto as JSON). */
  serializeAsJson?(): JsonValue | undefined;
  /** `FILTER_STATE(key:FIELD:name)`. */
  getField?(name: string): string | number | undefined;
}
