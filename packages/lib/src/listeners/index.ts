export { ListenerManager } from './listener-manager.js';
export type { ListenerApplyResult, ListenerManagerOptions, ListenerView } from './listener-manager.js';
export type { ConnectionHandler, ListenerConnectionInfo } from './listener-connection.js';
export type { DrainingListener } from './active-listener.js';
export type { BoundAddress } from './bound-address.js';
export type { ListenerCounters } from './listener-counters.js';
export { nextConnectionId } from './connection-id.js';
export { listenerListenOptions, listenerServerOptions } from './listener-server-options.js';
export type { ListenerBindSettings, ListenerListenOptions } from './listener-server-options.js';
