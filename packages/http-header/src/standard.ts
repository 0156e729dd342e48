// General HTTP headers (RFC 9110 and friends) that Orion reads or writes itself.

/** HTTP/1.1 request authority; mapped to and from `:authority`. */
export const HOST = 'host';
/** Media type of the body; also how gRPC is recognised. */
export const CONTENT_TYPE = 'content-type';
/** Body length in bytes. */
export const CONTENT_LENGTH = 'content-length';
/** Body coding (`gzip`, `br`, …). */
export const CONTENT_ENCODING = 'content-encoding';
/** Codings the client accepts. */
export const ACCEPT_ENCODING = 'accept-encoding';
/** Media types the client accepts. */
export const ACCEPT = 'accept';
/** Response date; the HCM sets it on every response it encodes. */
export const DATE = 'date';
/** Server name, set on responses per HCM `server_name` / `server_header_transformation`. */
export const SERVER = 'server';
/** Client software; set from `--service-cluster` when HCM `user_agent` is on and the request has none. */
export const USER_AGENT = 'user-agent';
/** Redirect target of `redirect` routes and of internal redirects. */
export const LOCATION = 'location';
/** `100-continue` handshake (HCM `proxy_100_continue`). */
export const EXPECT = 'expect';
/** Request credentials, e.g. for ext_authz or RBAC header matchers. */
export const AUTHORIZATION = 'authorization';
/** Authentication challenge (401). */
export const WWW_AUTHENTICATE = 'www-authenticate';
/** Request cookies; ring-hash/maglev `hash_policy.cookie` reads it. */
export const COOKIE = 'cookie';
/** Response cookies; `hash_policy.cookie` with a `ttl` sets one. */
export const SET_COOKIE = 'set-cookie';
/** Caching directives of local replies and of the admin API. */
export const CACHE_CONTROL = 'cache-control';
/** Response variance, e.g. on `accept-encoding`. */
export const VARY = 'vary';
/** Referring URL; Envoy drops it when it is not a valid URL. */
export const REFERER = 'referer';
/** Seconds to wait before retrying (429/503); read for rate-limited retry back-off. */
export const RETRY_AFTER = 'retry-after';
/** RFC 9209 proxy error details (HCM `proxy_status_config`). */
export const PROXY_STATUS = 'proxy-status';

/** Every standard header name above, in declaration order. */
export const STANDARD_HEADER_NAMES: readonly string[] = Object.freeze([
  HOST,
  CONTENT_TYPE,
  CONTENT_LENGTH,
  CONTENT_ENCODING,
  ACCEPT_ENCODING,
  ACCEPT,
  DATE,
  SERVER,
  USER_AGENT,
  LOCATION,
  EXPECT,
  AUTHORIZATION,
  WWW_AUTHENTICATE,
  COOKIE,
  SET_COOKIE,
  CACHE_CONTROL,
  VARY,
  REFERER,
  RETRY_AFTER,
  PROXY_STATUS,
]);
