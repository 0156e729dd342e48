import type { AccessLog } from './access-log.js';
import type { ConfigSource } from './config-source.js';
import type { CommonHttpProtocolOptions, Http1ProtocolOptions, Http2ProtocolOptions } from './http-protocol-options.js';
import type { UpgradeConfig } from './route-action.js';
import type { RouteConfiguration } from './route-configuration.js';

/**
 * The HTTP connection manager network filter. Envoy:
 * `envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`; the fields below are
 * supported and every other set field is rejected.
 */
export interface HttpConnectionManager {
  readonly type: 'httpConnectionManager';
  /** The filter's `name`, for messages only. */
  readonly name: string;
  /** `codec_type`: `auto` picks HTTP/1.1 or h2c by the connection preface. Default `auto`. HTTP3 is rejected. */
  readonly codecType: 'auto' | 'http1' | 'http2';
  /** `stat_prefix`: stats are `http.<statPrefix>.*`. */
  readonly statPrefix: string;
  /** `route_config` (inline) or `rds`. */
  readonly routeSpecifier: RouteSpecifier;
  /** `http_filters`, in order, ending with the router. Disabled and skipped optional filters are left out. */
  readonly httpFilters: readonly HttpFilter[];
  /** `access_log`. */
  readonly accessLogs: readonly AccessLog[];
  /** `request_timeout` for receiving the whole request; 0 disables. Default 0. */
  readonly requestTimeoutMs: number;
  /** `request_headers_timeout` for receiving the request headers; 0 disables. Default 0. */
  readonly requestHeadersTimeoutMs: number;
  /** `stream_idle_timeout`; 0 disables. Default 300000 (5 min). */
  readonly streamIdleTimeoutMs: number;
  /** `drain_timeout` between the first GOAWAY / `Connection: close` and closing. Default 5000. */
  readonly drainTimeoutMs: number;
  /** `common_http_protocol_options` (downstream connection idle timeout and limits). */
  readonly commonHttpProtocolOptions: CommonHttpProtocolOptions;
  /** `http_protocol_options` of downstream HTTP/1.1 connections (HTTP/1.0 refused unless `accept_http_10`). */
  readonly http1ProtocolOptions: Http1ProtocolOptions;
  /** `http2_protocol_options` of downstream HTTP/2 connections (stream limit, windows, HPACK table, keep-alive). Default: Envoy's. */
  readonly http2ProtocolOptions: Http2ProtocolOptions;
  /** `use_remote_address`: the peer address is the client address. Default false. */
  readonly useRemoteAddress: boolean;
  /** `xff_num_trusted_hops`. Default 0. */
  readonly xffNumTrustedHops: number;
  /** `skip_xff_append`: do not append the peer to `x-forwarded-for`. Default false. */
  readonly skipXffAppend: boolean;
  /** `generate_request_id`: add `x-request-id` when missing. Default true. */
  readonly generateRequestId: boolean;
  /** `preserve_external_request_id`: keep an `x-request-id` from an external client. Default false. */
  readonly preserveExternalRequestId: boolean;
  /** `always_set_request_id_in_response`. Default false. */
  readonly alwaysSetRequestIdInResponse: boolean;
  /** `server_name`: the `server` response header. Default `envoy`. */
  readonly serverName: string;
  /** `max_request_headers_kb`. Default 60. */
  readonly maxRequestHeadersKb: number;
  /** `upgrade_configs`: upgrades (e.g. `websocket`) allowed on this listener. Default none. */
  readonly upgradeConfigs: readonly UpgradeConfig[];
  /** `strip_matching_host_port` (`matching`) or `strip_any_host_port` (`any`). Default `none`. */
  readonly stripPortMode: 'none' | 'matching' | 'any';
  /** `tracing`: when set, trace context is propagated (see {@link HcmTracing}). Undefined: trace headers pass through untouched. */
  readonly tracing?: HcmTracing;
}

/**
 * Request tracing of a connection manager. Envoy: `HttpConnectionManager.Tracing` with `client_sampling`,
 * `random_sampling` and `overall_sampling`; `verbose`, `max_path_tag_length`, `custom_tags` and
 * `spawn_upstream_span` shape exported spans and are ignored; `provider` is rejected (Orion exports no spans).
 * With it, the connection manager packs the trace decision into `x-request-id` and forwards the trace context
 * (W3C, B3, Jaeger) with a new span id.
 */
export interface HcmTracing {
  /** `client_sampling`: percent of requests with `x-client-trace-id` that are force-traced. Default 100. */
  readonly clientSamplingPercent: number;
  /** `random_sampling`: percent of requests sampled. Default 100. */
  readonly randomSamplingPercent: number;
  /** `overall_sampling`: percent applied after the other two. Default 100. */
  readonly overallSamplingPercent: number;
}

/** Where the route table of an {@link HttpConnectionManager} comes from. */
export type RouteSpecifier =
  | { readonly type: 'inline'; /** `route_config`. */ readonly routeConfiguration: RouteConfiguration }
  | {
      readonly type: 'rds';
      /** `rds.route_config_name`. */
      readonly routeConfigName: string;
      /** `rds.config_source`. */
      readonly configSource: ConfigSource;
    };

/**
 * One HTTP filter. Envoy: `HttpFilter` whose `typed_config` type URL picks the filter (never its `name`);
 * only the router (`envoy.extensions.filters.http.router.v3.Router`) is implemented.
 */
export type HttpFilter = RouterFilter;

/** The router filter. Envoy: `envoy.extensions.filters.http.router.v3.Router` (`suppress_envoy_headers`; `dynamic_stats` is ignored). */
export interface RouterFilter {
  readonly type: 'router';
  /** `name`. */
  readonly name: string;
  /** `suppress_envoy_headers`: add no `x-envoy-*` headers. Default false. */
  readonly suppressEnvoyHeaders: boolean;
}
