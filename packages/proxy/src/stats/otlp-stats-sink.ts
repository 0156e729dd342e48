import type { Cluster, StatsSink } from '@orion/configuration';
import { OrionError } from '@orion/error';
import type { StatsSnapshot, TagProducer } from '@orion/metrics';
import { createOtlpStatsExporter, type OtlpStatsExporter } from '@orion/metrics/otlp';
import { ProxyErrorCode } from '../error-codes.js';
import type { Logger } from '../logging/logger.js';

/**
 * The collector URL of an OpenTelemetry stats sink: its `grpc_service.envoy_grpc.cluster_name` resolved to the
 * cluster's first endpoint (`http://host:port`, plaintext gRPC). Throws `ORION_ERR_PROXY_STATS_SINK` when the
 * cluster is unknown or has no socket endpoint in its `load_assignment`.
 */
export function sinkUrl(sink: StatsSink, clusters: readonly Cluster[]): string {
  const name = sink.grpcService.clusterName;
  const cluster = clusters.find((c) => c.name === name);
  if (cluster === undefined) throw new OrionError(ProxyErrorCode.STATS_SINK, `stats_sinks "${sink.name}": grpc_service names cluster "${name}", which is not defined`);
  const assignment = 'loadAssignment' in cluster.discovery ? cluster.discovery.loadAssignment : undefined;
  for (const locality of assignment?.localities ?? []) {
    for (const endpoint of locality.endpoints) {
      const at = endpoint.address;
      if (at.type === 'socket') return `http://${at.host.includes(':') ? `[${at.host}]` : at.host}:${at.port}`;
    }
  }
  throw new OrionError(ProxyErrorCode.STATS_SINK, `stats_sinks "${sink.name}": cluster "${name}" has no socket endpoint in its load_assignment`);
}

/**
 * Envoy's OpenTelemetry stats sinks in the primary: every `stats_flush_interval` each sink pushes the aggregate of
 * the primary's and the workers' stats to its collector over OTLP/gRPC. {@link close} stops them (on shutdown).
 */
export class OtlpStatsSinks {
  readonly #exporters: OtlpStatsExporter[];

  private constructor(exporters: OtlpStatsExporter[]) {
    this.#exporters = exporters;
  }

  /** Starts one exporter per OpenTelemetry sink; throws `ORION_ERR_PROXY_STATS_SINK` for a sink it cannot reach. */
  static start(options: {
    readonly sinks: readonly StatsSink[];
    readonly clusters: readonly Cluster[];
    readonly flushIntervalMs: number;
    readonly collect: () => Promise<StatsSnapshot>;
    readonly logger: Logger;
    /** `stats_config`'s tag producer (tag-extracted names and attributes). Default: Envoy's default tags. */
    readonly tagProducer?: TagProducer;
  }): OtlpStatsSinks {
    const plans = options.sinks.filter((s) => s.type === 'openTelemetry').map((sink) => ({ sink, url: sinkUrl(sink, options.clusters) }));
    const exporters = plans.map(({ sink, url }) => {
      options.logger.info(`stats sink ${sink.name === '' ? 'envoy.stat_sinks.open_telemetry' : sink.name}: OTLP/gRPC to ${url} every ${options.flushIntervalMs} ms`);
      return createOtlpStatsExporter({
        url,
        collect: options.collect,
        flushIntervalMs: options.flushIntervalMs,
        ...(sink.grpcService.timeoutMs > 0 ? { timeoutMs: sink.grpcService.timeoutMs } : {}),
        metadata: sink.grpcService.initialMetadata,
        reportCountersAsDeltas: sink.reportCountersAsDeltas,
        reportHistogramsAsDeltas: sink.reportHistogramsAsDeltas,
        emitTagsAsAttributes: sink.emitTagsAsAttributes,
        useTagExtractedName: sink.useTagExtractedName,
        prefix: sink.prefix,
        ...(options.tagProducer === undefined ? {} : { tagProducer: options.tagProducer }),
        logger: { debug: (m: string) => options.logger.debug(m), warn: (m: string) => options.logger.warn(m) },
      });
    });
    return new OtlpStatsSinks(exporters);
  }

  /** Pushes now (tests, and a last push at shutdown). */
  async flush(): Promise<void> {
    await Promise.all(this.#exporters.map((e) => e.flush()));
  }

  /** Stops every exporter and closes its channel. */
  async close(): Promise<void> {
    await Promise.all(this.#exporters.map((e) => e.close()));
  }
}
