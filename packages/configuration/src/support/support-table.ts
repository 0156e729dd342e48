import type { ExtensionPoint, MessageSupport } from './message-support.js';

const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const TCP_PROXY = 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';
const FILE_LOG = 'envoy.extensions.access_loggers.file.v3.FileAccessLog';
const STDOUT_LOG = 'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog';
const STDERR_LOG = 'envoy.extensions.access_loggers.stream.v3.StderrAccessLog';
const TLS_INSPECTOR = 'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector';
const RAW_BUFFER = 'envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer';
const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const OTEL_SINK = 'envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig';
const INTERNAL_LISTENER = 'envoy.extensions.bootstrap.internal_listener.v3.InternalListener';

/** The type names of the extensions Orion implements. */
export const ExtensionType = {
  HCM,
  TCP_PROXY,
  ROUTER,
  FILE_LOG,
  STDOUT_LOG,
  STDERR_LOG,
  TLS_INSPECTOR,
  RAW_BUFFER,
  HTTP_PROTOCOL_OPTIONS,
  OTEL_SINK,
  INTERNAL_LISTENER,
} as const;

const HEADER_MUTATIONS = ['request_headers_to_add', 'request_headers_to_remove', 'response_headers_to_add', 'response_headers_to_remove'];

/**
 * The supported and ignored fields of every Envoy message Orion reads, by full message name. This table is the
 * single definition of the three field classes documented in the README: a set field listed nowhere is rejected.
 */
