import { clone, create, type MessageInitShape } from '@bufbuild/protobuf';
import { NodeSchema, type Node } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import { StatusSchema, type Status } from '@orion/data-plane-api/gen/google/rpc/status_pb.js';
import { OrionError } from '@orion/error';
import { createAdsConnection, type AdsConnection } from './ads-connection.js';
import { deltaDriver, sotwDriver, type ActiveStream, type AdsProtocolDriver, type InboundResponse } from './ads-protocol.js';
import { backoffDelayMs, validateBackoff, type BackoffOptions } from './backoff.js';
import {
  ORION_ERR_XDS_ALREADY_ITERATING,
  ORION_ERR_XDS_INVALID_ARGUMENT,
  ORION_ERR_XDS_STREAM_FAILED,
  ORION_ERR_XDS_UNKNOWN_TYPE,
} from './error-codes.js';
import type { PreparedBatch } from './prepared-batch.js';
import { SettleableBatch } from './settleable-batch.js';
import { TypeSubscription, WILDCARD, type AcceptedResource } from './type-subscription.js';
import { typeUrlRank, xdsShortName } from './type-urls.js';
import type { XdsBatch, XdsResourceError } from './xds-batch.js';
import type { XdsBinding } from './xds-binding.js';
import { noopXdsLogger, type XdsLogger } from './xds-logger.js';
import type { XdsProtocol } from './xds-protocol.js';
import type { XdsControlPlaneStats, XdsTypeStats } from './xds-stats.js';
import { formatXdsTarget, type XdsTarget } from './xds-target.js';

/** The node identity sent on the first request of every stream (Envoy's `node`, rule 1). */
export type XdsNode = MessageInitShape<typeof NodeSchema>;

/** One resource type a client serves, and the names it starts with. */
export interface XdsResourceInterest {
  /** How resources of the type are decoded. */
  readonly binding: XdsBinding<unknown>;
  /**
   * Names to subscribe to at start; `*` is the wildcard. Default: `['*']` for wildcard bindings (LDS, CDS),
   * none for the others (RDS, EDS, SDS are subscribed by name, later, with `subscribe()`).
   */
  readonly names?: readonly string[];
}

/** Options of {@link createDiscoveryClient}; {@link DiscoveryClientBuilder} builds them step by step. */
export interface DiscoveryClientOptions {
  /** The ADS server. */
  readonly target: XdsTarget;
  /** The node identity (`node.id` and `node.cluster` at least, for most control planes). */
  readonly node: XdsNode;
  /** Delta (`DeltaAggregatedResources`) or SotW (`StreamAggregatedResources`). Default: `'delta'`. */
  readonly protocol?: XdsProtocol;
  /** The resource types, each with its binding; one binding per type URL. */
  readonly resources: readonly XdsResourceInterest[];
  /**
   * How long a subscribed resource may take to arrive before it is reported absent (a batch of source
   * `initial-fetch-timeout`, rule 19); 0 disables. Envoy's `initial_fetch_timeout`. Default: 15 000 ms.
   */
  readonly initialFetchTimeoutMs?: number;
  /** Reconnect backoff. Default: jittered exponential from 500 ms up to 30 s. */
  readonly backoff?: BackoffOptions;
  /** How long `close()` waits for the server to end the stream after the client half-closed it. Default: 1000 ms. */
  readonly closeTimeoutMs?: number;
  /** HTTP/2 PING interval on the ADS connection. Default: no PINGs. */
  readonly pingIntervalMs?: number;
  /** Receives connection events. Default: a no-op logger. */
  readonly logger?: XdsLogger;
  /** Aborting it closes the client like `close()`. */
  readonly signal?: AbortSignal;
}

/** Pending work for the batch iterator, in arrival order. */
type InboxEntry =
  | { readonly kind: 'response'; readonly typeUrl: string; readonly streamId: number; readonly response: InboundResponse }
  | { readonly kind: 'ttl'; readonly typeUrl: string; readonly name: string }
  | { readonly kind: 'timeout'; readonly typeUrl: string; readonly names: readonly string[]; readonly wildcard: boolean };

interface CurrentStream {
  readonly id: number;
  readonly stream: ActiveStream;
}

/** `google.rpc.Status` code INTERNAL, which Envoy puts in a NACK's `error_detail`. */
const STATUS_INTERNAL = 13;

