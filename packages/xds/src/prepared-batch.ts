import { createHash } from 'node:crypto';
import type { Any, Duration } from '@bufbuild/protobuf/wkt';
import type { TypeSubscription } from './type-subscription.js';
import type { XdsBatchSource, XdsRemoval, XdsResourceError } from './xds-batch.js';

/** An update with the digest the client records when it is accepted. */
export interface PreparedUpdate {
  readonly name: string;
  readonly version: string;
  readonly value: unknown;
  readonly ttlMs?: number;
  readonly digest: string;
}

/** A resource present in a response that is not an update: unchanged, or a TTL heartbeat (rule 24). */
export interface PreparedRefresh {
  readonly name: string;
  readonly version: string;
  readonly ttlMs?: number;
}

/** The content of a batch before it is handed to the caller. */
export interface PreparedBatch {
  readonly typeUrl: string;
  readonly source: XdsBatchSource;
  readonly version: string;
  readonly nonce: string;
  /** The stream the response came on; 0 for local batches. */
  readonly streamId: number;
  readonly updates: readonly PreparedUpdate[];
  readonly removals: readonly XdsRemoval[];
  readonly refreshes: readonly PreparedRefresh[];
  readonly errors: readonly XdsResourceError[];
}

/** `google.protobuf.Duration` in milliseconds. */
export function durationMs(d: Duration): number {
  return Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6);
}

/** The last path segment of a type URL: servers may use another host prefix than `type.googleapis.com`. */
function typeName(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}

/**
 * Collects the entries of one response, detecting names that appear twice (xDS rule 8): every entry of a
 * duplicated name is dropped and reported once in `errors`.
 */
export class BatchCollector {
  readonly #sub: TypeSubscription;
  readonly #seen = new Set<string>();
  readonly #duplicates = new Set<string>();
  readonly #updates: PreparedUpdate[] = [];
  readonly #removals: XdsRemoval[] = [];
  readonly #refreshes: PreparedRefresh[] = [];
  readonly #errors: XdsResourceError[] = [];

  constructor(sub: TypeSubscription) {
    this.#sub = sub;
  }

  /** Registers a name; false if it appeared before in this response. */
  claim(name: string): boolean {
    if (this.#seen.has(name)) {
      this.#duplicates.add(name);
      return false;
    }
    this.#seen.add(name);
    this.#sub.pending.delete(name);
    return true;
  }

  /** Every name of the response, duplicates included: what a SotW full-state response holds. */
  get names(): ReadonlySet<string> {
    return this.#seen;
  }

  /** Adds a resource error. */
  error(name: string, message: string): void {
    this.#errors.push({ name, message });
  }

  /** Adds a removal. */
  removal(removal: XdsRemoval): void {
    this.#removals.push(removal);
  }

  /** Adds a TTL heartbeat / unchanged resource. */
  refresh(refresh: PreparedRefresh): void {
    this.#refreshes.push(refresh);
  }

  /**
   * Decodes one resource with the type's binding: an update, a refresh when the bytes equal the accepted
   * ones (and, if `sameVersion`, the version too), or an error naming the resource.
   */
  resource(name: string, version: string, resource: Any, ttlMs: number | undefined, responseTypeUrl: string, sameVersion: boolean): void {
    if (typeName(resource.typeUrl) !== typeName(responseTypeUrl)) {
      this.error(name, `resource type ${resource.typeUrl} does not match response type ${responseTypeUrl}`);
      return;
    }
    const ttl = ttlMs === undefined ? {} : { ttlMs };
    const digest = createHash('sha1').update(resource.value).digest('base64');
    const held = this.#sub.accepted.get(name);
    if (held !== undefined && held.digest === digest && (!sameVersion || held.version === version)) {
      this.#refreshes.push({ name, version, ...ttl });
      return;
    }
    try {
      const value = this.#sub.binding.decode(resource, name);
      this.#updates.push({ name, version, value, digest, ...ttl });
    } catch (err) {
      this.error(name, err instanceof Error ? err.message : String(err));
    }
  }

  /** The batch, with duplicated names replaced by one error each. */
  finish(head: Pick<PreparedBatch, 'typeUrl' | 'source' | 'version' | 'nonce' | 'streamId'>): PreparedBatch {
    const dup = this.#duplicates;
    const keep = <E extends { readonly name: string }>(entries: E[]): E[] => (dup.size === 0 ? entries : entries.filter((e) => !dup.has(e.name)));
    const errors = keep(this.#errors);
    for (const name of dup) errors.push({ name, message: 'duplicate resource name in response' });
    return {
      ...head,
      updates: keep(this.#updates),
      removals: keep(this.#removals),
      refreshes: keep(this.#refreshes),
      errors,
    };
  }
}
