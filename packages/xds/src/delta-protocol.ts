import { create } from '@bufbuild/protobuf';
import type { Node } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import {
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
} from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';
import type { Status } from '@orion/data-plane-api/gen/google/rpc/status_pb.js';
import { BatchCollector, durationMs, type PreparedBatch } from './prepared-batch.js';
import { WILDCARD, type TypeSubscription } from './type-subscription.js';

/**
 * The first request of a type on a delta stream: every name of interest in
 * `resource_names_subscribe` (the legacy empty list for a pure wildcard) and every accepted resource in
 * `initial_resource_versions` (rule 17). Undefined when there is no interest.
 */
export function deltaOpenRequest(sub: TypeSubscription, node: Node | undefined): DeltaDiscoveryRequest | undefined {
  if (sub.names.size === 0) return undefined;
  const subscribe = sub.legacyWildcard() ? [] : [...sub.names].sort();
  const initialResourceVersions: Record<string, string> = {};
  for (const [name, held] of sub.accepted) initialResourceVersions[name] = held.version;
  sub.requested = true;
  if (subscribe.some((n) => n !== WILDCARD)) sub.explicitSent = true;
  return create(DeltaDiscoveryRequestSchema, {
    typeUrl: sub.typeUrl,
    resourceNamesSubscribe: subscribe,
    initialResourceVersions,
    ...(node === undefined ? {} : { node }),
  });
}

/**
 * A spontaneous subscription change: only the added and removed names, and no `response_nonce`
 * (rule 15). A wildcard subscription leaving the legacy form names `*` explicitly.
 */
export function deltaChangeRequest(
  sub: TypeSubscription,
  added: readonly string[],
  removed: readonly string[],
  node: Node | undefined,
): DeltaDiscoveryRequest | undefined {
  if (!sub.requested) return deltaOpenRequest(sub, node);
  const subscribe = [...added];
  if (subscribe.some((n) => n !== WILDCARD) && !sub.explicitSent) {
    sub.explicitSent = true;
    if (sub.names.has(WILDCARD) && !subscribe.includes(WILDCARD)) subscribe.unshift(WILDCARD);
  }
  if (subscribe.length === 0 && removed.length === 0) return undefined;
  return create(DeltaDiscoveryRequestSchema, {
    typeUrl: sub.typeUrl,
    resourceNamesSubscribe: subscribe,
    resourceNamesUnsubscribe: [...removed],
    ...(node === undefined ? {} : { node }),
  });
}

/** The ACK (no `error_detail`) or NACK of a delta response (rule 16). */
export function deltaSettleRequest(sub: TypeSubscription, nonce: string, errorDetail: Status | undefined): DeltaDiscoveryRequest {
  return create(DeltaDiscoveryRequestSchema, {
    typeUrl: sub.typeUrl,
    responseNonce: nonce,
    ...(errorDetail === undefined ? {} : { errorDetail }),
  });
}

/**
 * The batch of a delta response: resources are changes only (rule 14), deletions come in
 * `removed_resources`, a resource without a body is a TTL heartbeat (rule 24), names not of interest
 * are ignored (rule 10).
 */
export function prepareDeltaBatch(sub: TypeSubscription, res: DeltaDiscoveryResponse, streamId: number): PreparedBatch {
  const collect = new BatchCollector(sub);
  for (const r of res.resources) {
    const name = r.name !== '' ? r.name : (r.resourceName?.name ?? '');
    if (name === '') {
      collect.error('', 'resource has no name');
      continue;
    }
    if (!collect.claim(name) || !sub.interested(name)) continue;
    const ttlMs = r.ttl === undefined ? undefined : durationMs(r.ttl);
    const ttl = ttlMs === undefined ? {} : { ttlMs };
    if (r.resource === undefined) {
      const held = sub.accepted.get(name);
      if (held !== undefined) collect.refresh({ name, version: r.version !== '' ? r.version : held.version, ...ttl });
      continue;
    }
    collect.resource(name, r.version, r.resource, ttlMs, res.typeUrl, true);
  }
  const removed = [...res.removedResources, ...res.removedResourceNames.map((n) => n.name)];
  for (const name of removed) {
    if (!collect.claim(name) || !sub.interested(name)) continue;
    collect.removal({ name, version: sub.accepted.get(name)?.version ?? '', reason: 'removed' });
  }
  return collect.finish({ typeUrl: res.typeUrl, source: 'response', version: res.systemVersionInfo, nonce: res.nonce, streamId });
}
