/**
 * Where an upstream host is reached: a TCP host and port, or a Unix socket path (Envoy's `pipe` endpoint).
 * Structurally the same as the transport's `UpstreamTarget`, so a host's address can be handed to a pool directly.
 */
export type UpstreamAddress =
  | { readonly type: 'socket'; /** IP address (resolved for DNS clusters). */ readonly host: string; readonly port: number }
  | { readonly type: 'pipe'; /** Socket path (`@` prefix: abstract namespace). */ readonly path: string };

/** Envoy's rendering of an address (`%UPSTREAM_HOST%`): `10.0.0.1:80`, `[::1]:80` or the pipe path. */
export function upstreamAddressLabel(address: UpstreamAddress): string {
  if (address.type === 'pipe') return address.path;
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
