export { ConfigurationErrorCode } from './error-codes.js';
export { loadConfiguration, loadConfigurationFromCli } from './load-configuration.js';
export type { LoadConfigurationOptions, LoadedConfiguration } from './load-configuration.js';
export { convertCluster, convertClusterLoadAssignment, convertListener, convertRouteConfiguration, convertSecret } from './convert-resource.js';
export type { Converted, ConvertResourceOptions } from './convert-resource.js';
export { CLI_USAGE, parseCliOptions, parseLogLevel } from './cli-options.js';
export type { CliOptions } from './cli-options.js';
export { configurationError } from './configuration-error.js';
// Issues are @orion/data-plane-api's, so every layer above renders them the same way without depending on it.
export { formatIssue } from '@orion/data-plane-api';
export type { DecodeIssue, SourceLocation } from '@orion/data-plane-api';
export { accessLogFormatProblem } from './access-log-format.js';
export type { AccessLogFormatProblem } from './access-log-format.js';
export { checkSupported } from './support/check-supported.js';
export type { CheckSupportedOptions, SupportFinding } from './support/check-supported.js';
export { EXTENSION_POINTS, ExtensionType, SUPPORTED_FIELDS } from './support/support-table.js';
export type { ExtensionPoint, MessageSupport } from './support/message-support.js';
export { DEFAULT_ACCESS_LOG_FORMAT } from './model/access-log.js';
export type { AccessLog, AccessLogFormat, AccessLogSink } from './model/access-log.js';
export type { Address, CidrRange, PipeAddress, SocketAddress } from './model/address.js';
export type { Admin, Bootstrap, DynamicResources, HistogramBucketSettings, Node, StaticResources, StatsConfig, StatsMatcher, StatsSink, TagSpecifier } from './model/bootstrap.js';
export { DEFAULT_STATS_CONFIG } from './model/bootstrap.js';
export type { CircuitBreakerThresholds, Cluster, ClusterDiscovery, DnsSettings, LbPolicy, UpstreamHttpProtocol } from './model/cluster.js';
export type { ClusterLoadAssignment, HealthStatus, LbEndpoint, Locality, LocalityLbEndpoints } from './model/cluster-load-assignment.js';
export type { ApiConfigSource, ConfigSource, GrpcService } from './model/config-source.js';
export type { DataSource } from './model/data-source.js';
export type { HeaderAppendAction, HeaderMutations, HeaderValueOption } from './model/header-mutation.js';
export type { HeaderValue } from './model/header-value.js';
export type { HcmTracing, HttpConnectionManager, HttpFilter, RouteSpecifier, RouterFilter } from './model/http-connection-manager.js';
export { DEFAULT_COMMON_HTTP_PROTOCOL_OPTIONS, DEFAULT_HTTP1_PROTOCOL_OPTIONS, DEFAULT_HTTP2_PROTOCOL_OPTIONS } from './model/http-protocol-options.js';
export type { CommonHttpProtocolOptions, Http1ProtocolOptions, Http2ProtocolOptions } from './model/http-protocol-options.js';
export type { JsonObject, JsonValue } from './model/json-value.js';
export type { FilterChain, FilterChainMatch, Listener, ListenerFilter, NetworkFilter, TrafficDirection } from './model/listener.js';
export type { LogLevel, Logging } from './model/logging.js';
export type {
  ClusterSpecifier,
  DirectResponseAction,
  ForwardAction,
  GrpcRetryOn,
  HashPolicy,
  HostRewrite,
  MaxStreamDuration,
  PathRewrite,
  RedirectAction,
  RedirectPathRewrite,
  RetryOn,
  RetryPolicy,
  RouteAction,
  UpgradeConfig,
  WeightedCluster,
} from './model/route-action.js';
export type { Route, RouteConfiguration, VirtualHost } from './model/route-configuration.js';
export type { HeaderMatch, HeaderMatcher, PathMatch, QueryParameterMatcher, RouteMatch } from './model/route-match.js';
export type { AffinityStrategy, Runtime } from './model/runtime.js';
export type { Secret } from './model/secret.js';
export type { RegexRewrite, StringMatcher } from './model/string-matcher.js';
export type { TcpProxy, TcpProxyCluster } from './model/tcp-proxy.js';
export {
  bootstrapToEnvoyJson,
  clusterLoadAssignmentToEnvoyJson,
  clusterToEnvoyJson,
  listenerToEnvoyJson,
  routeConfigurationToEnvoyJson,
  secretToEnvoyJson,
} from './serialize/to-envoy-json.js';
export type { SerializeOptions } from './serialize/serialize-options.js';
export { ENVOY_TYPE_URLS } from './serialize/envoy-type-urls.js';
export type { EnvoyTypeUrlName } from './serialize/envoy-type-urls.js';
