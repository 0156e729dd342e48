import type { Node } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import type { DeltaDiscoveryRequest, DiscoveryRequest } from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';
import type { Status } from '@orion/data-plane-api/gen/google/rpc/status_pb.js';
import type { AdsClient } from './ads-connection.js';
import { AsyncQueue } from './async-queue.js';
import { deltaChangeRequest, deltaOpenRequest, deltaSettleRequest, prepareDeltaBatch } from './delta-protocol.js';
import type { PreparedBatch } from './prepared-batch.js';
import { prepareSotwBatch, sotwChangeRequest, sotwOpenRequest, sotwSettleRequest } from './sotw-protocol.js';
import type { TypeSubscription } from './type-subscription.js';
import type { XdsProtocol } from './xds-protocol.js';

/** A response as the client loop sees it, whatever the protocol. */
export interface InboundResponse {
  readonly typeUrl: string;
  readonly nonce: string;
  /** Turns the response into a batch against the subscription's state at delivery time. */
  prepare(sub: TypeSubscription, streamId: number): PreparedBatch;
}

/** The request half of one ADS stream. */
export interface ActiveStream {
  /** Opens a type's subscription (first request of the type on this stream). */
  open(sub: TypeSubscription): void;
  /** Sends a subscription change. */
  change(sub: TypeSubscription, added: readonly string[], removed: readonly string[]): void;
  /** Sends the ACK (no `errorDetail`) or NACK of a response batch. */
  settle(sub: TypeSubscription, batch: PreparedBatch, errorDetail: Status | undefined): void;
  /** Half-closes the stream after what was pushed is written. */
  end(): void;
}

/** Options of {@link AdsProtocolDriver.start}. */
export interface StreamStartOptions {
  readonly signal: AbortSignal;
  /** Called when the server's response headers arrive. */
  readonly onHeader: () => void;
}

/** One of the two ADS variants: how to open a stream and speak on it. */
export interface AdsProtocolDriver {
  readonly kind: XdsProtocol;
  start(client: AdsClient, node: Node, options: StreamStartOptions): { stream: ActiveStream; responses: AsyncIterable<InboundResponse> };
}

/** Hands out the node for the first request of a stream only (rule 1). */
function nodeOnce(node: Node): { peek(): Node | undefined; sent(): void } {
  let sent = false;
  return {
    peek: () => (sent ? undefined : node),
    sent: () => {
      sent = true;
    },
  };
}

/** Incremental xDS over `DeltaAggregatedResources`. */
export const deltaDriver: AdsProtocolDriver = {
  kind: 'delta',
  start(client, node, options) {
    const queue = new AsyncQueue<DeltaDiscoveryRequest>();
    const first = nodeOnce(node);
    const send = (req: DeltaDiscoveryRequest | undefined): void => {
      if (req === undefined) return;
      if (req.node !== undefined) first.sent();
      queue.push(req);
    };
    const calls = client.deltaAggregatedResources(queue, { signal: options.signal, onHeader: options.onHeader });
    const responses = (async function* () {
      for await (const res of calls) {
        yield { typeUrl: res.typeUrl, nonce: res.nonce, prepare: (sub: TypeSubscription, id: number) => prepareDeltaBatch(sub, res, id) };
      }
    })();
    return {
      responses,
      stream: {
        open: (sub) => send(deltaOpenRequest(sub, first.peek())),
        change: (sub, added, removed) => send(deltaChangeRequest(sub, added, removed, first.peek())),
        settle: (sub, batch, errorDetail) => send(deltaSettleRequest(sub, batch.nonce, errorDetail)),
        end: () => queue.end(),
      },
    };
  },
};

/** State-of-the-world xDS over `StreamAggregatedResources`. */
export const sotwDriver: AdsProtocolDriver = {
  kind: 'sotw',
  start(client, node, options) {
    const queue = new AsyncQueue<DiscoveryRequest>();
    const first = nodeOnce(node);
    const send = (req: DiscoveryRequest | undefined): void => {
      if (req === undefined) return;
      if (req.node !== undefined) first.sent();
      queue.push(req);
    };
    const calls = client.streamAggregatedResources(queue, { signal: options.signal, onHeader: options.onHeader });
    const responses = (async function* () {
      for await (const res of calls) {
        yield { typeUrl: res.typeUrl, nonce: res.nonce, prepare: (sub: TypeSubscription, id: number) => prepareSotwBatch(sub, res, id) };
      }
    })();
    return {
      responses,
      stream: {
        open: (sub) => send(sotwOpenRequest(sub, first.peek())),
        change: (sub) => send(sotwChangeRequest(sub, first.peek())),
        settle: (sub, batch, errorDetail) =>
          send(sotwSettleRequest(sub, batch.nonce, errorDetail === undefined ? batch.version : sub.lastAcceptedVersion, errorDetail)),
        end: () => queue.end(),
      },
    };
  },
};
