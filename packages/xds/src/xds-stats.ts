/**
 * Per-type-URL subscription stats with Envoy's names (`cluster_manager.cds.*`, `listener_manager.lds.*`,
 * …), for `@orion/metrics` to export. Istio's agent reads these for LDS and CDS.
 */
export interface XdsTypeStats {
  /** Responses received plus stream failures while subscribed (Envoy `update_attempt`). */
  update_attempt: number;
  /** Responses ACKed (Envoy `update_success`). */
  update_success: number;
  /** Responses NACKed (Envoy `update_rejected`). */
  update_rejected: number;
  /** Stream failures while subscribed (Envoy `update_failure`). */
  update_failure: number;
  /** Initial fetch timeouts (Envoy `init_fetch_timeout`). */
  init_fetch_timeout: number;
  /** The last ACKed `version_info` / `system_version_info` (Envoy `version_text`); `''` before any. */
  version: string;
}

/** State of the ADS connection (Envoy `control_plane.*`). */
export interface XdsControlPlaneStats {
  /** 1 while the current stream has received response headers or a response, else 0 (Envoy `connected_state`). */
  connected_state: 0 | 1;
  /** Streams opened, including failed attempts. */
  stream_attempt: number;
  /** Streams that failed or were closed by the server. */
  stream_failure: number;
}

/** Fresh zeroed stats for one type URL. */
export function createXdsTypeStats(): XdsTypeStats {
  return { update_attempt: 0, update_success: 0, update_rejected: 0, update_failure: 0, init_fetch_timeout: 0, version: '' };
}
