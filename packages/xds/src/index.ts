export { DiscoveryClient, createDiscoveryClient } from './discovery-client.js';
export type { DiscoveryClientOptions, XdsNode, XdsResourceInterest } from './discovery-client.js';
export { DiscoveryClientBuilder } from './discovery-client-builder.js';
export type { XdsBatch, XdsBatchSource, XdsNackOptions, XdsRemoval, XdsRemovalReason, XdsResourceError, XdsUpdate } from './xds-batch.js';
export { mapBinding } from './xds-binding.js';
export type { XdsBinding } from './xds-binding.js';
export {
  clusterBinding,
  clusterLoadAssignmentBinding,
  listenerBinding,
  protoBinding,
  routeConfigurationBinding,
  secretBinding,
} from './proto-bindings.js';
export type { ProtoBindingOptions } from './proto-bindings.js';
export {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  RESOURCE_WRAPPER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  xdsShortName,
} from './type-urls.js';
export { formatXdsTarget, parseXdsTarget } from './xds-target.js';
export type { XdsTarget } from './xds-target.js';
export { adsTargetFromBootstrap } from './ads-target-from-bootstrap.js';
export type { AdsBootstrapTarget } from './ads-target-from-bootstrap.js';
export type { XdsProtocol } from './xds-protocol.js';
export { backoffDelayMs } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export type { XdsControlPlaneStats, XdsTypeStats } from './xds-stats.js';
export { noopXdsLogger } from './xds-logger.js';
export type { XdsLogger } from './xds-logger.js';
export { endpointNameOfCluster, routeNamesOfListener } from './resource-references.js';
export { runXdsCli, XDS_CLI_USAGE } from './run-xds-cli.js';
export type { XdsCliIo } from './run-xds-cli.js';
export type { CliOutput } from './watch-command.js';
export {
  ORION_ERR_XDS_ADS_TARGET_INVALID,
  ORION_ERR_XDS_ALREADY_ITERATING,
  ORION_ERR_XDS_BATCH_SETTLED,
  ORION_ERR_XDS_CLI_USAGE,
  ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED,
  ORION_ERR_XDS_INVALID_ARGUMENT,
  ORION_ERR_XDS_RESOURCE_INVALID,
  ORION_ERR_XDS_STREAM_FAILED,
  ORION_ERR_XDS_UNKNOWN_TYPE,
  XDS_ERROR_CODES,
} from './error-codes.js';
