import { create, fromBinary } from '@bufbuild/protobuf';
import type { Node } from '@orion/data-plane-api/gen/envoy/config/core/v3/base_pb.js';
import {
  DiscoveryRequestSchema,
  ResourceSchema,
  type DiscoveryRequest,
  type DiscoveryResponse,
} from '@orion/data-plane-api/gen/envoy/service/discovery/v3/discovery_pb.js';
import type { Status } from '@orion/data-plane-api/gen/google/rpc/status_pb.js';
import type { Any } from '@bufbuild/protobuf/wkt';
import { BatchCollector, durationMs, type PreparedBatch } from './prepared-batch.js';
import { WILDCARD, type TypeSubscription } from './type-subscription.js';
import { RESOURCE_WRAPPER_TYPE_URL } from './type-urls.js';

/**
 * The complete name list of a SotW request (rule 3): empty for a pure wildcard that never named a
 * resource (the legacy form), otherwise every name with `*` kept explicit. Undefined when interest
 * dropped to nothing on a legacy wildcard: an empty list would still mean "everything" (rule 11).
 */
export function sotwResourceNames(sub: TypeSubscription): string[] | undefined {
  if (sub.legacyWildcard()) return [];
  if (sub.names.size === 0 && !sub.explicitSent) return undefined;
  const names = [...sub.names].sort();
  if (names.some((n) => n !== WILDCARD)) sub.explicitSent = true;
  return names;
}

/**
 * The first request of a type on a SotW stream: every name of interest and the last accepted
 * `version_info` (rule 18). Undefined when there is no interest.
 */
export function sotwOpenRequest(sub: TypeSubscription, node: Node | undefined): DiscoveryRequest | undefined {
  if (sub.names.size === 0) return undefined;
  const resourceNames = sotwResourceNames(sub) ?? [];
  sub.requested = true;
  return create(DiscoveryRequestSchema, {
    typeUrl: sub.typeUrl,
    versionInfo: sub.lastAcceptedVersion,
    resourceNames,
    ...(node === undefined ? {} : { node }),
  });
}

/**
 * A subscription change: the full new name list with the last accepted version and the most recent
 * nonce (rules 3, 9).
 */
export function sotwChangeRequest(sub: TypeSubscription, node: Node | undefined): DiscoveryRequest | undefined {
  if (!sub.requested) return sotwOpenRequest(sub, node);
  const resourceNames = sotwResourceNames(sub);
  if (resourceNames === undefined) return undefined;
  return create(DiscoveryRequestSchema, {
    typeUrl: sub.typeUrl,
    versionInfo: sub.lastAcceptedVersion,
    responseNonce: sub.lastNonce,
    resourceNames,
    ...(node === undefined ? {} : { node }),
  });
}

/**
 * The ACK or NACK of a SotW response (rules 4–6): `response_nonce`, the complete name list, and
 * `version_info` = the response's version on ACK or the last accepted one on NACK (with `error_detail`).
 */
export function sotwSettleRequest(sub: TypeSubscription, nonce: string, versionInfo: string, errorDetail: Status | undefined): DiscoveryRequest {
  return create(DiscoveryRequestSchema, {
    typeUrl: sub.typeUrl,
    versionInfo,
    responseNonce: nonce,
    resourceNames: sotwResourceNames(sub) ?? [],
    ...(errorDetail === undefined ? {} : { errorDetail }),
  });
}

/**
 * The batch of a SotW response. Resources are named by the binding (or the `Resource` wrapper, whose
 * empty body is a TTL heartbeat); identical resends are not updates; for wildcard types (LDS/CDS) the
 * response is the full state, so accepted resources missing from it are removed (rule 12), while for
 * RDS/EDS/SDS absence means nothing (rule 13).
 */
export function prepareSotwBatch(sub: TypeSubscription, res: DiscoveryResponse, streamId: number): PreparedBatch {
  const collect = new BatchCollector(sub);
  for (const [index, any] of res.resources.entries()) {
    let inner: Any | undefined = any;
    let version = res.versionInfo;
    let ttlMs: number | undefined;
    let name: string;
    try {
      if (any.typeUrl === RESOURCE_WRAPPER_TYPE_URL) {
        const wrapper = fromBinary(ResourceSchema, any.value);
        inner = wrapper.resource;
        if (wrapper.version !== '') version = wrapper.version;
        if (wrapper.ttl !== undefined) ttlMs = durationMs(wrapper.ttl);
        name = wrapper.name !== '' ? wrapper.name : inner === undefined ? '' : sub.binding.nameOf(inner);
      } else {
        name = sub.binding.nameOf(any);
      }
    } catch (err) {
      collect.error(`resources[${index}]`, err instanceof Error ? err.message : String(err));
      continue;
    }
    if (name === '') {
      collect.error(`resources[${index}]`, 'resource has no name');
      continue;
    }
    if (!collect.claim(name) || !sub.interested(name)) continue;
    if (inner === undefined) {
      const held = sub.accepted.get(name);
      if (held !== undefined) collect.refresh({ name, version: held.version, ...(ttlMs === undefined ? {} : { ttlMs }) });
      continue;
    }
    collect.resource(name, version, inner, ttlMs, res.typeUrl, false);
  }
  if (sub.binding.wildcard) {
    for (const [name, held] of sub.accepted) {
      if (!collect.names.has(name) && sub.interested(name)) collect.removal({ name, version: held.version, reason: 'removed' });
    }
  }
  return collect.finish({ typeUrl: res.typeUrl, source: 'response', version: res.versionInfo, nonce: res.nonce, streamId });
}
