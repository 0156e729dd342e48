/** Where an upstream connection goes: a TCP host:port or a Unix socket path (Envoy's `pipe`). */
export type UpstreamTarget =
  | { readonly type: 'socket'; readonly host: string; readonly port: number }
  | { readonly type: 'pipe'; readonly path: string };

/** `127.0.0.1:8080`, `[::1]:8080` or the pipe path: Envoy's rendering of an upstream address. */
export function targetLabel(target: UpstreamTarget): string {
  if (target.type === 'pipe') return target.path;
  return target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}
