/**
 * The parts of a downstream request the router reads. The connection manager fills it once per request; the router
 * never keeps it.
 */
export interface RouteRequest {
  /** `:method`, upper-case. */
  readonly method: string;
  /** `:authority` (HTTP/2) or `Host` (HTTP/1), as received. */
  readonly authority: string;
  /** `:path`: the raw request target, with its query string. */
  readonly path: string;
  /** `:scheme` of the request; also taken as its `x-forwarded-proto` when a redirect decides whether to keep the port. */
  readonly scheme: 'http' | 'https';
  /** The port of the listener that accepted the connection (for `strip_matching_host_port`). */
  readonly listenerPort: number;
  /** A request header by lower-case name; several values of one header are joined with `,`. Undefined: absent. */
  getHeader(lowercaseName: string): string | undefined;
}

/**
 * Which port the connection manager removes from the host before routing. Envoy: the HCM's
 * `strip_matching_host_port` (`matching`: only the listener's port) and `strip_any_host_port` (`any`). Default `none`.
 */
export type StripPortMode = 'none' | 'matching' | 'any';
