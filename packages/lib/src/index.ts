export { LibErrorCode } from './error-codes.js';

// Data plane assembly
export { DataPlane } from './data-plane/data-plane.js';
export type { DataPlaneOptions, DataPlaneResources, DataPlaneSettings, DataPlaneUpdateResult, ListenerDrainOptions, ListenerSelection } from './data-plane/data-plane.js';
export { drainDecision } from './data-plane/drain-decision.js';
export type { DrainDecisionOptions, DrainStrategy } from './data-plane/drain-decision.js';
export { ClusterWithPools } from './data-plane/cluster-pools.js';
export { noopDataPlaneLogger } from './data-plane/data-plane-logger.js';
export type { DataPlaneLogger } from './data-plane/data-plane-logger.js';
export { inlineRouteChanges } from './data-plane/listener-route-changes.js';
export type { InlineRouteChange } from './data-plane/listener-route-changes.js';

// Stats
export { clusterStatus, healthFlagsOf } from './stats/cluster-status.js';
export type { CircuitBreakerStatus, ClusterStatus, HostStatus, HostStatusStats } from './stats/cluster-status.js';
export { StatsSync } from './stats/stats-sync.js';
export type { PlainStatsLayout } from './stats/stats-sync.js';
export { CLUSTER_STATS_LAYOUT, HTTP_STATS_LAYOUT, LISTENER_STATS_LAYOUT, TCP_PROXY_STATS_LAYOUT } from './stats/plain-stats-layouts.js';
export { ClusterRequestStats } from './stats/cluster-request-stats.js';
export { ResponseCodeCounters } from './stats/response-code-counters.js';
export { NOOP_HISTOGRAM } from './stats/histogram-recorder.js';
export type { HistogramRecorder } from './stats/histogram-recorder.js';

// Access logs
export { AccessLogSink } from './access-log/access-log-sink.js';
export type { AccessLogSinkOptions, AccessLogSinkStats, AccessLogTarget } from './access-log/access-log-sink.js';
export { AccessLogSinks } from './access-log/access-log-sinks.js';
export { AccessLogger } from './access-log/access-logger.js';
export { createAccessLogger } from './access-log/create-access-logger.js';

// HTTP connection manager
export { ConnectionManager } from './http/connection-manager/connection-manager.js';
export type { ConnectionManagerOptions, DownstreamConnection } from './http/connection-manager/connection-manager.js';
export { createConnectionManagerStats } from './http/connection-manager/connection-manager-stats.js';
export type { ConnectionManagerStats } from './http/connection-manager/connection-manager-stats.js';
export { decideForwarding } from './http/connection-manager/forwarded-for.js';
export type { ForwardingDecision, ForwardingSettings } from './http/connection-manager/forwarded-for.js';
export { isInternalAddress } from './http/connection-manager/internal-address.js';
export { HttpStreamInfo, StreamTimings } from './http/connection-manager/http-stream-info.js';
export type { ClusterLookup, LoadBalancerRequest, MutableHeaders, UpstreamClusterRef, UpstreamHostRef } from './http/connection-manager/ports.js';
export { detectCodec } from './http/connection-manager/codec-sniffer.js';
export type { DownstreamCodec } from './http/connection-manager/codec-sniffer.js';
export type { DownstreamRequest, DownstreamResponse } from './http/connection-manager/downstream.js';
export { Http2ServerExchange } from './http/connection-manager/http2-server-exchange.js';
export { isUpgradeAllowed } from './http/connection-manager/upgrade-policy.js';
export { UpstreamRequest } from './http/upstream-request.js';
export type { UpstreamRequestCallbacks } from './http/upstream-request.js';
export { Http2UpstreamRequest } from './http/http2-upstream-request.js';
export { classifyUpstreamError, resetReasonText, upstreamFailureFlag } from './http/upstream-failure.js';
export type { UpstreamFailureReason } from './http/upstream-failure.js';
export { RetryState } from './http/retry-state.js';
export type { RetryDecision, RetryTrigger } from './http/retry-state.js';
export { JitteredBackoff } from './http/jittered-backoff.js';
export { ReplayableRequestBody } from './http/replayable-request-body.js';
export type { ReplayableRequestBodyEvents } from './http/replayable-request-body.js';
export { encodeGrpcMessage, GrpcStatus, httpToGrpcStatus } from './http/grpc-status.js';
export { grpcTimeoutMs } from './http/grpc-timeout.js';

