import type { Bootstrap, CliOptions, JsonObject } from '@orion/configuration';
import { ORION_VERSION } from '../version.js';
import type { AdminContext } from './admin-context.js';
import { durationJson, envoyPrettyJson, jsonResponse, textResponse, type AdminResponse } from './admin-response.js';

/**
 * The `version` of `/server_info`, in Envoy's shape `<revision>/<version>/<status>/<build type>/<TLS library>`: Orion
 * has no source revision to report, so that part is 40 zeros.
 */
export const SERVER_VERSION = `${'0'.repeat(40)}/${ORION_VERSION}/Clean/RELEASE/Node.js`;

/** `/ready`: the state name and 200 when `LIVE`, else 503. */
export function ready(context: AdminContext): AdminResponse {
  const state = context.state();
  return textResponse(`${state}\n`, state === 'LIVE' ? 200 : 503);
}

const LEVEL_NAMES: Readonly<Record<string, string>> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warning', error: 'error', off: 'off' };

/** Envoy's `CommandLineOptions` for Orion's command line, every field printed (as Envoy prints `/server_info`). */
function commandLineOptions(options: CliOptions, bootstrap: Bootstrap): JsonObject {
  const components = Object.entries(options.componentLogLevels)
    .map(([c, l]) => `${c}:${LEVEL_NAMES[l] ?? l}`)
    .join(',');
  return {
    base_id: '0',
    use_dynamic_base_id: false,
    skip_hot_restart_on_no_parent: false,
    skip_hot_restart_parent_stats: false,
    base_id_path: '',
    concurrency: bootstrap.runtime.numRuntimes,
    config_path: options.configPath ?? '',
    config_yaml: options.configYaml ?? '',
    allow_unknown_static_fields: options.allowUnknownStaticFields,
    reject_unknown_dynamic_fields: false,
    ignore_unknown_dynamic_fields: false,
    admin_address_path: '',
    local_address_ip_version: 'v4',
    log_level: LEVEL_NAMES[bootstrap.logging.level] ?? bootstrap.logging.level,
    component_log_level: components,
    log_format: options.logFormat ?? bootstrap.logging.format ?? '[%Y-%m-%d %T.%e][%t][%l][%n] %v',
    log_format_escaped: false,
    log_path: bootstrap.logging.file ?? '',
    service_cluster: bootstrap.node.cluster,
    service_node: bootstrap.node.id,
    service_zone: '',
    file_flush_interval: '10s',
    drain_time: durationJson(options.drainTimeS * 1000),
    drain_strategy: options.drainStrategy === 'immediate' ? 'Immediate' : 'Gradual',
    parent_shutdown_time: durationJson(options.parentShutdownTimeS * 1000),
    mode: 'Serve',
    disable_hot_restart: true,
    enable_mutex_tracing: false,
    restart_epoch: 0,
    cpuset_threads: false,
    disabled_extensions: [],
    enable_fine_grain_logging: false,
    socket_path: '@envoy_domain_socket',
    socket_mode: 0,
    enable_core_dump: false,
    stats_tag: [],
  };
}

/** The bootstrap's `node` as `envoy.config.core.v3.Node` JSON. */
export function nodeJson(bootstrap: Bootstrap): JsonObject {
  const node = bootstrap.node;
  return {
    id: node.id,
    cluster: node.cluster,
    ...(Object.keys(node.metadata).length === 0 ? {} : { metadata: node.metadata }),
    ...(node.locality === undefined
      ? {}
      : {
          locality: {
            ...(node.locality.region === '' ? {} : { region: node.locality.region }),
            ...(node.locality.zone === '' ? {} : { zone: node.locality.zone }),
            ...(node.locality.subZone === '' ? {} : { sub_zone: node.locality.subZone }),
          },
        }),
    user_agent_name: node.userAgentName,
    user_agent_version: node.userAgentVersion === '' ? ORION_VERSION : node.userAgentVersion,
    extensions: [],
    client_features: [],
    listening_addresses: [],
  };
}

/** `/server_info`: `envoy.admin.v3.ServerInfo` as JSON. */
export function serverInfo(context: AdminContext): AdminResponse {
  const bootstrap = context.bootstrap();
  const uptime = `${Math.floor(context.uptimeS())}s`;
  return jsonResponse(
    envoyPrettyJson({
      version: SERVER_VERSION,
      state: context.state(),
      uptime_current_epoch: uptime,
      uptime_all_epochs: uptime,
      hot_restart_version: 'disabled',
      command_line_options: commandLineOptions(context.options, bootstrap),
      node: nodeJson(bootstrap),
    }),
  );
}

/**
 * `/memory`: `envoy.admin.v3.Memory` of the primary process, from Node's `process.memoryUsage()`: `allocated` is the
 * V8 heap in use plus external memory, `heap_size` the V8 heap reserved, `total_physical_bytes` the resident set;
 * tcmalloc's page-heap and thread-cache figures have no Node counterpart and are 0.
 */
export function memory(): AdminResponse {
  const m = process.memoryUsage();
  return jsonResponse(
    envoyPrettyJson({
      allocated: String(m.heapUsed + m.external),
      heap_size: String(m.heapTotal),
      pageheap_unmapped: '0',
      pageheap_free: '0',
      total_thread_cache: '0',
      total_physical_bytes: String(m.rss),
    }),
  );
}

/** `/certs`: `envoy.admin.v3.Certificates`; the data plane builds no TLS contexts yet, so the list is empty. */
export function certs(): AdminResponse {
  return jsonResponse(envoyPrettyJson({ certificates: [] }));
}
