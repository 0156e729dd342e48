// gRPC over HTTP/2 header names (PROTOCOL-HTTP2.md). The `content-type` values that mark a gRPC
// request live in grpc-content-type.ts.

/** gRPC status code (decimal) in the trailers, or in headers of a trailers-only response. */
export const GRPC_STATUS = 'grpc-status';
/** Percent-encoded status message accompanying `grpc-status`. */
export const GRPC_MESSAGE = 'grpc-message';
/** Client deadline (`<digits><H|M|S|m|u|n>`); Envoy caps the route timeout with it when `max_grpc_timeout` is set. */
export const GRPC_TIMEOUT = 'grpc-timeout';
/** Compression of the message payloads (`identity`, `gzip`, …). */
export const GRPC_ENCODING = 'grpc-encoding';
/** Compressions the sender accepts. */
export const GRPC_ACCEPT_ENCODING = 'grpc-accept-encoding';
/** Binary (`-bin`, base64) `google.rpc.Status` with error details. */
export const GRPC_STATUS_DETAILS_BIN = 'grpc-status-details-bin';

/** Every gRPC header name above, in declaration order. */
export const GRPC_HEADER_NAMES: readonly string[] = Object.freeze([
  GRPC_STATUS,
  GRPC_MESSAGE,
  GRPC_TIMEOUT,
  GRPC_ENCODING,
  GRPC_ACCEPT_ENCODING,
  GRPC_STATUS_DETAILS_BIN,
]);
