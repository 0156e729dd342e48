// HTTP/2 pseudo-header fields (RFC 9113 §8.3, RFC 8441 for `:protocol`). Node's http2 module
// exposes them under these names too.

/** Request method. */
export const PSEUDO_METHOD = ':method';
/** Request target: path and query. */
export const PSEUDO_PATH = ':path';
/** Request authority, the HTTP/2 equivalent of `host`; Envoy's routing key for virtual hosts. */
export const PSEUDO_AUTHORITY = ':authority';
/** Request scheme (`http`/`https`). */
export const PSEUDO_SCHEME = ':scheme';
/** Response status code. */
export const PSEUDO_STATUS = ':status';
/** Extended CONNECT protocol (e.g. `websocket`), RFC 8441. */
export const PSEUDO_PROTOCOL = ':protocol';

/** Every pseudo-header name above, in declaration order. */
export const PSEUDO_HEADER_NAMES: readonly string[] = Object.freeze([
  PSEUDO_METHOD,
  PSEUDO_PATH,
  PSEUDO_AUTHORITY,
  PSEUDO_SCHEME,
  PSEUDO_STATUS,
  PSEUDO_PROTOCOL,
]);
