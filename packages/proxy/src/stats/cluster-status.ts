// The shape `@orion/lib`'s `DataPlane.clusterStatuses()` reports, re-exported where the proxy uses it.
export type { CircuitBreakerStatus, ClusterStatus, HostStatus, HostStatusStats } from '@orion/lib';
