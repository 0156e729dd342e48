export { Http1PoolSet } from './http1-pool-set.js';
export type { Http1PoolEvents, Http1PoolSettings } from './http1-pool-set.js';
export { Http2ConnectionPool, Http2ConnectTimeoutError } from './http2-connection-pool.js';
export type { Http2PoolEvents, Http2PoolSettings, Http2StreamFailure, Http2StreamRequester } from './http2-connection-pool.js';
export { Http2PoolSet } from './http2-pool-set.js';
export { Http2KeepaliveTimeoutError, startHttp2Keepalive } from './http2-keepalive.js';
export type { Http2KeepaliveSettings } from './http2-keepalive.js';
export { targetLabel } from './upstream-target.js';
export type { UpstreamTarget } from './upstream-target.js';
