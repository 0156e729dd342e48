import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** A data point of a received metric (the fields the tests read). */
export interface OtlpPoint {
  readonly attributes: readonly { readonly key: string; readonly value: { readonly string_value?: string } }[];
  readonly as_int?: number;
  readonly as_double?: number;
  readonly count?: number;
}

/** A received metric. */
export interface OtlpMetric {
  readonly name: string;
  readonly sum?: { readonly data_points: readonly OtlpPoint[] };
  readonly gauge?: { readonly data_points: readonly OtlpPoint[] };
  readonly histogram?: { readonly data_points: readonly OtlpPoint[] };
}

/** A small OTLP/gRPC metrics receiver on 127.0.0.1 (port 0) that keeps every metric it is sent. */
export interface OtlpReceiver {
  readonly port: number;
  /** Every metric of every Export call, in arrival order. */
  readonly metrics: OtlpMetric[];
  /** Export calls received. */
  exports: number;
  /** Resolves once `predicate` holds for what arrived (checked on every Export), rejects after `timeoutMs`. */
  waitUntil(predicate: (metrics: readonly OtlpMetric[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

// The OTLP metrics service definition @orion/metrics' own exporter tests use (one copy in the repository).
const PROTO = fileURLToPath(new URL('../../../packages/metrics/test/fixtures/otlp/metrics_service.proto', import.meta.url));

/** Starts a receiver. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    opentelemetry: { proto: { collector: { metrics: { v1: { MetricsService: grpc.ServiceClientConstructor } } } } };
  };
  const waiters = new Set<() => void>();
  const server = new grpc.Server();
  const state: OtlpReceiver = {
    port: 0,
    metrics: [],
    exports: 0,
    waitUntil(predicate, timeoutMs = 15_000) {
      if (predicate(state.metrics)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!predicate(state.metrics)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the OTLP receiver did not get the expected metrics within ${timeoutMs} ms (${state.exports} exports)`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
  server.addService(loaded.opentelemetry.proto.collector.metrics.v1.MetricsService.service, {
    Export: (call: grpc.ServerUnaryCall<{ resource_metrics: { scope_metrics: { metrics: OtlpMetric[] }[] }[] }, object>, callback: grpc.sendUnaryData<object>) => {
      state.exports++;
      for (const rm of call.request.resource_metrics) for (const sm of rm.scope_metrics) state.metrics.push(...sm.metrics);
      callback(null, {});
      for (const w of [...waiters]) w();
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err)));
  });
  return Object.assign(state, { port });
}
