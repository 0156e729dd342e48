import { create } from '@bufbuild/protobuf';
import {
  Http1ProtocolOptionsSchema,
  Http2ProtocolOptionsSchema,
  HttpProtocolOptionsSchema,
  type Http1ProtocolOptions as Http1Proto,
  type Http2ProtocolOptions as Http2Proto,
  type HttpProtocolOptions as CommonProto,
} from '@orion/data-plane-api/gen/envoy/config/core/v3/protocol_pb.js';
import { DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS, DEFAULT_HTTP2_PROTOCOL_OPTIONS, type CommonHttpProtocolOptions, type Http1ProtocolOptions, type Http2ProtocolOptions } from '../model/http-protocol-options.js';
import { duration, durationUnlessDefault, unlessDefault } from './build-common.js';

/**
 * {@link CommonHttpProtocolOptions} → `envoy.config.core.v3.HttpProtocolOptions` with the fields that differ from
 * the defaults; undefined when none does.
 */
export function buildCommonHttpProtocolOptions(options: CommonHttpProtocolOptions): CommonProto | undefined {
  const d = DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS;
  const differs =
    options.idleTimeoutMs !== d.idleTimeoutMs ||
    options.maxConnectionDurationMs !== d.maxConnectionDurationMs ||
    options.maxHeadersCount !== d.maxHeadersCount ||
    options.maxStreamDurationMs !== d.maxStreamDurationMs ||
    options.maxRequestsPerConnection !== d.maxRequestsPerConnection;
  if (!differs) return undefined;
  return create(HttpProtocolOptionsSchema, {
    idleTimeout: durationUnlessDefault(options.idleTimeoutMs, d.idleTimeoutMs),
    maxConnectionDuration: durationUnlessDefault(options.maxConnectionDurationMs, d.maxConnectionDurationMs),
    maxHeadersCount: unlessDefault(options.maxHeadersCount, d.maxHeadersCount),
    maxStreamDuration: durationUnlessDefault(options.maxStreamDurationMs, d.maxStreamDurationMs),
    maxRequestsPerConnection: unlessDefault(options.maxRequestsPerConnection, d.maxRequestsPerConnection),
  });
}

/** {@link Http1ProtocolOptions} → `envoy.config.core.v3.Http1ProtocolOptions`; undefined when they are the defaults. */
export function buildHttp1ProtocolOptions(options: Http1ProtocolOptions): Http1Proto | undefined {
  if (options.allowAbsoluteUrl && !options.acceptHttp10 && options.defaultHostForHttp10 === '') return undefined;
  return create(Http1ProtocolOptionsSchema, {
    ...(options.allowAbsoluteUrl ? {} : { allowAbsoluteUrl: false }),
    acceptHttp10: options.acceptHttp10,
    defaultHostForHttp10: options.defaultHostForHttp10,
  });
}

/** True when `options` are Envoy's default HTTP/2 settings. */
export function isDefaultHttp2(options: Http2ProtocolOptions): boolean {
  const d = DEFAULT_HTTP2_PROTOCOL_OPTIONS;
  return (
    options.hpackTableSize === d.hpackTableSize &&
    options.maxConcurrentStreams === d.maxConcurrentStreams &&
    options.initialStreamWindowSize === d.initialStreamWindowSize &&
    options.initialConnectionWindowSize === d.initialConnectionWindowSize &&
    options.connectionKeepalive === undefined
  );
}

/** {@link Http2ProtocolOptions} → `envoy.config.core.v3.Http2ProtocolOptions` with the settings that differ from the defaults. */
export function buildHttp2ProtocolOptions(options: Http2ProtocolOptions): Http2Proto {
  const d = DEFAULT_HTTP2_PROTOCOL_OPTIONS;
  const keepalive = options.connectionKeepalive;
  return create(Http2ProtocolOptionsSchema, {
    hpackTableSize: unlessDefault(options.hpackTableSize, d.hpackTableSize),
    maxConcurrentStreams: unlessDefault(options.maxConcurrentStreams, d.maxConcurrentStreams),
    initialStreamWindowSize: unlessDefault(options.initialStreamWindowSize, d.initialStreamWindowSize),
    initialConnectionWindowSize: unlessDefault(options.initialConnectionWindowSize, d.initialConnectionWindowSize),
    ...(keepalive === undefined ? {} : { connectionKeepalive: { interval: durationUnlessDefault(keepalive.intervalMs, 0), timeout: duration(keepalive.timeoutMs) } }),
  });
}
