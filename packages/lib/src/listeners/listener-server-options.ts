import type { ListenOptions, ServerOpts } from 'node:net';
import type { Listener } from '@orion/configuration';

/** `server.listen()` options, with `reusePort` (Node ≥ 22.12 / 23.1; older versions ignore it). */
export type ListenerListenOptions = ListenOptions & { readonly reusePort?: boolean };

/** How a process binds its listeners (see {@link listenerListenOptions}). */
export interface ListenerBindSettings {
  /**
   * Bind TCP listeners with `SO_REUSEPORT`, each process its own socket on the shared port (the kernel spreads
   * connections over them), instead of `node:cluster` handle sharing. Only where the running Node honours
   * `reusePort`. Pipe listeners are unaffected. Default false.
   */
  readonly reusePort?: boolean;
}

/**
 * The `net.Server` options of a listener, kept in one place. Sockets are half-open capable (tcp_proxy forwards a FIN
 * each way) and their stream buffers are sized by `per_connection_buffer_limit_bytes` (Envoy default 1 MiB).
 */
export function listenerServerOptions(listener: Listener): ServerOpts {
  return {
    allowHalfOpen: true,
    pauseOnConnect: false,
    noDelay: true,
    highWaterMark: listener.perConnectionBufferLimitBytes,
  };
}

/**
 * `server.listen()` options of a listener: host and port (or pipe path) and `tcp_backlog_size`. An IPv6 address
 * listens IPv6-only unless `ipv4_compat` is set (Envoy's default; Node's default is dual-stack). A pipe path with
 * Envoy's `@` prefix becomes a Linux abstract socket. With `settings.reusePort` a TCP listener asks for
 * `SO_REUSEPORT` and binds in this process (`exclusive`), even in a `node:cluster` worker; otherwise a cluster
 * worker's listen goes through the primary, which shares one handle among the workers.
 */
export function listenerListenOptions(listener: Listener, settings: ListenerBindSettings = {}): ListenerListenOptions {
  const address = listener.address;
  if (address.type === 'pipe') {
    const path = address.path.startsWith('@') ? `\0${address.path.slice(1)}` : address.path;
    return { path, backlog: listener.tcpBacklogSize };
  }
  const v6 = address.host.includes(':');
  return {
    host: address.host,
    port: address.port,
    backlog: listener.tcpBacklogSize,
    ...(v6 ? { ipv6Only: !address.ipv4Compat } : {}),
    ...(settings.reusePort === true ? { reusePort: true, exclusive: true } : {}),
  };
}
