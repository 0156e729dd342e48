/**
 * What the caller knows about the request or connection a host is chosen for. Envoy: `LoadBalancerContext`.
 * Every field is optional; tcp_proxy passes nothing.
 */
export interface LoadBalancerContext {
  /**
   * Request header lookup by lower-case name. ORIGINAL_DST clusters read their `http_header_name`
   * (default `x-envoy-original-dst-host`) here.
   */
  getHeader?(lowercaseName: string): string | undefined;
  /**
   * The request's hash (from the route's `hash_policy`, see {@link xxHash64}) for RING_HASH and MAGLEV clusters.
   * Absent: those clusters pick a random host, as Envoy does.
   */
  readonly hashKey?: bigint | undefined;
}
