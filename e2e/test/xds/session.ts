import type { Any } from '@bufbuild/protobuf/wkt';
import {
  clusterBinding,
  clusterLoadAssignmentBinding,
  DiscoveryClientBuilder,
  listenerBinding,
  routeConfigurationBinding,
  secretBinding,
  type DiscoveryClient,
  type XdsBatch,
  type XdsBinding,
  type XdsProtocol,
} from '@orion/xds';
import { TestControlPlane, type ControlPlaneStream, type ServedMessage } from '../../src/control-plane/index.js';
import { BatchReader, FAST_BACKOFF } from './harness.js';

/** A request of either protocol, reduced to what the rules talk about. */
export interface SeenRequest {
  readonly typeUrl: string;
  readonly nonce: string;
  /** `node.id` when the request carries a node. */
  readonly nodeId: string | undefined;
  /** `error_detail.message` of a NACK. */
  readonly error: string | undefined;
  /** SotW `version_info`. */
  readonly versionInfo: string;
  /** SotW `resource_names`. */
  readonly resourceNames: readonly string[];
  /** Delta `resource_names_subscribe`. */
  readonly subscribe: readonly string[];
  /** Delta `resource_names_unsubscribe`. */
  readonly unsubscribe: readonly string[];
  /** Delta `initial_resource_versions`. */
  readonly initialVersions: Readonly<Record<string, string>>;
}

/** A resource to serve: a message (named by its own name) or an explicit name with an `Any` body. */
export type Served = ServedMessage | { readonly name: string; readonly any: Any };

/** The name of a served resource as the client sees it. */
export function servedName(r: Served): string {
  if ('any' in r) return r.name;
  return r.$typeName === 'envoy.config.endpoint.v3.ClusterLoadAssignment' ? r.clusterName : r.name;
}

/** Options of {@link Session.open}. */
export interface SessionOptions {
  /** Which types to bind; names default as in the builder. Default: LDS + CDS wildcard. */
  readonly types?: readonly ('lds' | 'rds' | 'cds' | 'eds' | 'sds')[];
  readonly initialFetchTimeoutMs?: number;
  /** An existing control plane (e.g. to test reconnects); default: a new one. */
  readonly controlPlane?: TestControlPlane;
}

const BINDINGS: Readonly<Record<'lds' | 'rds' | 'cds' | 'eds' | 'sds', XdsBinding<unknown>>> = {
  lds: listenerBinding,
  rds: routeConfigurationBinding,
  cds: clusterBinding,
  eds: clusterLoadAssignmentBinding,
  sds: secretBinding,
};

/** A test control plane, a client of it, the client's batches and the current server stream. */
export class Session {
  readonly protocol: XdsProtocol;
  readonly cp: TestControlPlane;
  readonly client: DiscoveryClient;
  readonly batches: BatchReader;
  stream: ControlPlaneStream;

  private constructor(protocol: XdsProtocol, cp: TestControlPlane, client: DiscoveryClient, stream: ControlPlaneStream) {
    this.protocol = protocol;
    this.cp = cp;
    this.client = client;
    this.batches = new BatchReader(client);
    this.stream = stream;
  }

  /** Starts a control plane and a client, and waits for the client's stream. */
  static async open(protocol: XdsProtocol, options: SessionOptions = {}): Promise<Session> {
    const cp = options.controlPlane ?? (await TestControlPlane.start());
    const builder = new DiscoveryClientBuilder()
      .target(cp.target)
      .node({ id: 'node-1', cluster: 'test' })
      .protocol(protocol)
      .backoff(FAST_BACKOFF)
      .initialFetchTimeoutMs(options.initialFetchTimeoutMs ?? 0);
    for (const t of options.types ?? ['lds', 'cds']) builder.resource(BINDINGS[t]);
    const client = builder.build() as unknown as DiscoveryClient;
    const stream = await cp.nextStream();
    return new Session(protocol, cp, client, stream);
  }

  /** Waits for the client's next stream (after a reconnect). */
  async nextStream(timeoutMs?: number): Promise<ControlPlaneStream> {
    this.stream = await this.cp.nextStream(timeoutMs);
    return this.stream;
  }

  /**
   * Sends one response: SotW `version_info` = `version`; delta `system_version_info` = `version` and every
   * resource at `version`, plus `removed`.
   */
  send(typeUrl: string, version: string, resources: readonly Served[], removed: readonly string[] = []): string {
    const s = this.stream;
    if (s.kind === 'delta') {
      return s.send({
        typeUrl,
        systemVersionInfo: version,
        resources: resources.map((r) => ({ name: servedName(r), version, message: 'any' in r ? r.any : r })),
        removed,
      });
    }
    if (removed.length > 0) throw new Error('SotW has no removals');
    return s.send({ typeUrl, versionInfo: version, resources: resources.map((r) => ('any' in r ? r.any : r)) });
  }

  /** The next request of the client, normalised. */
  async request(timeoutMs?: number): Promise<SeenRequest> {
    const s = this.stream;
    if (s.kind === 'delta') {
      const r = await s.nextRequest(timeoutMs);
      return {
        typeUrl: r.typeUrl,
        nonce: r.responseNonce,
        nodeId: r.node?.id,
        error: r.errorDetail?.message,
        versionInfo: '',
        resourceNames: [],
        subscribe: r.resourceNamesSubscribe,
        unsubscribe: r.resourceNamesUnsubscribe,
        initialVersions: r.initialResourceVersions,
      };
    }
    const r = await s.nextRequest(timeoutMs);
    return {
      typeUrl: r.typeUrl,
      nonce: r.responseNonce,
      nodeId: r.node?.id,
      error: r.errorDetail?.message,
      versionInfo: r.versionInfo,
      resourceNames: r.resourceNames,
      subscribe: [],
      unsubscribe: [],
      initialVersions: {},
    };
  }

  /** Reads the opening requests of the stream, one per bound type with interest. */
  async openingRequests(count: number): Promise<SeenRequest[]> {
    const out: SeenRequest[] = [];
    for (let i = 0; i < count; i++) out.push(await this.request());
    return out;
  }

  /** Sends a response and returns the batch it produces. */
  async roundTrip(typeUrl: string, version: string, resources: readonly Served[], removed: readonly string[] = []): Promise<XdsBatch<unknown>> {
    this.send(typeUrl, version, resources, removed);
    return this.batches.next();
  }

  /** Closes the client and the control plane. */
  async close(): Promise<void> {
    await this.client.close();
    await this.batches.done;
    await this.cp.stop();
  }
}
