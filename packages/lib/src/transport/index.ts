export { Http1PoolSet } from './http1-pool-set.js';
export type { Http1PoolEvents, Http1PoolSettings } from './http1-pool-set.js';
export { targetLabel } from './upstream-target.js';
export type { UpstreamTarget } from './upstream-target.js';