export const SUPPORTED_FIELDS: Readonly<Record<string, MessageSupport>> = {
  // --- bootstrap
  'envoy.config.bootstrap.v3.Bootstrap': {
    supported: ['node', 'static_resources', 'dynamic_resources', 'admin', 'stats_sinks', 'stats_flush_interval', 'stats_config', 'bootstrap_extensions'],
    ignored: ['layered_runtime', 'application_log_config', 'deferred_stat_options', 'stats_server_version_override', 'enable_dispatcher_stats'],
  },
  'envoy.config.bootstrap.v3.Bootstrap.StaticResources': { supported: ['listeners', 'clusters', 'secrets'] },
  'envoy.config.bootstrap.v3.Bootstrap.DynamicResources': { supported: ['lds_config', 'cds_config', 'ads_config'] },
  'envoy.config.bootstrap.v3.Admin': { supported: ['address', 'access_log', 'access_log_path'], ignored: ['profile_path', 'ignore_global_conn_limit'] },
  'envoy.config.core.v3.Node': { supported: ['id', 'cluster', 'metadata', 'locality', 'user_agent_name', 'user_agent_version'] },
  'envoy.config.core.v3.Locality': { supported: ['region', 'zone', 'sub_zone'] },
  'envoy.config.core.v3.TypedExtensionConfig': { supported: ['name', 'typed_config'] },
  'envoy.config.metrics.v3.StatsSink': { supported: ['name', 'typed_config'] },
  [OTEL_SINK]: {
    supported: ['grpc_service', 'report_counters_as_deltas', 'report_histograms_as_deltas', 'emit_tags_as_attributes', 'use_tag_extracted_name', 'prefix'],
  },
  [INTERNAL_LISTENER]: { supported: [] },
  'envoy.config.metrics.v3.StatsConfig': { supported: ['stats_tags', 'use_all_default_tags', 'stats_matcher', 'histogram_bucket_settings'] },
  'envoy.config.metrics.v3.TagSpecifier': { supported: ['tag_name', 'regex', 'fixed_value'] },
  'envoy.config.metrics.v3.StatsMatcher': { supported: ['reject_all', 'inclusion_list', 'exclusion_list'] },
  'envoy.type.matcher.v3.ListStringMatcher': { supported: ['patterns'] },
  'envoy.config.metrics.v3.HistogramBucketSettings': { supported: ['match', 'buckets'] },
  // --- xDS sources
  'envoy.config.core.v3.ConfigSource': { supported: ['ads', 'api_config_source', 'initial_fetch_timeout', 'resource_api_version'] },
  'envoy.config.core.v3.AggregatedConfigSource': { supported: [] },
  'envoy.config.core.v3.ApiConfigSource': { supported: ['api_type', 'transport_api_version', 'grpc_services', 'set_node_on_first_message_only'] },
  'envoy.config.core.v3.GrpcService': { supported: ['envoy_grpc', 'timeout', 'initial_metadata'] },
  'envoy.config.core.v3.GrpcService.EnvoyGrpc': { supported: ['cluster_name', 'authority'] },
  // --- addresses and data
  'envoy.config.core.v3.Address': { supported: ['socket_address', 'pipe'] },
  'envoy.config.core.v3.SocketAddress': { supported: ['protocol', 'address', 'port_value', 'ipv4_compat'] },
  'envoy.config.core.v3.Pipe': { supported: ['path', 'mode'] },
  'envoy.config.core.v3.CidrRange': { supported: ['address_prefix', 'prefix_len'] },
  'envoy.config.core.v3.DataSource': { supported: ['filename', 'inline_bytes', 'inline_string', 'environment_variable'] },
  'envoy.config.core.v3.HeaderValueOption': { supported: ['header', 'append', 'append_action', 'keep_empty_value'] },
  'envoy.config.core.v3.HeaderValue': { supported: ['key', 'value', 'raw_value'] },
  'envoy.config.core.v3.TransportSocket': { supported: ['name', 'typed_config'] },
  [RAW_BUFFER]: { supported: [] },
  // --- listeners
  'envoy.config.listener.v3.Listener': {
    supported: [
      'name',
      'address',
      'stat_prefix',
      'filter_chains',
      'default_filter_chain',
      'per_connection_buffer_limit_bytes',
      'listener_filters',
      'listener_filters_timeout',
      'continue_on_listener_filters_timeout',
      'bind_to_port',
      'tcp_backlog_size',
      'traffic_direction',
    ],
    ignored: ['metadata', 'ignore_global_conn_limit', 'bypass_overload_manager', 'enable_reuse_port', 'max_connections_to_accept_per_socket_event'],
  },
  'envoy.config.listener.v3.FilterChain': { supported: ['filter_chain_match', 'filters', 'name', 'transport_socket'], ignored: ['metadata'] },
  'envoy.config.listener.v3.FilterChainMatch': {
    supported: ['destination_port', 'prefix_ranges', 'direct_source_prefix_ranges', 'source_type', 'source_prefix_ranges', 'source_ports'],
  },
  'envoy.config.listener.v3.Filter': { supported: ['name', 'typed_config'] },
  'envoy.config.listener.v3.ListenerFilter': { supported: ['name', 'typed_config'] },
  [TLS_INSPECTOR]: { supported: ['enable_ja3_fingerprinting'], ignored: ['initial_read_buffer_size'], unsetWhen: { enable_ja3_fingerprinting: false } },
  // --- network filters
  [TCP_PROXY]: { supported: ['stat_prefix', 'cluster', 'weighted_clusters', 'idle_timeout', 'access_log'] },
  'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster': { supported: ['clusters'] },
  'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster.ClusterWeight': { supported: ['name', 'weight'] },
  [HCM]: {
    supported: [
      'codec_type',
      'stat_prefix',
      'rds',
      'route_config',
      'http_filters',
      'access_log',
      'request_timeout',
      'request_headers_timeout',
      'stream_idle_timeout',
      'drain_timeout',
      'common_http_protocol_options',
      'use_remote_address',
      'xff_num_trusted_hops',
      'skip_xff_append',
      'generate_request_id',
      'preserve_external_request_id',
      'always_set_request_id_in_response',
      'server_name',
      'max_request_headers_kb',
      'upgrade_configs',
      'strip_matching_host_port',
      'strip_any_host_port',
      'http_protocol_options',
      'http2_protocol_options',
      'tracing',
    ],
  },
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing': {
    supported: ['client_sampling', 'random_sampling', 'overall_sampling'],
    ignored: ['verbose', 'max_path_tag_length', 'custom_tags', 'spawn_upstream_span'],
  },
  'envoy.type.v3.Percent': { supported: ['value'] },
  'envoy.extensions.filters.network.http_connection_manager.v3.Rds': { supported: ['config_source', 'route_config_name'] },
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter': { supported: ['name', 'typed_config', 'is_optional', 'disabled'] },
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.UpgradeConfig': { supported: ['upgrade_type', 'enabled'] },
  [ROUTER]: { supported: ['suppress_envoy_headers'], ignored: ['dynamic_stats'] },
  'envoy.config.core.v3.HttpProtocolOptions': {
    supported: ['idle_timeout', 'max_connection_duration', 'max_headers_count', 'max_stream_duration', 'max_requests_per_connection'],
  },
  'envoy.config.core.v3.Http1ProtocolOptions': { supported: ['allow_absolute_url', 'accept_http_10', 'default_host_for_http_10'] },
  'envoy.config.core.v3.Http2ProtocolOptions': {
    supported: ['hpack_table_size', 'max_concurrent_streams', 'initial_stream_window_size', 'initial_connection_window_size', 'connection_keepalive'],
  },
  'envoy.config.core.v3.KeepaliveSettings': { supported: ['interval', 'timeout'] },
  // --- access logs
  'envoy.config.accesslog.v3.AccessLog': { supported: ['name', 'typed_config'] },
  [FILE_LOG]: { supported: ['path', 'format', 'json_format', 'typed_json_format', 'log_format'] },
  [STDOUT_LOG]: { supported: ['log_format'] },
  [STDERR_LOG]: { supported: ['log_format'] },
  'envoy.config.core.v3.SubstitutionFormatString': { supported: ['text_format', 'json_format', 'text_format_source', 'omit_empty_values'] },
  // --- routes
  'envoy.config.route.v3.RouteConfiguration': {
    supported: ['name', 'virtual_hosts', ...HEADER_MUTATIONS, 'most_specific_header_mutations_wins', 'validate_clusters', 'max_direct_response_body_size_bytes', 'ignore_port_in_host_matching'],
    ignored: ['metadata'],
  },
  'envoy.config.route.v3.VirtualHost': {
    supported: ['name', 'domains', 'routes', ...HEADER_MUTATIONS, 'retry_policy', 'include_request_attempt_count', 'include_attempt_count_in_response'],
    ignored: ['metadata', 'virtual_clusters'],
  },
  'envoy.config.route.v3.Route': {
    supported: ['name', 'match', 'route', 'redirect', 'direct_response', ...HEADER_MUTATIONS],
    ignored: ['metadata', 'decorator', 'stat_prefix'],
  },
  'envoy.config.route.v3.RouteMatch': { supported: ['prefix', 'path', 'safe_regex', 'path_separated_prefix', 'case_sensitive', 'headers', 'query_parameters', 'grpc'] },
  'envoy.config.route.v3.RouteMatch.GrpcRouteMatchOptions': { supported: [] },
  'envoy.config.route.v3.HeaderMatcher': {
    supported: [
      'name',
      'exact_match',
      'safe_regex_match',
      'range_match',
      'present_match',
      'prefix_match',
      'suffix_match',
      'contains_match',
      'string_match',
      'invert_match',
      'treat_missing_header_as_empty',
    ],
  },
  'envoy.config.route.v3.QueryParameterMatcher': { supported: ['name', 'string_match', 'present_match'] },
  'envoy.type.matcher.v3.StringMatcher': { supported: ['exact', 'prefix', 'suffix', 'safe_regex', 'contains', 'ignore_case'] },
  'envoy.type.matcher.v3.RegexMatcher': { supported: ['regex'], ignored: ['google_re2'] },
  'envoy.type.matcher.v3.RegexMatchAndSubstitute': { supported: ['pattern', 'substitution'] },
  'envoy.type.v3.Int64Range': { supported: ['start', 'end'] },
  'envoy.config.route.v3.RouteAction': {
    supported: [
      'cluster',
      'cluster_header',
      'weighted_clusters',
      'cluster_not_found_response_code',
      'prefix_rewrite',
      'regex_rewrite',
      'host_rewrite_literal',
      'auto_host_rewrite',
      'host_rewrite_header',
      'host_rewrite_path_regex',
      'append_x_forwarded_host',
      'timeout',
      'idle_timeout',
      'retry_policy',
      'hash_policy',
      'upgrade_configs',
      'max_stream_duration',
    ],
  },
  'envoy.config.route.v3.WeightedCluster': { supported: ['clusters', 'total_weight'] },
  'envoy.config.route.v3.WeightedCluster.ClusterWeight': { supported: ['name', 'cluster_header', 'weight', ...HEADER_MUTATIONS, 'host_rewrite_literal'] },
  'envoy.config.route.v3.DirectResponseAction': { supported: ['status', 'body'] },
  'envoy.config.route.v3.RedirectAction': {
    supported: ['https_redirect', 'scheme_redirect', 'host_redirect', 'port_redirect', 'path_redirect', 'prefix_rewrite', 'regex_rewrite', 'response_code', 'strip_query'],
  },
  'envoy.config.route.v3.RetryPolicy': {
    supported: ['retry_on', 'num_retries', 'per_try_timeout', 'per_try_idle_timeout', 'retriable_status_codes', 'retry_back_off', 'retriable_headers', 'retriable_request_headers'],
  },
  'envoy.config.route.v3.RetryPolicy.RetryBackOff': { supported: ['base_interval', 'max_interval'] },
  'envoy.config.route.v3.RouteAction.HashPolicy': { supported: ['header', 'cookie', 'connection_properties', 'query_parameter', 'terminal'] },
  'envoy.config.route.v3.RouteAction.HashPolicy.Header': { supported: ['header_name', 'regex_rewrite'] },
  'envoy.config.route.v3.RouteAction.HashPolicy.Cookie': { supported: ['name', 'ttl', 'path'] },
  'envoy.config.route.v3.RouteAction.HashPolicy.ConnectionProperties': { supported: ['source_ip'] },
  'envoy.config.route.v3.RouteAction.HashPolicy.QueryParameter': { supported: ['name'] },
  'envoy.config.route.v3.RouteAction.UpgradeConfig': { supported: ['upgrade_type', 'enabled'] },
  'envoy.config.route.v3.RouteAction.MaxStreamDuration': { supported: ['max_stream_duration', 'grpc_timeout_header_max', 'grpc_timeout_header_offset'] },
  // --- clusters
  'envoy.config.cluster.v3.Cluster': {
    supported: [
      'name',
      'alt_stat_name',
      'type',
      'eds_cluster_config',
      'connect_timeout',
      'per_connection_buffer_limit_bytes',
      'lb_policy',
      'common_lb_config',
      'load_assignment',
      'typed_extension_protocol_options',
      'dns_refresh_rate',
      'respect_dns_ttl',
      'dns_lookup_family',
      'circuit_breakers',
      'upstream_connection_options',
      'max_requests_per_connection',
      'http_protocol_options',
      'http2_protocol_options',
      'common_http_protocol_options',
      'protocol_selection',
      'ring_hash_lb_config',
      'maglev_lb_config',
      'least_request_lb_config',
      'original_dst_lb_config',
      'cleanup_interval',
      'transport_socket',
    ],
    ignored: ['metadata', 'track_cluster_stats'],
  },
  'envoy.config.cluster.v3.Cluster.EdsClusterConfig': { supported: ['eds_config', 'service_name'] },
  'envoy.config.cluster.v3.Cluster.CommonLbConfig': { supported: ['healthy_panic_threshold'] },
  'envoy.config.cluster.v3.Cluster.OriginalDstLbConfig': { supported: ['use_http_header', 'http_header_name', 'upstream_port_override'] },
  'envoy.config.cluster.v3.Cluster.RingHashLbConfig': { supported: ['minimum_ring_size', 'maximum_ring_size', 'hash_function'] },
  'envoy.config.cluster.v3.Cluster.MaglevLbConfig': { supported: ['table_size'] },
  'envoy.config.cluster.v3.Cluster.LeastRequestLbConfig': { supported: ['choice_count'] },
  'envoy.config.cluster.v3.CircuitBreakers': { supported: ['thresholds'] },
  'envoy.config.cluster.v3.CircuitBreakers.Thresholds': {
    supported: ['priority', 'max_connections', 'max_pending_requests', 'max_requests', 'max_retries'],
    ignored: ['track_remaining'],
  },
  'envoy.config.cluster.v3.UpstreamConnectionOptions': { supported: ['tcp_keepalive'] },
  'envoy.config.core.v3.TcpKeepalive': { supported: ['keepalive_time'] },
  [HTTP_PROTOCOL_OPTIONS]: { supported: ['common_http_protocol_options', 'explicit_http_config', 'use_downstream_protocol_config', 'auto_config'] },
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig': { supported: ['http_protocol_options', 'http2_protocol_options'] },
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions.UseDownstreamHttpConfig': { supported: ['http_protocol_options', 'http2_protocol_options'] },
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions.AutoHttpConfig': { supported: ['http_protocol_options', 'http2_protocol_options'] },
  // --- endpoints
  'envoy.config.endpoint.v3.ClusterLoadAssignment': { supported: ['cluster_name', 'endpoints', 'policy'] },
  'envoy.config.endpoint.v3.ClusterLoadAssignment.Policy': { supported: ['overprovisioning_factor'] },
  'envoy.config.endpoint.v3.LocalityLbEndpoints': { supported: ['locality', 'lb_endpoints', 'load_balancing_weight', 'priority'], ignored: ['metadata'] },
  'envoy.config.endpoint.v3.LbEndpoint': { supported: ['endpoint', 'health_status', 'load_balancing_weight'], ignored: ['metadata'] },
  'envoy.config.endpoint.v3.Endpoint': { supported: ['address', 'hostname'] },
  // --- secrets
  'envoy.extensions.transport_sockets.tls.v3.Secret': { supported: ['name', 'tls_certificate', 'validation_context'] },
  'envoy.extensions.transport_sockets.tls.v3.TlsCertificate': { supported: ['certificate_chain', 'private_key', 'password'] },
  'envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext': { supported: ['trusted_ca'] },
};

