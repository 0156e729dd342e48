import { create } from '@bufbuild/protobuf';
import type { Any } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  DeltaDiscoveryResponseSchema,
  DiscoveryResponseSchema,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
  type DiscoveryRequest,
  type DiscoveryResponse,
} from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';
import { resourceOf, toAny, type ServedMessage } from './resources.js';
import { TimedQueue } from './timed-queue.js';

/** The outgoing half of a server stream: responses to yield, or an error status to end with. */
class Outbox<T> {
  readonly #items: (T | { readonly fail: ConnectError })[] = [];
  #ended = false;
  #wake: (() => void) | undefined;

  push(item: T): void {
    if (this.#ended) throw new Error('the stream has ended');
    this.#items.push(item);
    this.#notify();
  }

  fail(error: ConnectError): void {
    if (this.#ended) return;
    this.#items.push({ fail: error });
    this.#notify();
  }

  end(): void {
    this.#ended = true;
    this.#notify();
  }

  get ended(): boolean {
    return this.#ended;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        if (typeof item === 'object' && item !== null && 'fail' in item) throw item.fail;
        yield item as T;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}

/** What every control-plane stream offers a test, whatever the protocol. */
export abstract class ControlPlaneStreamBase<Req, Res> {
  /** Every request received, in order. */
  readonly received: Req[] = [];
  readonly #requests: TimedQueue<Req>;
  protected readonly outbox = new Outbox<Res>();
  #nonce = 0;
  #clientClosed = false;

  constructor(what: string) {
    this.#requests = new TimedQueue<Req>(what);
  }

  /** The next request of the client (rejects after `timeoutMs`). */
  nextRequest(timeoutMs?: number): Promise<Req> {
    return this.#requests.next(timeoutMs);
  }

  /** Resolves if the client sends nothing for `ms`. */
  expectNoRequest(ms = 200): Promise<void> {
    return this.#requests.expectNothing(ms);
  }

  /** Requests received and not read yet. */
  get unread(): number {
    return this.#requests.size;
  }

  /** True once the client half-closed or reset the stream. */
  get clientClosed(): boolean {
    return this.#clientClosed;
  }

  /** Ends the stream with OK status. */
  end(): void {
    this.outbox.end();
  }

  /** Ends the stream with an error status (default UNAVAILABLE). */
  fail(code: Code = Code.Unavailable, message = 'control plane stream failed'): void {
    this.outbox.fail(new ConnectError(message, code));
  }

  protected nextNonce(): string {
    this.#nonce += 1;
    return `n${this.#nonce}`;
  }

  /** @internal Feeds a request in (called by the server). */
  receive(request: Req): void {
    this.received.push(request);
    this.#requests.push(request);
  }

  /** @internal The client finished sending (called by the server). */
  clientDone(reason: string): void {
    this.#clientClosed = true;
    this.#requests.close(reason);
    this.outbox.end();
  }

  /** @internal The responses to write (called by the server). */
  responses(): AsyncGenerator<Res> {
    return this.outbox.drain();
  }
}

/** One resource of a delta response, as a test writes it. */
export interface DeltaResourceInit {
  readonly name: string;
  readonly version: string;
  /** The body; omit for a TTL heartbeat. */
  readonly message?: ServedMessage | Any;
  readonly ttlMs?: number;
}

/** A `DeltaAggregatedResources` stream, driven by a test. */
export class DeltaControlPlaneStream extends ControlPlaneStreamBase<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  readonly kind = 'delta';

  constructor() {
    super('a delta discovery request');
  }

  /** Sends a response; returns its nonce. */
  send(init: { typeUrl: string; resources?: readonly DeltaResourceInit[]; removed?: readonly string[]; systemVersionInfo?: string; nonce?: string }): string {
    const nonce = init.nonce ?? this.nextNonce();
    this.sendRaw(
      create(DeltaDiscoveryResponseSchema, {
        typeUrl: init.typeUrl,
        nonce,
        systemVersionInfo: init.systemVersionInfo ?? '',
        resources: (init.resources ?? []).map((r) => resourceOf(r)),
        removedResources: [...(init.removed ?? [])],
      }),
    );
    return nonce;
  }

  /** Sends a response exactly as given. */
  sendRaw(response: DeltaDiscoveryResponse): void {
    this.outbox.push(response);
  }
}

/** A `StreamAggregatedResources` stream, driven by a test. */
export class SotwControlPlaneStream extends ControlPlaneStreamBase<DiscoveryRequest, DiscoveryResponse> {
  readonly kind = 'sotw';

  constructor() {
    super('a SotW discovery request');
  }

  /** Sends a response; returns its nonce. Messages are packed into `Any`s; `Any`s are sent as they are. */
  send(init: { typeUrl: string; versionInfo: string; resources?: readonly (ServedMessage | Any)[]; nonce?: string }): string {
    const nonce = init.nonce ?? this.nextNonce();
    this.sendRaw(
      create(DiscoveryResponseSchema, {
        typeUrl: init.typeUrl,
        versionInfo: init.versionInfo,
        nonce,
        resources: (init.resources ?? []).map((r) => (r.$typeName === 'google.protobuf.Any' ? (r as Any) : toAny(r as ServedMessage))),
      }),
    );
    return nonce;
  }

  /** Sends a response exactly as given. */
  sendRaw(response: DiscoveryResponse): void {
    this.outbox.push(response);
  }
}

/** A stream of either protocol. */
export type ControlPlaneStream = DeltaControlPlaneStream | SotwControlPlaneStream;
