/**
 * What filter-chain selection looks at for one connection: the properties Envoy's
 * `envoy.config.listener.v3.FilterChainMatch` criteria test. Addresses are IP literals as Node reports them
 * (IPv4-mapped IPv6 allowed); `undefined` for Unix-socket (`pipe`) connections.
 */
export interface FilterChainMatchInput {
  /** The local (destination) IP address of the connection. Matched by `destination_port`'s sibling `prefix_ranges`. */
  readonly destinationAddress: string | undefined;
  /** The local (destination) port. Matched by `destination_port`. */
  readonly destinationPort: number | undefined;
  /** The peer address as seen by the proxy (after listener filters such as proxy_protocol; today the socket's). */
  readonly sourceAddress: string | undefined;
  /** The peer port. Matched by `source_ports`. */
  readonly sourcePort: number | undefined;
  /** The directly connected peer address. Matched by `direct_source_prefix_ranges`. Default: {@link sourceAddress}. */
  readonly directSourceAddress?: string | undefined;
}
