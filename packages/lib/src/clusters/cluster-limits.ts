import type { CircuitBreakerThresholds } from '@orion/configuration';

/**
 * One routing priority's circuit-breaker limits as this worker applies them. Envoy:
 * `circuit_breakers.thresholds` (defaults 1024 connections, 1024 pending requests, 1024 requests, 3 retries).
 * Workers share no memory, so each enforces `ceil(limit / workers)` (see `ClusterManagerOptions.workers`).
 */
export interface ClusterLimits {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
}

/** A cluster's limits for Envoy's two routing priorities. */
export interface ClusterLimitsByPriority {
  readonly default: ClusterLimits;
  readonly high: ClusterLimits;
}

const DEFAULT_THRESHOLDS: CircuitBreakerThresholds = {
  priority: 'default',
  maxConnections: 1024,
  maxPendingRequests: 1024,
  maxRequests: 1024,
  maxRetries: 3,
};

/** This worker's share of a cluster's `circuit_breakers` thresholds. */
export function clusterLimits(thresholds: readonly CircuitBreakerThresholds[], workers: number): ClusterLimitsByPriority {
  const share = (t: CircuitBreakerThresholds | undefined): ClusterLimits => {
    const d = t ?? DEFAULT_THRESHOLDS;
    const split = (n: number): number => Math.ceil(n / Math.max(1, workers));
    return {
      maxConnections: split(d.maxConnections),
      maxPendingRequests: split(d.maxPendingRequests),
      maxRequests: split(d.maxRequests),
      maxRetries: split(d.maxRetries),
    };
  };
  return {
    default: share(thresholds.find((t) => t.priority === 'default')),
    high: share(thresholds.find((t) => t.priority === 'high')),
  };
}
