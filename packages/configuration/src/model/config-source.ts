import type { HeaderValue } from './header-value.js';

/**
 * Where xDS resources come from. Envoy: `envoy.config.core.v3.ConfigSource` with `ads` or `api_config_source`
 * (`path`, `path_config_source`, `self` and `authorities` are rejected).
 */
export type ConfigSource =
  | {
      readonly type: 'ads';
      /** `initial_fetch_timeout`; 0 waits forever. Default 15000. */
      readonly initialFetchTimeoutMs: number;
    }
  | {
      readonly type: 'apiConfigSource';
      readonly apiConfigSource: ApiConfigSource;
      /** `initial_fetch_timeout`; 0 waits forever. Default 15000. */
      readonly initialFetchTimeoutMs: number;
    };

/**
 * A gRPC xDS stream. Envoy: `envoy.config.core.v3.ApiConfigSource` with `api_type` GRPC (state of the world) or
 * DELTA_GRPC (incremental); REST is rejected. Unset `api_type` means GRPC, as in Envoy.
 */
export interface ApiConfigSource {
  /** `api_type`: `sotw` for GRPC, `delta` for DELTA_GRPC. Default `sotw`. */
  readonly transport: 'sotw' | 'delta';
  /** `grpc_services`: the management servers, tried in order (at least one). */
  readonly grpcServices: readonly GrpcService[];
  /** `set_node_on_first_message_only`. Default false. */
  readonly setNodeOnFirstMessageOnly: boolean;
}

/** A gRPC server reached through a cluster. Envoy: `envoy.config.core.v3.GrpcService` with `envoy_grpc` (`google_grpc` is rejected). */
export interface GrpcService {
  /** `envoy_grpc.cluster_name`. */
  readonly clusterName: string;
  /** `envoy_grpc.authority`. Default: the cluster name. */
  readonly authority: string;
  /** `timeout` of each call; 0 means none. Default 0. */
  readonly timeoutMs: number;
  /** `initial_metadata` sent with every call. */
  readonly initialMetadata: readonly HeaderValue[];
}