// Router
export {
  applyRequestHeaderMutations,
  applyResponseHeaderMutations,
  compileRouteConfiguration,
  CompiledRouteConfiguration,
  directResponse,
  HeaderMutator,
  HeaderValueTemplate,
  hostPortStart,
  pickWeightedCluster,
  Re2Regex,
  redirectLocation,
  RegexRewriter,
  resolveForward,
  RouterErrorCode,
  stripHostPort,
} from './http/router/index.js';
export type {
  CompiledClusterSpecifier,
  CompiledHostRewrite,
  CompiledPathRewrite,
  CompiledRedirectPathRewrite,
  CompiledRoute,
  CompiledRouteAction,
  CompiledVirtualHost,
  CompiledWeightedCluster,
  DirectResponse,
  ForwardDecision,
  PathMatcher,
  RedirectResponse,
  RouteRequest,
  RouteSelection,
  RouteTableOptions,
  StripPortMode,
} from './http/router/index.js';

// Transport
export {
  Http1ConnectionPool,
  Http1PoolSet,
  Http2ConnectionPool,
  Http2ConnectTimeoutError,
  Http2KeepaliveTimeoutError,
  Http2PoolSet,
  loadNativeHttpParser,
  startHttp2Keepalive,
  targetLabel,
} from './transport/index.js';
export type {
  Http1Dispatcher,
  Http1DispatchOptions,
  Http1PoolEvents,
  Http1PoolSettings,
  Http1ResponseHandler,
  Http2KeepaliveSettings,
  Http2PoolEvents,
  Http2PoolSettings,
  Http2StreamFailure,
  Http2StreamRequester,
  UpstreamTarget,
} from './transport/index.js';

// Clusters
export { ClusterManager, configEqual, createDnsResolver, healthClass, selectFamily, systemDnsResolver, upstreamAddressLabel, xxHash64 } from './clusters/index.js';
export type {
  ClusterCounters,
  ClusterManagerOptions,
  ClusterUpdateResult,
  DnsLookupFamily,
  DnsResolver,
  ResolvedAddresses,
  HostHealthClass,
  LoadBalancerContext,
  MembershipListener,
  PriorityLevel,
  RandomSource,
  UpstreamAddress,
  UpstreamCluster,
  UpstreamHost,
  UpstreamHostCounters,
  UpstreamRequestOutcome,
} from './clusters/index.js';

// Listeners and filter chains
export { listenerListenOptions, ListenerManager, listenerServerOptions, nextConnectionId } from './listeners/index.js';
export type {
  BoundAddress,
  ListenerBindSettings,
  ListenerListenOptions,
  ConnectionHandler,
  DrainingListener,
  ListenerApplyResult,
  ListenerConnectionInfo,
  ListenerCounters,
  ListenerManagerOptions,
  ListenerView,
} from './listeners/index.js';
export { compileIpPrefix, FilterChainMatcher, isLoopback, parseIp, prefixContains } from './filter-chain/index.js';
export type { FilterChainMatchInput, IpFamily, IpPrefix } from './filter-chain/index.js';

// tcp_proxy
export { buildAccessLogs, TcpProxyFilter, TcpProxySessionInfo, TcpProxyTimings } from './tcp-proxy/index.js';
export type { OwnedAccessLogs, TcpProxyAccessLog, TcpProxyConnectionInfo, TcpProxyCounters, TcpProxyFilterOptions } from './tcp-proxy/index.js';
