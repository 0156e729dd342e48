import type { Any } from '@bufbuild/protobuf/wkt';

/**
 * How a client turns the resources of one type URL into values of type `T`.
 *
 * The client calls `nameOf` only for state-of-the-world responses (delta responses carry
 * `Resource.name`), then `decode`. Either may throw: the failure is reported against that resource in
 * `batch.errors` and the rest of the response is still delivered, so a caller can NACK the failures and
 * keep the good resources (xDS rule 7).
 */
export interface XdsBinding<T, U extends string = string> {
  /** The type URL of `DiscoveryRequest.type_url`, e.g. `type.googleapis.com/envoy.config.cluster.v3.Cluster`. */
  readonly typeUrl: U;
  /**
   * True for wildcard types (LDS and CDS): subscribed to everything unless names are given, and a SotW
   * response carries the full state, so a resource missing from it is removed (xDS rules 11 and 12).
   */
  readonly wildcard: boolean;
  /** The name of a SotW resource: Envoy's `name` field, `cluster_name` for a ClusterLoadAssignment. */
  nameOf(resource: Any): string;
  /** Decodes one resource; `name` is the resource's name. Throws to reject it. */
  decode(resource: Any, name: string): T;
}

/**
 * A binding with the same type URL and name rule whose values are `convert(inner.decode(...))`.
 * The proxy uses it to turn Envoy messages into its own model; a conversion that throws rejects that
 * resource only.
 */
export function mapBinding<T, V, U extends string>(
  inner: XdsBinding<T, U>,
  convert: (value: T, name: string) => V,
): XdsBinding<V, U> {
  return {
    typeUrl: inner.typeUrl,
    wildcard: inner.wildcard,
    nameOf: (resource) => inner.nameOf(resource),
    decode: (resource, name) => convert(inner.decode(resource, name), name),
  };
}
