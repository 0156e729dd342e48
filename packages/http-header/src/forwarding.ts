// Headers that carry the client's identity and the request's identity across proxies.

/** Client address chain; the HCM appends the peer when `use_remote_address` is on and reads it per `xff_num_trusted_hops`. */
export const X_FORWARDED_FOR = 'x-forwarded-for';
/** Scheme the client used (`http`/`https`); set by the HCM when absent or untrusted. */
export const X_FORWARDED_PROTO = 'x-forwarded-proto';
/** Original `:authority`, set when a route's host rewrite has `append_x_forwarded_host`. */
export const X_FORWARDED_HOST = 'x-forwarded-host';
/** Port the client connected to, set when HCM `append_x_forwarded_port` is on. */
export const X_FORWARDED_PORT = 'x-forwarded-port';
/** Client certificate details, handled per HCM `forward_client_cert_details`. */
export const X_FORWARDED_CLIENT_CERT = 'x-forwarded-client-cert';
/** RFC 7239 `Forwarded` header (`for=…;proto=…;host=…`), the standard form of the `x-forwarded-*` headers. */
export const FORWARDED = 'forwarded';
/** Unique request id (UUID v4); generated for edge requests unless `preserve_external_request_id`, and used for trace sampling. */
export const X_REQUEST_ID = 'x-request-id';
/** Trace id chosen by the client; forces tracing like `x-envoy-force-trace` (runtime `tracing.client_enabled`). */
export const X_CLIENT_TRACE_ID = 'x-client-trace-id';
/** RFC 9110 `Via`; appended on requests and responses when HCM `via` is set. */
export const VIA = 'via';

/** Every forwarding header name above, in declaration order. */
export const FORWARDING_HEADER_NAMES: readonly string[] = Object.freeze([
  X_FORWARDED_FOR,
  X_FORWARDED_PROTO,
  X_FORWARDED_HOST,
  X_FORWARDED_PORT,
  X_FORWARDED_CLIENT_CERT,
  FORWARDED,
  X_REQUEST_ID,
  X_CLIENT_TRACE_ID,
  VIA,
]);
