// Connection-specific headers: meaningful for one hop only, never forwarded as they are.

/** Connection options, and names of further hop-by-hop headers (RFC 9110 §7.6.1). */
export const CONNECTION = 'connection';
/** HTTP/1.x keep-alive parameters. */
export const KEEP_ALIVE = 'keep-alive';
/** Non-standard `Connection` sent by some HTTP/1.0 clients. */
export const PROXY_CONNECTION = 'proxy-connection';
/** HTTP/1.1 message framing (`chunked`); forbidden in HTTP/2. */
export const TRANSFER_ENCODING = 'transfer-encoding';
/** Protocol upgrade request (`websocket`, `h2c`); kept on upgrade requests the route allows (`upgrade_configs`). */
export const UPGRADE = 'upgrade';
/** Transfer codings the client accepts; only `te: trailers` may cross into HTTP/2. */
export const TE = 'te';
/** Names the trailer fields that will follow the body. */
export const TRAILER = 'trailer';
/** Authentication challenge of a proxy (407). */
export const PROXY_AUTHENTICATE = 'proxy-authenticate';
/** Credentials for a proxy. */
export const PROXY_AUTHORIZATION = 'proxy-authorization';
/** HTTP/2 SETTINGS sent with an HTTP/1.1 `upgrade: h2c` request. */
export const HTTP2_SETTINGS = 'http2-settings';

/** The only `te` value HTTP/2 allows, and the one Envoy keeps. */
export const TE_TRAILERS = 'trailers';

/** Every hop-by-hop header name above, in declaration order. */
export const HOP_BY_HOP_HEADER_NAMES: readonly string[] = Object.freeze([
  CONNECTION,
  KEEP_ALIVE,
  PROXY_CONNECTION,
  TRANSFER_ENCODING,
  UPGRADE,
  TE,
  TRAILER,
  PROXY_AUTHENTICATE,
  PROXY_AUTHORIZATION,
  HTTP2_SETTINGS,
]);

/**
 * The hop-by-hop headers Envoy's HTTP connection manager removes before forwarding a request or a
 * response: `connection`, `keep-alive`, `proxy-connection`, `transfer-encoding` and `upgrade`
 * (`connection` and `upgrade` stay on an upgrade both sides agreed to). `te` is not listed: Envoy
 * keeps it when its value is `trailers` ({@link TE_TRAILERS}) and drops it otherwise. The proxy-auth
 * headers are end-to-end for Envoy and pass through.
 */
export const STRIPPED_HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  CONNECTION,
  KEEP_ALIVE,
  PROXY_CONNECTION,
  TRANSFER_ENCODING,
  UPGRADE,
]);
