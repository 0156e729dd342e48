import { isMessage, toJson, type Registry } from '@bufbuild/protobuf';
import type { Cluster } from '@orion/data-plane-api/gen/envoy/config/cluster/v3/cluster_pb.js';
import type { Listener } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import type { DiscoveryClientBuilder } from './discovery-client-builder.js';
import type { DiscoveryClient } from './discovery-client.js';
import {
  clusterBinding,
  clusterLoadAssignmentBinding,
  listenerBinding,
  routeConfigurationBinding,
  secretBinding,
} from './proto-bindings.js';
import { endpointNameOfCluster, routeNamesOfListener } from './resource-references.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  xdsShortName,
} from './type-urls.js';
import type { XdsBatch } from './xds-batch.js';
import type { XdsLogger } from './xds-logger.js';

/** Where the CLI writes: `process.stdout` / `process.stderr` or a test's collectors. */
export interface CliOutput {
  write(text: string): unknown;
}

/** What `orion-xds watch` needs once its arguments are parsed. */
export interface WatchOptions {
  /** A builder with target, node and protocol set. */
  readonly builder: DiscoveryClientBuilder;
  /** Names to subscribe to by type URL, besides the wildcard LDS/CDS and the followed references. */
  readonly names: Readonly<Record<string, readonly string[]>>;
  /** Subscribe to the RDS/EDS names that listeners and clusters reference. */
  readonly follow: boolean;
  /** Renders each resource as JSON (needs a registry for `typed_config`). */
  readonly registry: Registry | undefined;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly signal?: AbortSignal;
}

type WatchBatch =
  | XdsBatch<Listener, typeof LISTENER_TYPE_URL>
  | XdsBatch<Cluster, typeof CLUSTER_TYPE_URL>
  | XdsBatch<unknown, typeof ROUTE_CONFIGURATION_TYPE_URL | typeof CLUSTER_LOAD_ASSIGNMENT_TYPE_URL | typeof SECRET_TYPE_URL>;

/**
 * Subscribes to LDS and CDS (wildcard), follows the RDS and EDS names they reference, and prints every
 * change: one line per update, removal and rejected resource, then one per ACK/NACK. Resources that
 * cannot be decoded are NACKed; everything else is ACKed. Runs until `signal` aborts.
 */
export async function watch(options: WatchOptions): Promise<void> {
  const logger: XdsLogger = {
    debug: () => undefined,
    info: (message) => options.stderr.write(`${message}\n`),
    warn: (message) => options.stderr.write(`${message}\n`),
  };
  const builder = options.builder
    .resource(clusterBinding, ['*', ...(options.names[CLUSTER_TYPE_URL] ?? [])].filter(unique))
    .resource(clusterLoadAssignmentBinding, options.names[CLUSTER_LOAD_ASSIGNMENT_TYPE_URL] ?? [])
    .resource(listenerBinding, ['*', ...(options.names[LISTENER_TYPE_URL] ?? [])].filter(unique))
    .resource(routeConfigurationBinding, options.names[ROUTE_CONFIGURATION_TYPE_URL] ?? [])
    .resource(secretBinding, options.names[SECRET_TYPE_URL] ?? [])
    .logger(logger);
  if (options.signal !== undefined) builder.signal(options.signal);
  const client = builder.build() as DiscoveryClient<WatchBatch>;
  const follower = new ReferenceFollower(client, options.names);
  try {
    for await (const batch of client) {
      print(batch, options);
      batch.ack();
      const verdict = batch.errors.length === 0 ? 'ack' : 'nack';
      if (batch.source === 'response') options.stdout.write(`${xdsShortName(batch.typeUrl)} ${verdict} version=${batch.version} nonce=${batch.nonce}\n`);
      if (options.follow) follower.follow(batch);
    }
  } finally {
    await client.close();
  }
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}

function print(batch: WatchBatch, options: WatchOptions): void {
  const type = xdsShortName(batch.typeUrl);
  const out = options.stdout;
  for (const update of batch.updates) {
    if (options.registry === undefined) {
      out.write(`${type} update ${update.name} version=${update.version}${update.ttlMs === undefined ? '' : ` ttl=${update.ttlMs}ms`}\n`);
    } else {
      out.write(`${JSON.stringify({ type, event: 'update', name: update.name, version: update.version, resource: render(update.value, options.registry) })}\n`);
    }
  }
  for (const removal of batch.removals) {
    out.write(`${type} remove ${removal.name} version=${removal.version === '' ? '-' : removal.version} reason=${removal.reason}\n`);
  }
  for (const error of batch.errors) out.write(`${type} reject ${error.name}: ${error.message}\n`);
  if (batch.source === 'initial-fetch-timeout' && batch.removals.length === 0) out.write(`${type} initial fetch timeout\n`);
}

function render(value: unknown, registry: Registry): unknown {
  if (!isMessage(value)) return value;
  const schema = registry.getMessage(value.$typeName);
  if (schema === undefined) return { error: `${value.$typeName} is not in the registry` };
  try {
    return toJson(schema, value, { registry });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Keeps RDS and EDS subscriptions in step with what the accepted listeners and clusters reference. */
class ReferenceFollower {
  readonly #client: DiscoveryClient<WatchBatch>;
  readonly #pinned: Readonly<Record<string, readonly string[]>>;
  readonly #routes = new Map<string, readonly string[]>();
  readonly #endpoints = new Map<string, string>();

  constructor(client: DiscoveryClient<WatchBatch>, pinned: Readonly<Record<string, readonly string[]>>) {
    this.#client = client;
    this.#pinned = pinned;
  }

  follow(batch: WatchBatch): void {
    switch (batch.typeUrl) {
      case LISTENER_TYPE_URL:
        for (const u of batch.updates) this.#routes.set(u.name, routeNamesOfListener(u.value));
        for (const r of batch.removals) this.#routes.delete(r.name);
        this.#sync(ROUTE_CONFIGURATION_TYPE_URL, [...this.#routes.values()].flat());
        return;
      case CLUSTER_TYPE_URL:
        for (const u of batch.updates) {
          const name = endpointNameOfCluster(u.value);
          if (name === undefined) this.#endpoints.delete(u.name);
          else this.#endpoints.set(u.name, name);
        }
        for (const r of batch.removals) this.#endpoints.delete(r.name);
        this.#sync(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [...this.#endpoints.values()]);
        return;
      default:
        return;
    }
  }

  #sync(typeUrl: typeof ROUTE_CONFIGURATION_TYPE_URL | typeof CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, referenced: readonly string[]): void {
    const wanted = new Set([...referenced, ...(this.#pinned[typeUrl] ?? [])]);
    const current = this.#client.subscriptions(typeUrl);
    const stale = current.filter((n) => !wanted.has(n));
    const added = [...wanted].filter((n) => !current.includes(n)).sort();
    if (stale.length > 0) this.#client.unsubscribe(typeUrl, stale);
    if (added.length > 0) this.#client.subscribe(typeUrl, added);
  }
}
