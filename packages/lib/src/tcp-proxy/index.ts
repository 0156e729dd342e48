export { TcpProxyFilter } from './tcp-proxy-filter.js';
export type { TcpProxyClusterLookup, TcpProxyConnectionInfo, TcpProxyFilterOptions } from './tcp-proxy-filter.js';
export type { TcpProxySession } from './tcp-proxy-session.js';
export { TcpProxySessionInfo, TcpProxyTimings } from './tcp-proxy-session-info.js';
export type { TcpProxyCounters } from './tcp-proxy-counters.js';
export { buildAccessLogs } from './tcp-proxy-access-log.js';
export type { OwnedAccessLogs, TcpProxyAccessLog } from './tcp-proxy-access-log.js';
