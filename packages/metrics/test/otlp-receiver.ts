import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** A decoded OTLP key/value. */
export interface ReceivedKeyValue {
  readonly key: string;
  readonly value: { readonly string_value?: string };
}

/** A decoded data point (number or histogram). */
export interface ReceivedPoint {
  readonly attributes: readonly ReceivedKeyValue[];
  readonly start_time_unix_nano: number;
  readonly time_unix_nano: number;
  readonly as_int?: number;
  readonly as_double?: number;
  readonly value?: 'as_int' | 'as_double';
  readonly count?: number;
  readonly sum?: number;
  readonly bucket_counts?: readonly number[];
  readonly explicit_bounds?: readonly number[];
}

/** A decoded metric. */
export interface ReceivedMetric {
  readonly name: string;
  readonly data: 'gauge' | 'sum' | 'histogram';
  readonly gauge?: { readonly data_points: readonly ReceivedPoint[] };
  readonly sum?: { readonly data_points: readonly ReceivedPoint[]; readonly aggregation_temporality: string; readonly is_monotonic: boolean };
  readonly histogram?: { readonly data_points: readonly ReceivedPoint[]; readonly aggregation_temporality: string };
}

/** One Export call as the receiver decoded it. */
export interface ReceivedExport {
  readonly metadata: grpc.Metadata;
  readonly request: {
    readonly resource_metrics: readonly {
      readonly resource: { readonly attributes: readonly ReceivedKeyValue[] };
      readonly scope_metrics: readonly { readonly metrics: readonly ReceivedMetric[] }[];
    }[];
  };
}

/** A test OTLP/gRPC metrics receiver on 127.0.0.1 (port 0). */
export interface OtlpReceiver {
  readonly url: string;
  readonly exports: ReceivedExport[];
  /** Answer the next Export calls with this gRPC status instead of OK. */
  failWith(code: grpc.status | undefined): void;
  /** Resolves once `count` exports have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const PROTO = fileURLToPath(new URL('./fixtures/otlp/metrics_service.proto', import.meta.url));

/** Starts a receiver. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    opentelemetry: { proto: { collector: { metrics: { v1: { MetricsService: grpc.ServiceClientConstructor } } } } };
  };
  const service = loaded.opentelemetry.proto.collector.metrics.v1.MetricsService.service;
  const exports: ReceivedExport[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let failure: grpc.status | undefined;
  const server = new grpc.Server();
  server.addService(service, {
    Export: (call: grpc.ServerUnaryCall<ReceivedExport['request'], object>, callback: grpc.sendUnaryData<object>) => {
      if (failure !== undefined) {
        callback({ code: failure, details: 'refused by the test receiver' });
        return;
      }
      exports.push({ metadata: call.metadata, request: call.request });
      for (const waiter of [...waiters]) {
        if (exports.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      callback(null, {});
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => (err === null ? resolve(bound) : reject(err)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    failWith(code) {
      failure = code;
    },
    waitFor(count, timeoutMs = 5000) {
      if (exports.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${exports.length} of ${count} exports arrived`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.tryShutdown(() => resolve());
      });
    },
  };
}

/** The metrics of an export by name. */
export function metricsByName(received: ReceivedExport): Map<string, ReceivedMetric> {
  const out = new Map<string, ReceivedMetric>();
  for (const rm of received.request.resource_metrics) for (const sm of rm.scope_metrics) for (const m of sm.metrics) out.set(m.name, m);
  return out;
}

/** Attributes as a plain record. */
export function attributesOf(point: ReceivedPoint): Record<string, string | undefined> {
  return Object.fromEntries(point.attributes.map((a) => [a.key, a.value.string_value]));
}
