/** The address a listener actually listens on (with the port the kernel chose for port 0). */
export type BoundAddress =
  | { readonly type: 'socket'; readonly host: string; readonly port: number; readonly family: 'IPv4' | 'IPv6' }
  | { readonly type: 'pipe'; readonly path: string };
