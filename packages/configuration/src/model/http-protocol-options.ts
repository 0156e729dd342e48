/**
 * Connection limits shared by downstream and upstream HTTP. Envoy: `envoy.config.core.v3.HttpProtocolOptions`
 * (`common_http_protocol_options`) with `idle_timeout`, `max_connection_duration`, `max_headers_count`,
 * `max_stream_duration` and `max_requests_per_connection`; `headers_with_underscores_action` is rejected.
 */
export interface CommonHttpProtocolOptions {
  /** `idle_timeout` of a connection without streams; 0 disables. Default 3600000 (1 h). */
  readonly idleTimeoutMs: number;
  /** `max_connection_duration`; 0 disables. Default 0. */
  readonly maxConnectionDurationMs: number;
  /** `max_headers_count`. Default 100. */
  readonly maxHeadersCount: number;
  /** `max_stream_duration`; 0 disables. Default 0. */
  readonly maxStreamDurationMs: number;
  /** `max_requests_per_connection`; 0 means unlimited. Default 0. */
  readonly maxRequestsPerConnection: number;
}

/**
 * Downstream HTTP/1.1 settings. Envoy: `envoy.config.core.v3.Http1ProtocolOptions` with `allow_absolute_url`,
 * `accept_http_10` and `default_host_for_http_10`; every other field is rejected. (On a cluster, where Envoy ignores
 * these server-side fields, Orion ignores them too.)
 */
export interface Http1ProtocolOptions {
  /** `allow_absolute_url`: an absolute-form target's host and path replace `Host` and the path. Default true. */
  readonly allowAbsoluteUrl: boolean;
  /** `accept_http_10`: serve HTTP/1.0 requests; without it they are answered `426 Upgrade Required`. Default false. */
  readonly acceptHttp10: boolean;
  /** `default_host_for_http_10`: the host of an HTTP/1.0 request that has none; '' for none. Default ''. */
  readonly defaultHostForHttp10: string;
}

/** Envoy's HTTP/1.1 defaults: HTTP/1.0 refused. */
export const DEFAULT_HTTP1_PROTOCOL_OPTIONS: Http1ProtocolOptions = { allowAbsoluteUrl: true, acceptHttp10: false, defaultHostForHttp10: '' };

/**
 * HTTP/2 settings. Envoy: `envoy.config.core.v3.Http2ProtocolOptions` with `hpack_table_size`,
 * `max_concurrent_streams`, `initial_stream_window_size`, `initial_connection_window_size` and
 * `connection_keepalive`; every other field is rejected.
 */
export interface Http2ProtocolOptions {
  /** `hpack_table_size`. Default 4096. */
  readonly hpackTableSize: number;
  /** `max_concurrent_streams`. Default 2147483647. */
  readonly maxConcurrentStreams: number;
  /** `initial_stream_window_size`. Default 268435456 (256 MiB). */
  readonly initialStreamWindowSize: number;
  /** `initial_connection_window_size`. Default 268435456 (256 MiB). */
  readonly initialConnectionWindowSize: number;
  /** `connection_keepalive`: PING every `intervalMs`, close when no answer within `timeoutMs`. Undefined: no PINGs. */
  readonly connectionKeepalive?: { readonly intervalMs: number; readonly timeoutMs: number };
}

/** Default {@link CommonHttpProtocolOptions}. */
export const DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS: CommonHttpProtocolOptions = {
  idleTimeoutMs: 3_600_000,
  maxConnectionDurationMs: 0,
  maxHeadersCount: 100,
  maxStreamDurationMs: 0,
  maxRequestsPerConnection: 0,
};

/** Default {@link Http2ProtocolOptions}. */
export const DEFAULT_HTTP2_PROTOCOL_OPTIONS: Http2ProtocolOptions = {
  hpackTableSize: 4096,
  maxConcurrentStreams: 2_147_483_647,
  initialStreamWindowSize: 268_435_456,
  initialConnectionWindowSize: 268_435_456,
};
