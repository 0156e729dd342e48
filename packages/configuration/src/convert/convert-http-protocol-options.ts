import type { HttpProtocolOptions as CommonProto, Http1ProtocolOptions as Http1Proto, Http2ProtocolOptions as Http2Proto } from '@orion/data-plane-api/gen/envoy/config/core/v3/protocol_pb.js';
import {
  DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS,
  DEFAULT_HTTP1_PROTOCOL_OPTIONS,
  DEFAULT_HTTP2_PROTOCOL_OPTIONS,
  type CommonHttpProtocolOptions,
  type Http1ProtocolOptions,
  type Http2ProtocolOptions,
} from '../model/http-protocol-options.js';
import { durationMs } from './proto-values.js';

/** `envoy.config.core.v3.HttpProtocolOptions` → {@link CommonHttpProtocolOptions} (defaults when unset). */
export function convertCommonHttpProtocolOptions(options: CommonProto | undefined, fallbackMaxRequests = 0): CommonHttpProtocolOptions {
  const d = DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS;
  if (options === undefined) return { ...d, maxRequestsPerConnection: fallbackMaxRequests };
  return {
    idleTimeoutMs: durationMs(options.idleTimeout, d.idleTimeoutMs),
    maxConnectionDurationMs: durationMs(options.maxConnectionDuration, d.maxConnectionDurationMs),
    maxHeadersCount: options.maxHeadersCount ?? d.maxHeadersCount,
    maxStreamDurationMs: durationMs(options.maxStreamDuration, d.maxStreamDurationMs),
    maxRequestsPerConnection: options.maxRequestsPerConnection ?? fallbackMaxRequests,
  };
}

/** `envoy.config.core.v3.Http1ProtocolOptions` → {@link Http1ProtocolOptions} (defaults when unset). */
export function convertHttp1ProtocolOptions(options: Http1Proto | undefined): Http1ProtocolOptions {
  if (options === undefined) return DEFAULT_HTTP1_PROTOCOL_OPTIONS;
  return { allowAbsoluteUrl: options.allowAbsoluteUrl ?? true, acceptHttp10: options.acceptHttp10, defaultHostForHttp10: options.defaultHostForHttp10 };
}

/** `envoy.config.core.v3.Http2ProtocolOptions` → {@link Http2ProtocolOptions} (defaults when unset). */
export function convertHttp2ProtocolOptions(options: Http2Proto | undefined): Http2ProtocolOptions {
  const d = DEFAULT_HTTP2_PROTOCOL_OPTIONS;
  if (options === undefined) return d;
  const keepalive = options.connectionKeepalive;
  return {
    hpackTableSize: options.hpackTableSize ?? d.hpackTableSize,
    maxConcurrentStreams: options.maxConcurrentStreams ?? d.maxConcurrentStreams,
    initialStreamWindowSize: options.initialStreamWindowSize ?? d.initialStreamWindowSize,
    initialConnectionWindowSize: options.initialConnectionWindowSize ?? d.initialConnectionWindowSize,
    ...(keepalive === undefined ? {} : { connectionKeepalive: { intervalMs: durationMs(keepalive.interval, 0), timeoutMs: durationMs(keepalive.timeout, 0) } }),
  };
}
