import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { TimedQueue } from './timed-queue.js';

/**
 * A request or response as @grpc/proto-loader represents it with `keepCase: true`: snake_case field
 * names, `bytes` as Buffers, enums and 64-bit integers as strings.
 */
export type ProtoLoaderMessage = Record<string, unknown>;

/** One ADS stream on the grpc-js control plane, driven by a test. */
export class GrpcJsStream {
  readonly kind: 'delta' | 'sotw';
  /** Every request received, in order. */
  readonly received: ProtoLoaderMessage[] = [];
  readonly #requests = new TimedQueue<ProtoLoaderMessage>('a request on the grpc-js control plane');
  readonly #call: grpc.ServerDuplexStream<ProtoLoaderMessage, ProtoLoaderMessage>;
  #nonce = 0;

  constructor(kind: 'delta' | 'sotw', call: grpc.ServerDuplexStream<ProtoLoaderMessage, ProtoLoaderMessage>) {
    this.kind = kind;
    this.#call = call;
    call.on('data', (request: ProtoLoaderMessage) => {
      this.received.push(request);
      this.#requests.push(request);
    });
    call.on('end', () => {
      this.#requests.close('the client half-closed the stream');
      call.end();
    });
    call.on('error', () => this.#requests.close('the stream failed'));
    call.on('cancelled', () => this.#requests.close('the client cancelled the stream'));
  }

  /** The next request (rejects after `timeoutMs`). */
  nextRequest(timeoutMs?: number): Promise<ProtoLoaderMessage> {
    return this.#requests.next(timeoutMs);
  }

  /** Resolves if the client sends nothing for `ms`. */
  expectNoRequest(ms = 200): Promise<void> {
    return this.#requests.expectNothing(ms);
  }

  /**
   * Sends a response written with snake_case fields; `nonce` is filled in when absent. `Any` values are
   * `{ type_url, value: Buffer }`. Returns the nonce.
   */
  send(response: ProtoLoaderMessage): string {
    const nonce = typeof response['nonce'] === 'string' ? response['nonce'] : `g${++this.#nonce}`;
    this.#call.write({ ...response, nonce });
    return nonce;
  }

  /** Ends the stream with OK status. */
  end(): void {
    this.#call.end();
  }
}

/** The `.proto` roots @grpc/grpc-js-xds ships: envoy-api, xds/udpa, googleapis, protoc-gen-validate. */
function protoIncludeDirs(): string[] {
  const require = createRequire(import.meta.url);
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  return ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d));
}

interface AdsServiceConstructor {
  readonly service: grpc.ServiceDefinition;
}

/**
 * An ADS server on a different gRPC stack than the client: @grpc/grpc-js with a service definition that
 * @grpc/proto-loader builds from Envoy's `.proto` files (`keepCase: true`), for interop tests.
 */
export class GrpcJsControlPlane {
  readonly #server: grpc.Server;
  readonly #streams: TimedQueue<GrpcJsStream>;
  readonly #calls: Set<grpc.ServerDuplexStream<ProtoLoaderMessage, ProtoLoaderMessage>>;
  /** The TCP port on 127.0.0.1. */
  readonly port: number;

  private constructor(server: grpc.Server, port: number, streams: TimedQueue<GrpcJsStream>, calls: Set<grpc.ServerDuplexStream<ProtoLoaderMessage, ProtoLoaderMessage>>) {
    this.#server = server;
    this.port = port;
    this.#streams = streams;
    this.#calls = calls;
  }

  /** Loads the protos and listens on 127.0.0.1 port 0. */
  static async start(): Promise<GrpcJsControlPlane> {
    const definition = protoLoader.loadSync('envoy/service/discovery/v3/ads.proto', {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: protoIncludeDirs(),
    });
    const loaded = grpc.loadPackageDefinition(definition);
    const ads = lookup(loaded, 'envoy.service.discovery.v3.AggregatedDiscoveryService') as AdsServiceConstructor;
    const streams = new TimedQueue<GrpcJsStream>('an ADS stream on the grpc-js control plane');
    const calls = new Set<grpc.ServerDuplexStream<ProtoLoaderMessage, ProtoLoaderMessage>>();
    const serve = (kind: 'delta' | 'sotw') => (call: grpc.ServerDuplexStream<ProtoLoaderMessage, ProtoLoaderMessage>) => {
      calls.add(call);
      call.on('close', () => calls.delete(call));
      streams.push(new GrpcJsStream(kind, call));
    };
    const server = new grpc.Server();
    server.addService(ads.service, {
      StreamAggregatedResources: serve('sotw'),
      DeltaAggregatedResources: serve('delta'),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err))),
    );
    return new GrpcJsControlPlane(server, port, streams, calls);
  }

  /** The address in the client's `XdsTarget` shape. */
  get target(): { kind: 'tcp'; host: string; port: number } {
    return { kind: 'tcp', host: '127.0.0.1', port: this.port };
  }

  /** The next stream a client opens. */
  nextStream(timeoutMs?: number): Promise<GrpcJsStream> {
    return this.#streams.next(timeoutMs);
  }

  /** Cancels every call and shuts the server down. */
  async stop(): Promise<void> {
    for (const call of this.#calls) call.end();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => this.#server.forceShutdown(), 1000);
      this.#server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}

function lookup(root: grpc.GrpcObject, name: string): unknown {
  let node: unknown = root;
  for (const part of name.split('.')) node = (node as Record<string, unknown>)[part];
  if (node === undefined) throw new Error(`${name} is not in the loaded protos`);
  return node;
}
