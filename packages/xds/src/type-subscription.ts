import type { XdsBinding } from './xds-binding.js';
import { createXdsTypeStats, type XdsTypeStats } from './xds-stats.js';

/** The wildcard resource name (xDS rule 11). */
export const WILDCARD = '*';

/** What the client holds of one accepted resource. */
export interface AcceptedResource {
  /** The accepted version. */
  version: string;
  /** A digest of the resource bytes: an identical resend is not an update. */
  digest: string;
  /** When its TTL runs out (ms since epoch), if it has one. */
  expiresAt?: number;
  /** The TTL timer, if any. */
  timer?: NodeJS.Timeout;
}

/**
 * The client's state for one type URL: interest, accepted resources, per-stream protocol state, stats.
 * ADS multiplexes types on one stream, but each is an independent sub-stream with its own version and
 * nonce (xDS rule 2).
 */
export class TypeSubscription {
  /** The binding decoding this type. */
  readonly binding: XdsBinding<unknown>;
  /** Exported stats. */
  readonly stats: XdsTypeStats = createXdsTypeStats();
  /** Names of interest; {@link WILDCARD} for everything. */
  readonly names = new Set<string>();
  /** Accepted resources by name. */
  readonly accepted = new Map<string, AcceptedResource>();
  /** Names subscribed explicitly that have not appeared in any response yet (rule 19). */
  readonly pending = new Set<string>();
  /** The last ACKed `version_info` / `system_version_info`; `''` before any (rules 6, 18). */
  lastAcceptedVersion = '';
  /** True until the first response of this type: the wildcard initial fetch timeout waits for it. */
  awaitingFirstResponse = true;
  /** A delivered batch of a response is waiting for `ack()` / `nack()`. */
  outstanding = false;

  // Per stream; reset by `resetStream()`.
  /** The most recent nonce received for this type on the current stream (rule 9). */
  lastNonce = '';
  /** A request for this type went out on the current stream. */
  requested = false;
  /** Explicit (non-wildcard) names went out on the current stream: an empty list now means "nothing" (rule 11). */
  explicitSent = false;
  /** SotW: a subscription change waits until the outstanding batch is settled. */
  changeDeferred = false;

  constructor(binding: XdsBinding<unknown>) {
    this.binding = binding;
  }

  /** The type URL. */
  get typeUrl(): string {
    return this.binding.typeUrl;
  }

  /** True if a resource of this name is of interest (rule 10). */
  interested(name: string): boolean {
    return this.names.has(WILDCARD) || this.names.has(name);
  }

  /** True when the only interest is the wildcard and no explicit name went out: the legacy empty-list form applies. */
  legacyWildcard(): boolean {
    return this.names.size === 1 && this.names.has(WILDCARD) && !this.explicitSent;
  }

  /** Forgets the per-stream state: nonces do not survive reconnects (rule 9). */
  resetStream(): void {
    this.lastNonce = '';
    this.requested = false;
    this.explicitSent = false;
    this.changeDeferred = false;
  }

  /** Drops an accepted resource and its TTL timer. */
  forget(name: string): void {
    const held = this.accepted.get(name);
    if (held?.timer !== undefined) clearTimeout(held.timer);
    this.accepted.delete(name);
  }

  /** Clears every timer this subscription owns. */
  dispose(): void {
    for (const held of this.accepted.values()) if (held.timer !== undefined) clearTimeout(held.timer);
  }
}