/**
 * An xDS client over one ADS stream (delta or SotW) that delivers every response as an
 * {@link XdsBatch} through its async iterator, and answers each response only when the caller settles
 * the batch. It reconnects with jittered exponential backoff, resubscribing with
 * `initial_resource_versions` (delta) or the last accepted `version_info` (SotW).
 *
 * `B` is the union of the batch types of its bindings; narrow it with `batch.typeUrl`.
 */
export class DiscoveryClient<B extends XdsBatch<unknown, string> = XdsBatch<unknown>> implements AsyncIterable<B> {
  readonly #driver: AdsProtocolDriver;
  readonly #node: Node;
  readonly #connection: AdsConnection;
  readonly #subs = new Map<string, TypeSubscription>();
  readonly #inbox: InboxEntry[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #logger: XdsLogger;
  readonly #backoff: BackoffOptions;
  readonly #initialFetchTimeoutMs: number;
  readonly #closeTimeoutMs: number;
  readonly #target: XdsTarget;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => void this.close();
  readonly #cp: XdsControlPlaneStats = { connected_state: 0, stream_attempt: 0, stream_failure: 0 };
  /** Aborts the current call (hard stop). */
  #callAbort = new AbortController();
  /** Wakes the backoff sleep when closing. */
  readonly #closing = new AbortController();
  #current: CurrentStream | undefined;
  #streamId = 0;
  #wake: (() => void) | undefined;
  #iterating = false;
  #finished = false;
  #closed: Promise<void> | undefined;
  readonly #runDone: Promise<void>;

