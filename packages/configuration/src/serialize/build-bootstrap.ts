import { create, type JsonObject as ProtoJsonObject } from '@bufbuild/protobuf';
import { packLazy } from './lazy-any.js';
import {
  AdminSchema,
  Bootstrap_DynamicResourcesSchema,
  BootstrapSchema,
  type Admin as AdminProto,
  type Bootstrap as BootstrapProto,
  type Bootstrap_DynamicResources,
} from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { NodeSchema, type Node as NodeProto } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { StatsSinkSchema, type StatsSink as StatsSinkProto } from '@orion/data-plane-api/gen/envoy/config/metrics/v3/stats_pb.js';
import { SinkConfigSchema } from '@orion/data-plane-api/gen/envoy/extensions/stat_sinks/open_telemetry/v3/open_telemetry_pb.js';
import type { AccessLog } from '../model/access-log.js';
import type { Admin, Bootstrap, DynamicResources, Node, StatsSink } from '../model/bootstrap.js';
import { buildAccessLog, isDefaultFormat } from './build-access-log.js';
import { buildCluster } from './build-cluster.js';
import { buildAddress, buildLocality, durationUnlessDefault } from './build-common.js';
import { buildApiConfigSource, buildConfigSource, buildGrpcService } from './build-config-source.js';
import { buildListener } from './build-listener.js';
import { buildSecret } from './build-secret.js';
import { buildStatsConfig, isDefaultStatsConfig } from './build-stats-config.js';

/**
 * {@link Bootstrap} → `envoy.config.bootstrap.v3.Bootstrap`: `node`, `admin`, `static_resources`,
 * `dynamic_resources`, `stats_sinks`, `stats_flush_interval` and `stats_config` (unless at its default). Orion's own `runtime` and `logging` sections are
 * not Envoy fields and are left out.
 */
export function buildBootstrap(bootstrap: Bootstrap): BootstrapProto {
  const statics = bootstrap.staticResources;
  return create(BootstrapSchema, {
    node: buildNode(bootstrap.node),
    staticResources: {
      listeners: statics.listeners.map(buildListener),
      clusters: statics.clusters.map(buildCluster),
      secrets: statics.secrets.map(buildSecret),
    },
    ...(bootstrap.dynamicResources === undefined ? {} : { dynamicResources: buildDynamicResources(bootstrap.dynamicResources) }),
    ...(bootstrap.admin === undefined ? {} : { admin: buildAdmin(bootstrap.admin) }),
    statsSinks: bootstrap.statsSinks.map(buildStatsSink),
    statsFlushInterval: durationUnlessDefault(bootstrap.statsFlushIntervalMs, 5000),
    ...(isDefaultStatsConfig(bootstrap.statsConfig) ? {} : { statsConfig: buildStatsConfig(bootstrap.statsConfig) }),
  });
}

/**
 * {@link Node} → `envoy.config.core.v3.Node`. `user_agent_name` is always printed (`orion` unless the file set
 * another), as Envoy prints the `envoy` it fills in.
 */
function buildNode(node: Node): NodeProto {
  return create(NodeSchema, {
    id: node.id,
    cluster: node.cluster,
    ...(Object.keys(node.metadata).length === 0 ? {} : { metadata: node.metadata as ProtoJsonObject }),
    ...(node.locality === undefined ? {} : { locality: buildLocality(node.locality) }),
    userAgentName: node.userAgentName,
    userAgentVersionType: node.userAgentVersion === '' ? { case: undefined } : { case: 'userAgentVersion', value: node.userAgentVersion },
  });
}

/** The deprecated `access_log_path` becomes a file logger named `access_log_path` with the default format: print it back as it was. */
function isAccessLogPath(log: AccessLog | undefined): log is AccessLog & { readonly sink: { readonly type: 'file'; readonly path: string } } {
  return log !== undefined && log.name === 'access_log_path' && log.sink.type === 'file' && isDefaultFormat(log.format);
}

function buildAdmin(admin: Admin): AdminProto {
  const last = admin.accessLogs.at(-1);
  const viaPath = isAccessLogPath(last);
  const logs = viaPath ? admin.accessLogs.slice(0, -1) : admin.accessLogs;
  return create(AdminSchema, {
    accessLog: logs.map(buildAccessLog),
    accessLogPath: viaPath ? last.sink.path : '',
    address: buildAddress(admin.address),
  });
}

function buildDynamicResources(d: DynamicResources): Bootstrap_DynamicResources {
  return create(Bootstrap_DynamicResourcesSchema, {
    ...(d.lds === undefined ? {} : { ldsConfig: buildConfigSource(d.lds) }),
    ...(d.cds === undefined ? {} : { cdsConfig: buildConfigSource(d.cds) }),
    ...(d.ads === undefined ? {} : { adsConfig: buildApiConfigSource(d.ads) }),
  });
}

function buildStatsSink(sink: StatsSink): StatsSinkProto {
  const config = create(SinkConfigSchema, {
    protocolSpecifier: { case: 'grpcService', value: buildGrpcService(sink.grpcService) },
    reportCountersAsDeltas: sink.reportCountersAsDeltas,
    reportHistogramsAsDeltas: sink.reportHistogramsAsDeltas,
    emitTagsAsAttributes: sink.emitTagsAsAttributes ? undefined : false,
    useTagExtractedName: sink.useTagExtractedName ? undefined : false,
    prefix: sink.prefix,
  });
  return create(StatsSinkSchema, { name: sink.name, configType: { case: 'typedConfig', value: packLazy(SinkConfigSchema, config) } });
}
