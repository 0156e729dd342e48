import type { ListenOptions, ServerOpts } from 'node:net';
import type { Listener } from '@orion/configuration';

/**
 * The `net.Server` options of a listener, kept in one place. Sockets are half-open capable (tcp_proxy forwards a FIN
 * each way) and their stream buffers are sized by `per_connection_buffer_limit_bytes` (Envoy default 1 MiB).
 * `SO_REUSEPORT` is not requested: Node 20 ignores `reusePort`; workers share handles through `node:cluster`.
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
 * Envoy's `@` prefix becomes a Linux abstract socket.
 */
export function listenerListenOptions(listener: Listener): ListenOptions {
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
  };
}
