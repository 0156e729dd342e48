import type { FieldPath } from '@orion/data-plane-api';
import type { Bootstrap as BootstrapProto } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import type { SinkConfig } from '@orion/data-plane-api/gen/envoy/extensions/stat_sinks/open_telemetry/v3/open_telemetry_pb.js';
import { DEFAULT_ACCESS_LOG_FORMAT, type AccessLog } from '../model/access-log.js';
import type { Admin, Bootstrap, DynamicResources, Node, StatsSink } from '../model/bootstrap.js';
import type { Cluster } from '../model/cluster.js';
import type { Listener } from '../model/listener.js';
import type { Logging } from '../model/logging.js';
import type { Runtime } from '../model/runtime.js';
import type { Secret } from '../model/secret.js';
import { ExtensionType } from '../support/support-table.js';
import { convertAccessLogs } from './convert-access-log.js';
import { convertClusterMessage } from './convert-cluster.js';
import { convertAddress, convertLocality } from './convert-common.js';
import { convertApiConfigSource, convertConfigSource, convertGrpcService } from './convert-config-source.js';
import { convertListenerMessage } from './convert-listener.js';
import { convertSecretMessage } from './convert-secret.js';
import { convertStatsConfig } from './convert-stats-config.js';
import type { ConversionContext } from './conversion-context.js';
import { durationMs } from './proto-values.js';
import { unpackExtension } from './unpack-extension.js';

/** `envoy.config.bootstrap.v3.Bootstrap` → {@link Bootstrap} (runtime and logging come from Orion's sections). */
export function convertBootstrapMessage(bootstrap: BootstrapProto, path: FieldPath, ctx: ConversionContext, runtime: Runtime, logging: Logging): Bootstrap {
  const statics = bootstrap.staticResources;
  const at = path.field('static_resources');
  const listeners: Listener[] = (statics?.listeners ?? []).map((l, i) => convertListenerMessage(l, at.field('listeners').index(i, l.name), ctx));
  const clusters: Cluster[] = (statics?.clusters ?? []).map((c, i) => convertClusterMessage(c, at.field('clusters').index(i, c.name), ctx));
  const secrets: Secret[] = [];
  (statics?.secrets ?? []).forEach((s, i) => {
    const secret = convertSecretMessage(s, at.field('secrets').index(i, s.name), ctx);
    if (secret !== undefined) secrets.push(secret);
  });
  const admin = convertAdmin(bootstrap, path, ctx);
  const dynamicResources = convertDynamicResources(bootstrap, path, ctx);
  return {
    node: convertNode(bootstrap),
    ...(admin === undefined ? {} : { admin }),
    staticResources: { listeners, clusters, secrets },
    ...(dynamicResources === undefined ? {} : { dynamicResources }),
    statsSinks: convertStatsSinks(bootstrap, path, ctx),
    statsFlushIntervalMs: durationMs(bootstrap.statsFlushInterval, 5000),
    statsConfig: convertStatsConfig(bootstrap.statsConfig, path.field('stats_config'), ctx),
    runtime,
    logging,
  };
}

function convertNode(bootstrap: BootstrapProto): Node {
  const n = bootstrap.node;
  return {
    id: n?.id ?? '',
    cluster: n?.cluster ?? '',
    metadata: n?.metadata ?? {},
    ...(n?.locality === undefined ? {} : { locality: convertLocality(n.locality) }),
    userAgentName: n === undefined || n.userAgentName === '' ? 'orion' : n.userAgentName,
    userAgentVersion: n?.userAgentVersionType.case === 'userAgentVersion' ? n.userAgentVersionType.value : '',
  };
}

function convertAdmin(bootstrap: BootstrapProto, path: FieldPath, ctx: ConversionContext): Admin | undefined {
  const admin = bootstrap.admin;
  if (admin === undefined) return undefined;
  const at = path.field('admin');
  const accessLogs: AccessLog[] = convertAccessLogs(admin.accessLog, at.field('access_log'), ctx);
  if (admin.accessLogPath !== '') {
    accessLogs.push({ name: 'access_log_path', sink: { type: 'file', path: admin.accessLogPath }, format: { type: 'text', format: DEFAULT_ACCESS_LOG_FORMAT, omitEmptyValues: false } });
  }
  if (admin.address === undefined) {
    if (accessLogs.length > 0) ctx.warn(at, 'admin has no address: the admin interface is disabled');
    return undefined;
  }
  return { address: convertAddress(admin.address, at.field('address'), ctx), accessLogs };
}

function convertDynamicResources(bootstrap: BootstrapProto, path: FieldPath, ctx: ConversionContext): DynamicResources | undefined {
  const d = bootstrap.dynamicResources;
  if (d === undefined) return undefined;
  const at = path.field('dynamic_resources');
  const usesAds = [d.ldsConfig, d.cdsConfig].some((c) => c?.configSourceSpecifier.case === 'ads');
  if (usesAds && d.adsConfig === undefined) ctx.error(at.field('ads_config'), 'lds_config or cds_config uses ads, but ads_config is not set');
  return {
    ...(d.adsConfig === undefined ? {} : { ads: convertApiConfigSource(d.adsConfig, at.field('ads_config'), ctx) }),
    ...(d.ldsConfig === undefined ? {} : { lds: convertConfigSource(d.ldsConfig, at.field('lds_config'), ctx) }),
    ...(d.cdsConfig === undefined ? {} : { cds: convertConfigSource(d.cdsConfig, at.field('cds_config'), ctx) }),
  };
}

function convertStatsSinks(bootstrap: BootstrapProto, path: FieldPath, ctx: ConversionContext): StatsSink[] {
  const sinks: StatsSink[] = [];
  bootstrap.statsSinks.forEach((sink, i) => {
    const at = path.field('stats_sinks').index(i, sink.name);
    const { typeName, message } = unpackExtension(sink.configType.case === 'typedConfig' ? sink.configType.value : undefined, ctx);
    if (typeName !== ExtensionType.OTEL_SINK || message === undefined) return;
    const otel = message as SinkConfig;
    const service = otel.protocolSpecifier.case === 'grpcService' ? otel.protocolSpecifier.value : undefined;
    sinks.push({
      type: 'openTelemetry',
      name: sink.name,
      grpcService: convertGrpcService(service, at.field('typed_config').field('grpc_service'), ctx),
      reportCountersAsDeltas: otel.reportCountersAsDeltas,
      reportHistogramsAsDeltas: otel.reportHistogramsAsDeltas,
      emitTagsAsAttributes: otel.emitTagsAsAttributes ?? true,
      useTagExtractedName: otel.useTagExtractedName ?? true,
      prefix: otel.prefix,
    });
  });
  return sinks;
}
