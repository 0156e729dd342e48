/**
 * The ADS variant: `delta` = incremental xDS over `DeltaAggregatedResources` (`api_type: DELTA_GRPC`),
 * `sotw` = state of the world over `StreamAggregatedResources` (`api_type: GRPC`).
 */
export type XdsProtocol = 'delta' | 'sotw';
