export { runCli } from './run-cli.js';
export type { CliIo } from './run-cli.js';
export { ORION_VERSION } from './version.js';
export { ProxyErrorCode } from './error-codes.js';
export { EMBEDDED_CONFIG_NAME, serve } from './serve.js';
export type { SignalSource } from './serve.js';

// Logging
export { createLogger } from './logging/logger.js';
export type { Logger, LoggerOptions } from './logging/logger.js';
export type { LogFields, LogRecord, RecordLevel } from './logging/log-record.js';
export { compileLogPattern, DEFAULT_LOG_PATTERN, JSON_LOG_FORMAT, logLineRenderer, renderJsonLine } from './logging/log-line-format.js';
export type { LogLineRenderer } from './logging/log-line-format.js';
export { fileLogDestination, streamLogDestination } from './logging/log-destination.js';
export type { LogDestination } from './logging/log-destination.js';

// Configuration snapshots and change events
export { freezeDeep, snapshotOf } from './config/configuration-snapshot.js';
export type { ConfigurationSnapshot } from './config/configuration-snapshot.js';
export type {
  ClusterConfigurationChange,
  ConfigurationChange,
  EndpointConfigurationChange,
  ListenerConfigurationChange,
  RouteConfigurationChange,
  SecretConfigurationChange,
} from './config/configuration-change.js';
export { diffConfiguration } from './config/diff-configuration.js';
export type { SnapshotResources } from './config/diff-configuration.js';
export { applyConfigurationChanges } from './config/apply-configuration-changes.js';
export { describeChanges } from './config/describe-changes.js';

// Primary and workers
export { Primary } from './primary/primary.js';
export type { PrimaryOptions, PrimaryStats, ReloadOutcome } from './primary/primary.js';
export type { WorkerExit, WorkerFactory, WorkerHandle, WorkerReady } from './primary/worker-handle.js';
export { inProcessWorkers } from './primary/in-process-worker.js';
export { clusterWorkers } from './primary/cluster-worker.js';
export type { ClusterWorkersOptions } from './primary/cluster-worker.js';
export { chooseListenerSharing, clusterPolicyFrom, DEFAULT_CLUSTER_POLICY, describeListenerSharing, reusePortSupported } from './primary/listener-sharing.js';
export type { ClusterSchedulingPolicy, ListenerSharing } from './primary/listener-sharing.js';
export { PortReservations } from './primary/port-reservations.js';
export { allowedCores, parseCpuList, planCpuAffinity } from './primary/cpu-affinity.js';
export type { CpuAffinityPlan } from './primary/cpu-affinity.js';
export { findTaskset, pinProcess } from './primary/taskset.js';
export { WorkerRuntime } from './worker/worker-runtime.js';
export type { WorkerRuntimeOptions } from './worker/worker-runtime.js';
export { runWorkerProcess, WORKER_ID_ENV, WORKER_PID_ENV } from './worker/worker-process.js';
export type { PrimaryMessage, WorkerInit, WorkerMessage } from './worker/worker-messages.js';

// Admin API and stats
export { AdminServer, dispatch } from './admin/admin-server.js';
export type { AdminServerOptions } from './admin/admin-server.js';
export { adminHandlers } from './admin/admin-handlers.js';
export type { AdminContext, ConfigurationTimes } from './admin/admin-context.js';
export type { AdminResponse } from './admin/admin-response.js';
export type { AdminRequest, ParamDescriptor, UrlHandler } from './admin/url-handler.js';
export { applyFieldMask, configDump } from './admin/config-dump.js';
export type { EnvoyJsonSerializers } from './admin/config-dump.js';
export { REDACTING_SERIALIZERS } from './admin/envoy-serializers.js';
export { ProxyAdmin } from './admin/proxy-admin.js';
export type { ProxyAdminOptions } from './admin/proxy-admin.js';
export { ServerState, ServerStats } from './stats/server-stats.js';
export type { ServerCondition, ServerStateName } from './stats/server-stats.js';
export { DEFAULT_STATS_REQUEST_TIMEOUT_MS, mergeClusterStatuses, StatsAggregator } from './stats/stats-aggregator.js';
export type { AggregatedStats } from './stats/stats-aggregator.js';
// `OtlpStatsSinks` (src/stats/otlp-stats-sink.ts) is loaded on demand by `serve`, so importing this module never loads OpenTelemetry.
export type { OtlpStatsSinks } from './stats/otlp-stats-sink.js';
export type { DrainListenersRequest, LogLevelChange, WorkerStats } from './worker/worker-messages.js';
