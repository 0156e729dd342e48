/** A resource the client could not take, or one the caller rejects: the unit of a NACK's `error_detail`. */
export interface XdsResourceError {
  /** The resource name; `''` or `resources[i]` when a SotW resource has no readable name. */
  readonly name: string;
  /** A readable reason; joined into the NACK's `error_detail.message` as `<name>: <message>`. */
  readonly message: string;
}

/** One added or changed resource of a batch. */
export interface XdsUpdate<T> {
  /** `Resource.name` (delta) or the name read from the message (SotW). */
  readonly name: string;
  /** `Resource.version` (delta), the wrapper's `version` or the response's `version_info` (SotW). */
  readonly version: string;
  /** The resource, decoded by the type's binding. */
  readonly value: T;
  /** `Resource.ttl` in milliseconds when the server set one (xDS rule 24). */
  readonly ttlMs?: number;
}

/**
 * Why a resource leaves the caller's view:
 * - `removed`: the server removed it (`removed_resources` in delta, missing from a SotW LDS/CDS response);
 * - `expired`: its `Resource.ttl` ran out without a heartbeat (rule 24);
 * - `timeout`: it was subscribed by name but did not arrive within the initial fetch timeout (rule 19).
 */
export type XdsRemovalReason = 'removed' | 'expired' | 'timeout';

/** One resource that goes away. */
export interface XdsRemoval {
  /** The resource name. */
  readonly name: string;
  /** The last version the client accepted for it; `''` if it never held it. */
  readonly version: string;
  /** See {@link XdsRemovalReason}. */
  readonly reason: XdsRemovalReason;
}

/**
 * Where a batch comes from: a server response (which expects exactly one ACK or NACK), or a local event
 * of the client (a TTL expiry, an initial fetch timeout) for which nothing is sent to the server.
 */
export type XdsBatchSource = 'response' | 'ttl-expiry' | 'initial-fetch-timeout';

/** Options for {@link XdsBatch.nack}. */
export interface XdsNackOptions {
  /**
   * Reject every resource of the batch instead of only the named ones (Envoy's behaviour for
   * RDS/EDS/SDS). Default: false: resources not named in the errors are accepted (rule 7).
   */
  readonly rejectAll?: boolean;
}

/**
 * The changes of one response (or one local event) for one type URL.
 *
 * The client sends nothing for a response until the batch is settled with exactly one of
 * {@link XdsBatch.ack} or {@link XdsBatch.nack}; the next batch of the same type is delivered only
 * after that. Other types are not held back.
 */
export interface XdsBatch<T, U extends string = string> {
  /** The type URL of the response. */
  readonly typeUrl: U;
  /** See {@link XdsBatchSource}. */
  readonly source: XdsBatchSource;
  /** `version_info` (SotW) or `system_version_info` (delta) of the response; `''` for local batches. */
  readonly version: string;
  /** The response's nonce; `''` for local batches. */
  readonly nonce: string;
  /** Added or changed resources; unchanged ones are left out. */
  readonly updates: readonly XdsUpdate<T>[];
  /** Resources that go away. */
  readonly removals: readonly XdsRemoval[];
  /**
   * Resources the client could not take: decode failures, duplicate names (rule 8), wrong types.
   * These are always NACKed: `ack()` on a batch with errors sends a NACK naming them.
   */
  readonly errors: readonly XdsResourceError[];
  /** True once `ack()` or `nack()` was called. */
  readonly settled: boolean;
  /**
   * Accepts the batch: records every update and removal, and answers the response with an ACK
   * (`version_info` = {@link XdsBatch.version}, rule 5), or with a NACK of {@link XdsBatch.errors} if any.
   */
  ack(): void;
  /**
   * Rejects the named resources (plus {@link XdsBatch.errors}): they keep their last accepted version
   * and the response is answered with a NACK carrying the messages in `error_detail` and the last accepted
   * `version_info` (rule 6). The other resources are accepted unless `rejectAll` is set (rule 7).
   */
  nack(errors: readonly XdsResourceError[], options?: XdsNackOptions): void;
}
