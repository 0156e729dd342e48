/** The error codes of @orion/lib (listed in its README's Errors table). */
export const LibErrorCode = {
  /** An access-log file cannot be opened. */
  ACCESS_LOG_OPEN: 'ORION_ERR_LIB_ACCESS_LOG_OPEN',
  /** A filter-chain match cannot be compiled (a prefix that is not an IP address, a length out of range). */
  FILTER_CHAIN_INVALID: 'ORION_ERR_LIB_FILTER_CHAIN_INVALID',
  /** Two filter chains of one listener match exactly the same connections. */
  FILTER_CHAIN_CONFLICT: 'ORION_ERR_LIB_FILTER_CHAIN_CONFLICT',
  /** A listener cannot bind or listen on its address. */
  LISTENER_BIND: 'ORION_ERR_LIB_LISTENER_BIND',
  /** Two listeners given to one `ListenerManager.apply` share a name. */
  LISTENER_DUPLICATE: 'ORION_ERR_LIB_LISTENER_DUPLICATE',
  /** A cluster uses a discovery type, load-balancing policy or endpoint this data plane does not implement. */
  CLUSTER_UNSUPPORTED: 'ORION_ERR_LIB_CLUSTER_UNSUPPORTED',
  /** Two clusters given to one `ClusterManager` share a name. */
  CLUSTER_DUPLICATE: 'ORION_ERR_LIB_CLUSTER_DUPLICATE',
  /** A cluster's endpoints are unusable (a STATIC endpoint that is not an IP address, a bad port). */
  CLUSTER_INVALID: 'ORION_ERR_LIB_CLUSTER_INVALID',
  /** A `ClusterManager` or `ListenerManager` is used after `close()`. */
  MANAGER_CLOSED: 'ORION_ERR_LIB_MANAGER_CLOSED',
  /** A tcp_proxy access log cannot be built (its format does not parse or its source cannot be read). */
  TCP_PROXY_ACCESS_LOG: 'ORION_ERR_LIB_TCP_PROXY_ACCESS_LOG',
  /** A route table cannot be compiled (a regex that RE2 rejects, a bad rewrite). */
  ROUTE_CONFIG: 'ORION_ERR_LIB_ROUTE_CONFIG',
  /** A direct response body cannot be read or is larger than `max_direct_response_body_size_bytes`. */
  ROUTE_DIRECT_RESPONSE_BODY: 'ORION_ERR_LIB_ROUTE_DIRECT_RESPONSE_BODY',
  /** A cluster's connection pools were asked for a host's pool after they were closed. */
  POOL_SET_CLOSED: 'ORION_ERR_LIB_POOL_SET_CLOSED',
  /** A connection manager's routes come from a source the data plane cannot use yet (RDS before xDS is wired). */
  ROUTE_SOURCE_UNSUPPORTED: 'ORION_ERR_LIB_ROUTE_SOURCE_UNSUPPORTED',
  /** This Node.js has no native HTTP parser binding of the shape the HTTP/1.1 downstream codec uses. */
  HTTP1_PARSER_UNAVAILABLE: 'ORION_ERR_LIB_HTTP1_PARSER_UNAVAILABLE',
} as const;

/** One of {@link LibErrorCode}'s values. */
export type LibErrorCode = (typeof LibErrorCode)[keyof typeof LibErrorCode];
