/** The error codes of @orion/proxy (listed in its README's Errors table). */
export const ProxyErrorCode = {
  /** A worker could not start: its data plane could not be built (a port in use, an unsupported feature) or it exited first. */
  WORKER_START: 'ORION_ERR_PROXY_WORKER_START',
  /** A worker exited while the primary was waiting for its answer. */
  WORKER_EXIT: 'ORION_ERR_PROXY_WORKER_EXIT',
  /** A worker could not apply a configuration change; the running configuration was restored. */
  CONFIG_APPLY: 'ORION_ERR_PROXY_CONFIG_APPLY',
  /** A reload was asked for while the proxy is shutting down. */
  RELOAD_REFUSED: 'ORION_ERR_PROXY_RELOAD_REFUSED',
  /** A message between the primary and a worker was not understood. */
  IPC: 'ORION_ERR_PROXY_IPC',
  /** Orion's own log file cannot be opened. */
  LOG_FILE: 'ORION_ERR_PROXY_LOG_FILE',
  /** The admin listener cannot listen on `admin.address`, or its `access_log` cannot be built. */
  ADMIN: 'ORION_ERR_PROXY_ADMIN',
  /** A `stats_sinks` entry cannot be served (its gRPC service names an unknown or unusable cluster). */
  STATS_SINK: 'ORION_ERR_PROXY_STATS_SINK',
  /** `stats_config` cannot be served: a `stats_tags` entry with an empty regex whose `tag_name` has no default extractor. */
  STATS_CONFIG: 'ORION_ERR_PROXY_STATS_CONFIG',
} as const;

/** One of {@link ProxyErrorCode}'s values. */
export type ProxyErrorCode = (typeof ProxyErrorCode)[keyof typeof ProxyErrorCode];
