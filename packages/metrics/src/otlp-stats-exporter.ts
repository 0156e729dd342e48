import { Metadata } from '@grpc/grpc-js';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { OrionError } from '@orion/error';
import { ORION_ERR_METRICS_EXPORT_FAILED, ORION_ERR_METRICS_EXPORTER_CLOSED, ORION_ERR_METRICS_INVALID_OPTIONS } from './error-codes.js';
import { noopMetricsLogger, type MetricsLogger } from './metrics-logger.js';
import { createOtlpMetricsConverter, type OtlpConversionOptions } from './otlp-metrics.js';
import { DEFAULT_STATS_FLUSH_INTERVAL_MS } from './stats-flush-interval.js';
import type { StatsSnapshot } from './stats-snapshot.js';


/** Options of {@link createOtlpStatsExporter}. */
export interface OtlpStatsExporterOptions extends OtlpConversionOptions {
  /**
   * The collector's OTLP/gRPC endpoint, e.g. `http://127.0.0.1:4317` (`http:` is plaintext h2c, `https:` TLS). The
   * proxy resolves the sink's `grpc_service.envoy_grpc.cluster_name` to it.
   */
  readonly url: string;
  /**
   * The stats to push: in the primary, the aggregate of its own store and the workers' latest snapshots. Called
   * once per push; may be async (e.g. to ask the workers first).
   */
  readonly collect: () => StatsSnapshot | Promise<StatsSnapshot>;
  /** `stats_flush_interval`: time between pushes. Default {@link DEFAULT_STATS_FLUSH_INTERVAL_MS}. */
  readonly flushIntervalMs?: number;
  /** Deadline of one push (`grpc_service.timeout`; 0 means the default). Default 10000. */
  readonly timeoutMs?: number;
  /** `grpc_service.initial_metadata`, sent with every push. Default none. */
  readonly metadata?: readonly { readonly key: string; readonly value: string }[];
  /** Failed pushes are reported here. Default: dropped. */
  readonly logger?: MetricsLogger;
  /** Aborting closes the exporter. */
  readonly signal?: AbortSignal;
}

/** Pushes aggregated stats to an OpenTelemetry collector every flush interval (Envoy's OpenTelemetry stats sink). */
export interface OtlpStatsExporter {
  /** Collects and pushes now; rejects with `ORION_ERR_METRICS_EXPORT_FAILED` when the collector does not accept. */
  flush(): Promise<void>;
  /** Stops the timer, waits for a push in flight and closes the gRPC channel. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts pushing stats as OTLP metrics over gRPC. The SDK's `PeriodicExportingMetricReader` is not used: it collects
 * from SDK instruments, and Envoy's stats arrive already aggregated — cumulative counters and circllhist histograms
 * merged from several processes — which no SDK instrument can take without re-recording every value. So the
 * snapshot is converted to the SDK's `ResourceMetrics` here and handed to `@opentelemetry/exporter-metrics-otlp-grpc`,
 * which serializes it and owns the gRPC transport. The timer is unref'd: it does not keep the process alive.
 */
export function createOtlpStatsExporter(options: OtlpStatsExporterOptions): OtlpStatsExporter {
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_STATS_FLUSH_INTERVAL_MS;
  const timeoutMs = options.timeoutMs === undefined || options.timeoutMs === 0 ? 10_000 : options.timeoutMs;
  if (typeof options.url !== 'string' || options.url === '') throw invalidOption('url', 'must be a non-empty URL');
  if (!(flushIntervalMs > 0) || !Number.isFinite(flushIntervalMs)) throw invalidOption('flushIntervalMs', 'must be a positive number');
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw invalidOption('timeoutMs', 'must be a positive number');

  const logger = options.logger ?? noopMetricsLogger;
  const metadata = new Metadata();
  for (const { key, value } of options.metadata ?? []) metadata.add(key, value);
  const exporter = new OTLPMetricExporter({ url: options.url, timeoutMillis: timeoutMs, metadata });
  const converter = createOtlpMetricsConverter(options);

  let closed = false;
  let inFlight: Promise<void> | undefined;

  const push = async (): Promise<void> => {
    const snapshot = await options.collect();
    const metrics = converter.convert(snapshot);
    if (metrics !== undefined) await send(metrics);
  };

  const send = (metrics: ResourceMetrics): Promise<void> =>
    new Promise((resolve, reject) => {
      exporter.export(metrics, (result) => {
        if (result.code === 0) resolve();
        else {
          const reason = result.error?.message ?? 'export failed';
          reject(new OrionError(ORION_ERR_METRICS_EXPORT_FAILED, `OTLP export to ${options.url} failed: ${reason}`, {
            ...(result.error === undefined ? {} : { cause: result.error }),
            details: { url: options.url },
          }));
        }
      });
    });

  const run = (): Promise<void> => {
    const current = push().finally(() => {
      if (inFlight === current) inFlight = undefined;
    });
    inFlight = current;
    return current;
  };

  const timer = setInterval(() => {
    if (inFlight !== undefined) {
      logger.debug(`OTLP stats push skipped: the previous push to ${options.url} is still running`);
      return;
    }
    run().catch((err: unknown) => logger.warn(err instanceof Error ? err.message : String(err)));
  }, flushIntervalMs);
  timer.unref();

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await inFlight?.catch(() => undefined);
    await exporter.shutdown();
  };
  const onAbort = (): void => {
    close().catch((err: unknown) => logger.warn(err instanceof Error ? err.message : String(err)));
  };
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    flush(): Promise<void> {
      if (closed) return Promise.reject(new OrionError(ORION_ERR_METRICS_EXPORTER_CLOSED, 'the OTLP stats exporter is closed'));
      // One push at a time, so delta counters are computed in order.
      const previous = inFlight?.catch(() => undefined) ?? Promise.resolve();
      return previous.then(run);
    },
    close,
  };
}

function invalidOption(option: string, message: string): OrionError {
  return new OrionError(ORION_ERR_METRICS_INVALID_OPTIONS, `OTLP stats exporter option ${option} ${message}`, { details: { option } });
}
