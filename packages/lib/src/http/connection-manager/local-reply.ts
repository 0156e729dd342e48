/** A local reply: a response Orion generates itself (Envoy's `sendLocalReply`). */
export interface LocalReply {
  readonly status: number;
  /** The body; Envoy's local replies are `text/plain`. Empty: no body. */
  readonly body: string;
  /** A response flag bit from @orion/format's `ResponseFlag` (0 for none). */
  readonly flag: number;
  /** `%RESPONSE_CODE_DETAILS%`, e.g. `route_not_found`. */
  readonly details: string;
  /** Extra response headers (e.g. `location` for redirects). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Envoy's body for a failed upstream connection attempt (`UF`). */
export const UPSTREAM_CONNECT_FAILURE_BODY = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';
/** Envoy's body when the upstream closed or reset before sending headers (`UC`). */
export const UPSTREAM_RESET_BEFORE_HEADERS_BODY = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
/** Envoy's body for a cluster with no healthy host (`UH`). */
export const NO_HEALTHY_UPSTREAM_BODY = 'no healthy upstream';
/** Envoy's body for an upstream request timeout (`UT`). */
export const UPSTREAM_TIMEOUT_BODY = 'upstream request timeout';
/** Envoy's body for a stream idle timeout (`SI`). */
export const STREAM_IDLE_TIMEOUT_BODY = 'stream timeout';
/** Envoy's body for a whole-request timeout. */
export const REQUEST_TIMEOUT_BODY = 'request timeout';
