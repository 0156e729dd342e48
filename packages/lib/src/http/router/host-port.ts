import type { RouteRequest, StripPortMode } from './route-request.js';

/**
 * Index of the `:` that starts the port of `host`, or -1 when it has none. An IPv6 literal is bracketed
 * (`[::1]:80`), so a colon before the closing `]` is not a port. Envoy: `HeaderUtility::getPortStart`.
 */
export function hostPortStart(host: string): number {
  const colon = host.lastIndexOf(':');
  if (colon < 0) return -1;
  const bracket = host.lastIndexOf(']');
  return bracket < 0 || bracket < colon ? colon : -1;
}

/** The port after `start` as a number when it is all decimal digits and fits in 32 bits, else -1. */
function parsePort(host: string, start: number): number {
  if (start + 1 >= host.length) return -1;
  let port = 0;
  for (let i = start + 1; i < host.length; i++) {
    const c = host.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    port = port * 10 + c;
    if (port > 0xffffffff) return -1;
  }
  return port;
}

/**
 * The authority with its port removed as the connection manager does before routing. Envoy: the HCM's
 * `strip_matching_host_port` (`matching`: only when the port equals `listenerPort`) and `strip_any_host_port`
 * (`any`), applied by `HeaderUtility::stripPortFromHost`; a port that is not a number is kept. Default mode `none`
 * returns `authority` unchanged. The connection manager should also forward the stripped value, as Envoy rewrites
 * the `Host` header itself.
 */
export function stripHostPort(authority: string, mode: StripPortMode, listenerPort: number): string {
  if (mode === 'none') return authority;
  const start = hostPortStart(authority);
  if (start < 0) return authority;
  const port = parsePort(authority, start);
  if (port < 0 || (mode === 'matching' && port !== listenerPort)) return authority;
  return authority.slice(0, start);
}

/** The authority of `req` with `mode` applied: the host the router matches domains and builds redirects with. */
export function routingAuthority(req: RouteRequest, mode: StripPortMode): string {
  return stripHostPort(req.authority, mode, req.listenerPort);
}
