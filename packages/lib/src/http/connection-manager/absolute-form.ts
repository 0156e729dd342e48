/** An absolute-form request target split as Envoy's HTTP/1.1 codec splits it. */
export interface AbsoluteForm {
  /** `http` or `https`, lower case. */
  readonly scheme: string;
  /** Host and port: the request's new `Host`. */
  readonly authority: string;
  /** Path and query (`/` when the target has none). */
  readonly path: string;
}

/**
 * Splits an absolute-form request target (`http://host:port/path?query`, RFC 9112 §3.2.2), as clients send it to a
 * proxy they were configured to use (`http_proxy`), and as Envoy accepts by default (`allow_absolute_url`). Returns
 * undefined for anything else (Envoy answers such a target with 400 `http1.invalid_url`): another scheme, no host,
 * user information, or a fragment.
 */
export function parseAbsoluteForm(target: string): AbsoluteForm | undefined {
  const colon = target.indexOf('://');
  if (colon <= 0) return undefined;
  const scheme = target.slice(0, colon).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const hostStart = colon + 3;
  let hostEnd = hostStart;
  while (hostEnd < target.length) {
    const c = target.charCodeAt(hostEnd);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */) break;
    // `@` (user information) and `#` (a fragment) have no place in a request target.
    if (c === 0x40 || c === 0x23) return undefined;
    hostEnd++;
  }
  if (hostEnd === hostStart) return undefined;
  const rest = target.slice(hostEnd);
  if (rest.includes('#')) return undefined;
  const path = rest === '' ? '/' : rest.charCodeAt(0) === 0x3f ? `/${rest}` : rest;
  return { scheme, authority: target.slice(hostStart, hostEnd), path };
}
