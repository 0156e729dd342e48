/**
 * The `type.googleapis.com/…` URLs of the Envoy messages Orion's configuration serialises, for building `@type`
 * wrappers (e.g. the admin `/config_dump`'s `ListenersConfigDump.StaticListener.listener`). Frozen.
 */
export const ENVOY_TYPE_URLS = Object.freeze({
  /** `envoy.config.bootstrap.v3.Bootstrap`. */
  bootstrap: 'type.googleapis.com/envoy.config.bootstrap.v3.Bootstrap',
  /** `envoy.config.listener.v3.Listener`. */
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  /** `envoy.config.cluster.v3.Cluster`. */
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  /** `envoy.config.route.v3.RouteConfiguration`. */
  routeConfiguration: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  /** `envoy.config.endpoint.v3.ClusterLoadAssignment`. */
  clusterLoadAssignment: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  /** `envoy.extensions.transport_sockets.tls.v3.Secret`. */
  secret: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
  /** `envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`. */
  httpConnectionManager: 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  /** `envoy.extensions.filters.http.router.v3.Router`. */
  router: 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
  /** `envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`. */
  tcpProxy: 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
  /** `envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector`. */
  tlsInspector: 'type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector',
  /** `envoy.extensions.access_loggers.file.v3.FileAccessLog`. */
  fileAccessLog: 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
  /** `envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`. */
  stdoutAccessLog: 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
  /** `envoy.extensions.access_loggers.stream.v3.StderrAccessLog`. */
  stderrAccessLog: 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StderrAccessLog',
  /** `envoy.extensions.upstreams.http.v3.HttpProtocolOptions` (a cluster's `typed_extension_protocol_options`). */
  httpProtocolOptions: 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  /** `envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig`. */
  openTelemetrySink: 'type.googleapis.com/envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig',
  /** `envoy.admin.v3.BootstrapConfigDump`. */
  bootstrapConfigDump: 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump',
  /** `envoy.admin.v3.ListenersConfigDump`. */
  listenersConfigDump: 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
  /** `envoy.admin.v3.ClustersConfigDump`. */
  clustersConfigDump: 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
  /** `envoy.admin.v3.RoutesConfigDump`. */
  routesConfigDump: 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
  /** `envoy.admin.v3.SecretsConfigDump`. */
  secretsConfigDump: 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump',
  /** `envoy.admin.v3.EndpointsConfigDump`. */
  endpointsConfigDump: 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
} as const);

/** The keys of {@link ENVOY_TYPE_URLS}. */
export type EnvoyTypeUrlName = keyof typeof ENVOY_TYPE_URLS;