/** The extension points Orion reads, by `<message type>.<field>`: which `typed_config` types each accepts. */
export const EXTENSION_POINTS: Readonly<Record<string, ExtensionPoint>> = {
  'envoy.config.listener.v3.Filter.typed_config': { kind: 'network filter', supported: [HCM, TCP_PROXY] },
  'envoy.config.listener.v3.ListenerFilter.typed_config': { kind: 'listener filter', supported: [TLS_INSPECTOR] },
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter.typed_config': {
    kind: 'HTTP filter',
    supported: [ROUTER],
    optionalFlag: 'is_optional',
    disabledFlag: 'disabled',
  },
  'envoy.config.accesslog.v3.AccessLog.typed_config': { kind: 'access logger', supported: [FILE_LOG, STDOUT_LOG, STDERR_LOG] },
  'envoy.config.core.v3.TransportSocket.typed_config': { kind: 'transport socket', supported: [RAW_BUFFER] },
  'envoy.config.cluster.v3.Cluster.typed_extension_protocol_options': { kind: 'protocol options', supported: [HTTP_PROTOCOL_OPTIONS] },
  'envoy.config.metrics.v3.StatsSink.typed_config': { kind: 'stats sink', supported: [OTEL_SINK] },
  'envoy.config.core.v3.TypedExtensionConfig.typed_config': { kind: 'bootstrap extension', supported: [], ignored: [INTERNAL_LISTENER] },
};