  constructor(options: DiscoveryClientOptions) {
    const initialFetchTimeoutMs = options.initialFetchTimeoutMs ?? 15_000;
    const closeTimeoutMs = options.closeTimeoutMs ?? 1000;
    if (!(initialFetchTimeoutMs >= 0) || !(closeTimeoutMs >= 0)) {
      throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, 'initialFetchTimeoutMs and closeTimeoutMs must be >= 0');
    }
    validateBackoff(options.backoff ?? {});
    if (options.resources.length === 0) throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, 'a discovery client needs at least one resource type');
    this.#driver = (options.protocol ?? 'delta') === 'delta' ? deltaDriver : sotwDriver;
    // Copied: the caller's message (e.g. a bootstrap's node) is never mutated.
    this.#node = clone(NodeSchema, create(NodeSchema, options.node));
    if (this.#node.userAgentName === '') this.#node.userAgentName = 'orion';
    this.#target = options.target;
    this.#logger = options.logger ?? noopXdsLogger;
    this.#backoff = options.backoff ?? {};
    this.#initialFetchTimeoutMs = initialFetchTimeoutMs;
    this.#closeTimeoutMs = closeTimeoutMs;
    for (const interest of options.resources) {
      const typeUrl = interest.binding.typeUrl;
      if (this.#subs.has(typeUrl)) throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, `type URL ${typeUrl} is bound twice`);
      this.#subs.set(typeUrl, new TypeSubscription(interest.binding));
    }
    this.#connection = createAdsConnection(options.target, options.pingIntervalMs === undefined ? {} : { pingIntervalMs: options.pingIntervalMs });
    for (const interest of options.resources) {
      const names = interest.names ?? (interest.binding.wildcard ? [WILDCARD] : []);
      this.#addNames(this.#sub(interest.binding.typeUrl), names);
    }
    this.#signal = options.signal;
    const aborted = this.#signal?.aborted === true;
    if (aborted) this.#closing.abort(); // never connect
    this.#runDone = this.#run();
    if (aborted) void this.close();
    else this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The protocol in use. */
  get protocol(): XdsProtocol {
    return this.#driver.kind;
  }

  /**
   * Adds names of interest for a type; `*` subscribes to everything. On delta, only the added names are
   * sent (rule 15); on SotW, the complete list (rule 3). Each new name gets an initial fetch timeout.
   */
  subscribe(typeUrl: B['typeUrl'], names: readonly string[]): void {
    const sub = this.#sub(typeUrl);
    const added = this.#addNames(sub, names);
    if (added.length > 0) this.#sendChange(sub, added, []);
  }

  /**
   * Removes names of interest. Resources no longer of interest are forgotten without a removal entry
   * (the caller asked); under a wildcard they stay, and the server may resend or remove them (rule 20).
   */
  unsubscribe(typeUrl: B['typeUrl'], names: readonly string[]): void {
    const sub = this.#sub(typeUrl);
    const removed = [...new Set(names)].filter((n) => sub.names.has(n));
    if (removed.length === 0) return;
    for (const name of removed) {
      sub.names.delete(name);
      sub.pending.delete(name);
    }
    for (const name of [...sub.accepted.keys()]) if (!sub.interested(name)) sub.forget(name);
    this.#sendChange(sub, [], removed);
  }

  /** The names of interest of a type, sorted (`*` for the wildcard). */
  subscriptions(typeUrl: B['typeUrl']): string[] {
    return [...this.#sub(typeUrl).names].sort();
  }

  /** The accepted resources of a type and their versions (what delta sends as `initial_resource_versions`). */
  acceptedVersions(typeUrl: B['typeUrl']): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, held] of this.#sub(typeUrl).accepted) out[name] = held.version;
    return out;
  }

  /** A snapshot of the per-type stats, by type URL (Envoy's `update_*` counters and `version`). */
  stats(): Record<string, XdsTypeStats> {
    const out: Record<string, XdsTypeStats> = {};
    for (const [typeUrl, sub] of this.#subs) out[typeUrl] = { ...sub.stats };
    return out;
  }

  /** A snapshot of the connection stats (Envoy's `control_plane.connected_state` and stream counters). */
  controlPlaneStats(): XdsControlPlaneStats {
    return { ...this.#cp };
  }

  /**
   * The batches, one per response (plus TTL expiries and initial fetch timeouts), in arrival order; a
   * type's next batch waits until its previous one is settled. Ends when the client is closed; leaving a
   * `for await` loop early (`break`, `throw`) closes the client. One consumer only.
   */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    if (this.#iterating) throw new OrionError(ORION_ERR_XDS_ALREADY_ITERATING, 'the batches of a discovery client are already being iterated');
    this.#iterating = true;
    return {
      next: async (): Promise<IteratorResult<B>> => {
        for (;;) {
          if (this.#finished) return { done: true, value: undefined };
          const batch = this.#takeBatch();
          if (batch !== undefined) return { done: false, value: batch as unknown as B };
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<B>> => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  /**
   * Closes gracefully: half-closes the stream once the ACKs/NACKs already given are queued, waits up to
   * `closeTimeoutMs` for the server to end it, then releases the connection and every timer. The batch
   * iterator ends; batches not yet delivered are dropped.
   */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown(false);
    return this.#closed;
  }

  /** Tears down at once: aborts the stream without waiting; what was not written yet is lost. */
  destroy(): void {
    this.#closed ??= this.#shutdown(true);
  }

  async #shutdown(hard: boolean): Promise<void> {
    this.#closing.abort();
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#current?.stream.end();
    const timer = setTimeout(() => this.#callAbort.abort(), hard ? 0 : this.#closeTimeoutMs);
    try {
      await this.#runDone;
    } finally {
      clearTimeout(timer);
      this.#connection.close();
      for (const t of this.#timers) clearTimeout(t);
      this.#timers.clear();
      for (const sub of this.#subs.values()) sub.dispose();
      this.#inbox.length = 0;
      this.#finished = true;
      this.#notify();
    }
  }

  #sub(typeUrl: string): TypeSubscription {
    const sub = this.#subs.get(typeUrl);
    if (sub === undefined) throw new OrionError(ORION_ERR_XDS_UNKNOWN_TYPE, `no binding for type URL ${typeUrl}`);
    return sub;
  }

  #addNames(sub: TypeSubscription, names: readonly string[]): string[] {
    const added = [...new Set(names)].filter((n) => !sub.names.has(n));
    for (const name of added) sub.names.add(name);
    this.#armInitialFetch(sub, added);
    return added;
  }

  /** Starts the initial fetch timeout of newly subscribed names (rule 19); the wildcard waits for the first response. */
  #armInitialFetch(sub: TypeSubscription, added: readonly string[]): void {
    if (this.#finished || this.#closed !== undefined) return;
    const explicit = added.filter((n) => n !== WILDCARD && !sub.accepted.has(n));
    for (const name of explicit) sub.pending.add(name);
    const wildcard = added.includes(WILDCARD) && sub.awaitingFirstResponse;
    if (this.#initialFetchTimeoutMs === 0 || (explicit.length === 0 && !wildcard)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const names = explicit.filter((n) => sub.pending.has(n) && sub.interested(n));
      const stillWaiting = wildcard && sub.awaitingFirstResponse && sub.names.has(WILDCARD);
      if (names.length === 0 && !stillWaiting) return;
      sub.stats.init_fetch_timeout++;
      this.#logger.warn(`${xdsShortName(sub.typeUrl)}: initial fetch timeout${names.length > 0 ? ` for ${names.join(', ')}` : ''}`);
      this.#enqueue({ kind: 'timeout', typeUrl: sub.typeUrl, names, wildcard: stillWaiting });
    }, this.#initialFetchTimeoutMs);
    this.#timers.add(timer);
  }

  #sendChange(sub: TypeSubscription, added: readonly string[], removed: readonly string[]): void {
    const current = this.#current;
    if (current === undefined) return; // the next stream opens with the current interest
    if (this.#driver.kind === 'sotw' && this.#responsePending(sub, current.id)) {
      // A SotW request carries the latest nonce; sending it now would answer a response the caller has not
      // settled. The ACK/NACK of that response carries the new name list instead.
      sub.changeDeferred = true;
      return;
    }
    current.stream.change(sub, added, removed);
  }

  #responsePending(sub: TypeSubscription, streamId: number): boolean {
    return sub.outstanding || this.#inbox.some((e) => e.kind === 'response' && e.typeUrl === sub.typeUrl && e.streamId === streamId);
  }

  #enqueue(entry: InboxEntry): void {
    if (this.#finished) return;
    this.#inbox.push(entry);
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** The next deliverable batch: the first inbox entry whose type has no unsettled batch. */
  #takeBatch(): SettleableBatch | undefined {
    for (let i = 0; i < this.#inbox.length; ) {
      const entry = this.#inbox[i];
      const sub = entry === undefined ? undefined : this.#subs.get(entry.typeUrl);
      if (entry === undefined || sub === undefined) {
        this.#inbox.splice(i, 1);
        continue;
      }
      if (sub.outstanding) {
        i++;
        continue;
      }
      this.#inbox.splice(i, 1);
      const prepared = this.#prepare(sub, entry);
      if (prepared === undefined) continue;
      sub.outstanding = true;
      return new SettleableBatch(prepared, (batch, errors, rejectAll) => this.#settle(sub, batch, errors, rejectAll));
    }
    return undefined;
  }

  #prepare(sub: TypeSubscription, entry: InboxEntry): PreparedBatch | undefined {
    const head = { typeUrl: sub.typeUrl, version: '', nonce: '', streamId: 0, updates: [], refreshes: [], errors: [] };
    switch (entry.kind) {
      case 'response':
        // Responses of a dead stream are dropped: the server resends on the new stream what we lack.
        if (entry.streamId !== this.#current?.id) return undefined;
        return entry.response.prepare(sub, entry.streamId);
      case 'ttl': {
        const held = sub.accepted.get(entry.name);
        if (held?.expiresAt === undefined || held.expiresAt > Date.now()) return undefined;
        return { ...head, source: 'ttl-expiry', removals: [{ name: entry.name, version: held.version, reason: 'expired' }] };
      }
      case 'timeout': {
        const names = entry.names.filter((n) => sub.pending.has(n) && sub.interested(n) && !sub.accepted.has(n));
        for (const name of names) sub.pending.delete(name);
        if (names.length === 0 && !(entry.wildcard && sub.awaitingFirstResponse)) return undefined;
        return { ...head, source: 'initial-fetch-timeout', removals: names.map((name) => ({ name, version: '', reason: 'timeout' as const })) };
      }
    }
  }

  #settle(sub: TypeSubscription, batch: PreparedBatch, nackErrors: readonly XdsResourceError[] | undefined, rejectAll: boolean): void {
    sub.outstanding = false;
    if (this.#finished) return;
    const errors = [...batch.errors, ...(nackErrors ?? [])];
    const rejected = new Set(errors.map((e) => e.name));
    if (!rejectAll) {
      for (const u of batch.updates) if (!rejected.has(u.name) && sub.interested(u.name)) this.#accept(sub, u.name, u.version, u.digest, u.ttlMs);
      for (const r of batch.removals) if (!rejected.has(r.name)) sub.forget(r.name);
      for (const f of batch.refreshes) {
        const held = sub.accepted.get(f.name);
        if (held === undefined || rejected.has(f.name)) continue;
        held.version = f.version;
        this.#setTtl(sub, f.name, held, f.ttlMs);
      }
    }
    let sent = false;
    if (batch.source === 'response') {
      const nack = nackErrors !== undefined || errors.length > 0;
      if (nack) {
        sub.stats.update_rejected++;
      } else {
        sub.stats.update_success++;
        sub.lastAcceptedVersion = batch.version;
        sub.stats.version = batch.version;
      }
      const current = this.#current;
      if (current !== undefined && current.id === batch.streamId) {
        current.stream.settle(sub, batch, nack ? nackStatus(errors) : undefined);
        sent = true;
      }
    }
    if (sub.changeDeferred && !this.#responsePendingOnCurrent(sub)) {
      sub.changeDeferred = false;
      if (!sent) this.#current?.stream.change(sub, [], []);
    }
    this.#notify();
  }

  #responsePendingOnCurrent(sub: TypeSubscription): boolean {
    const current = this.#current;
    return current !== undefined && this.#responsePending(sub, current.id);
  }

  #accept(sub: TypeSubscription, name: string, version: string, digest: string, ttlMs: number | undefined): void {
    let held = sub.accepted.get(name);
    if (held === undefined) {
      held = { version, digest };
      sub.accepted.set(name, held);
    }
    held.version = version;
    held.digest = digest;
    this.#setTtl(sub, name, held, ttlMs);
  }

  /** (Re)arms a resource's TTL (rule 24); no TTL clears it. */
  #setTtl(sub: TypeSubscription, name: string, held: AcceptedResource, ttlMs: number | undefined): void {
    if (held.timer !== undefined) clearTimeout(held.timer);
    delete held.timer;
    delete held.expiresAt;
    if (ttlMs === undefined || ttlMs <= 0) return;
    held.expiresAt = Date.now() + ttlMs;
    held.timer = setTimeout(() => {
      delete held.timer;
      this.#enqueue({ kind: 'ttl', typeUrl: sub.typeUrl, name });
    }, ttlMs);
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.#closing.signal.aborted) {
      const id = ++this.#streamId;
      this.#callAbort = new AbortController();
      this.#cp.stream_attempt++;
      let failure: unknown;
      let stream: ActiveStream | undefined;
      try {
        const started = this.#driver.start(this.#connection.client, this.#node, {
          signal: this.#callAbort.signal,
          onHeader: () => this.#markConnected(),
        });
        stream = started.stream;
        this.#current = { id, stream };
        for (const sub of [...this.#subs.values()].sort((a, b) => typeUrlRank(a.typeUrl) - typeUrlRank(b.typeUrl))) {
          sub.resetStream();
          stream.open(sub);
        }
        if (this.#closing.signal.aborted) stream.end();
        for await (const response of started.responses) {
          this.#markConnected();
          attempt = 0;
          this.#onResponse(id, response);
        }
        failure = new OrionError(ORION_ERR_XDS_STREAM_FAILED, 'the ADS server closed the stream');
      } catch (err) {
        failure = err;
      } finally {
        stream?.end();
        this.#current = undefined;
        this.#cp.connected_state = 0;
      }
      if (this.#closing.signal.aborted) break;
      this.#cp.stream_failure++;
      for (const sub of this.#subs.values()) {
        if (sub.names.size === 0) continue;
        sub.stats.update_attempt++;
        sub.stats.update_failure++;
      }
      const delayMs = backoffDelayMs(attempt++, this.#backoff);
      const reason = failure instanceof Error ? failure.message : String(failure);
      this.#logger.warn(`ADS stream to ${formatXdsTarget(this.#target)} failed: ${reason}; reconnecting in ${delayMs} ms`);
      await sleep(delayMs, this.#closing.signal);
    }
  }

  #markConnected(): void {
    if (this.#cp.connected_state === 1) return;
    this.#cp.connected_state = 1;
    this.#logger.info(`connected to ADS server ${formatXdsTarget(this.#target)} (${this.#driver.kind})`);
  }

  #onResponse(streamId: number, response: InboundResponse): void {
    const sub = this.#subs.get(response.typeUrl);
    if (sub === undefined) {
      this.#logger.warn(`ignoring a response for type URL ${response.typeUrl}, which has no binding`);
      return;
    }
    this.#logger.debug(`${xdsShortName(sub.typeUrl)}: response nonce "${response.nonce}"`);
    sub.lastNonce = response.nonce;
    sub.awaitingFirstResponse = false;
    sub.stats.update_attempt++;
    this.#enqueue({ kind: 'response', typeUrl: sub.typeUrl, streamId, response });
  }
}

/** The `error_detail` of a NACK: one `<name>: <message>` line per error. */
function nackStatus(errors: readonly XdsResourceError[]): Status {
  const message = errors.length === 0 ? 'rejected by the client' : errors.map((e) => (e.name === '' ? e.message : `${e.name}: ${e.message}`)).join('\n');
  return create(StatusSchema, { code: STATUS_INTERNAL, message });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Creates a client from plain options; {@link DiscoveryClientBuilder} gives typed batches. */
export function createDiscoveryClient(options: DiscoveryClientOptions): DiscoveryClient {
  return new DiscoveryClient(options);
}
