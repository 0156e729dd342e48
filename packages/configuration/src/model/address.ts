/**
 * Where a listener binds or an endpoint is reached.
 * Envoy: `envoy.config.core.v3.Address` (`socket_address` or `pipe`; `envoy_internal_address` is rejected).
 */
export type Address = SocketAddress | PipeAddress;

/** A TCP address. Envoy: `envoy.config.core.v3.SocketAddress` (UDP, `named_port` and `resolver_name` are rejected). */
export interface SocketAddress {
  readonly type: 'socket';
  /** IP address or host name (`address`). For clusters of type STRICT_DNS / LOGICAL_DNS a name to resolve. */
  readonly host: string;
  /** `port_value`. Default 0 (any free port when listening). */
  readonly port: number;
  /** `protocol`: always TCP (UDP is rejected). */
  readonly protocol: 'tcp';
  /** `ipv4_compat`: an IPv6 listener on `::` also accepts IPv4. Default false. */
  readonly ipv4Compat: boolean;
}

/** A Unix domain socket. Envoy: `envoy.config.core.v3.Pipe`. */
export interface PipeAddress {
  readonly type: 'pipe';
  /** `path` of the socket (`@` prefix: abstract namespace). */
  readonly path: string;
  /** `mode`: file mode of the socket when listening. Default 0 (leave as created). */
  readonly mode: number;
}

/** An IP prefix, e.g. `10.0.0.0/8`. Envoy: `envoy.config.core.v3.CidrRange`. */
export interface CidrRange {
  /** `address_prefix`, e.g. `10.0.0.0` or `2001:db8::`. */
  readonly addressPrefix: string;
  /** `prefix_len`. Default 0. */
  readonly prefixLen: number;
}
