import { generateUuid } from './random-id.js';

/** Input of {@link isEdgeRequest}. */
export interface EdgeRequestInput {
  /**
   * Whether the connection manager judged the request internal: after the `x-forwarded-for`
   * handling, XFF holds a single address and it is an internal (RFC 1918 / loopback) one.
   */
  readonly internalRequest: boolean;
  /** HCM `use_remote_address`. Default in Envoy: false. */
  readonly useRemoteAddress: boolean;
}

/**
 * Envoy's "edge request": one from an external client to a front proxy, i.e. not internal and
 * `use_remote_address` set. Only edge requests have an incoming `x-request-id` replaced.
 */
export function isEdgeRequest(input: EdgeRequestInput): boolean {
  return !input.internalRequest && input.useRemoteAddress;
}

/** Input of {@link decideRequestId}. */
export interface RequestIdInput {
  /** The request's `x-request-id`, if any (an empty value counts as none). */
  readonly incoming: string | undefined;
  /** Whether the request is an edge request ({@link isEdgeRequest}). */
  readonly edgeRequest: boolean;
  /** HCM `preserve_external_request_id`: keep an edge request's own id. Default: false. */
  readonly preserveExternalRequestId?: boolean;
  /** HCM `generate_request_id`: generate ids at all. Default: true. */
  readonly generateRequestId?: boolean;
}

/** Result of {@link decideRequestId}. */
export interface RequestIdDecision {
  /** The `x-request-id` to forward, or undefined for none. */
  readonly id: string | undefined;
  /** True when `id` was generated here (the request's header must be set to it). */
  readonly generated: boolean;
}

/**
 * Decides a request's `x-request-id` as Envoy's connection manager and `envoy.request_id.uuid`
 * extension do: with `generate_request_id` (default true), a missing id is generated, and an edge
 * request's id is replaced unless `preserve_external_request_id`; an internal request's id is
 * trusted and kept. With `generate_request_id` false the incoming id is left as it is.
 * `generate` makes the new id (default {@link generateUuid}).
 */
export function decideRequestId(input: RequestIdInput, generate: () => string = generateUuid): RequestIdDecision {
  const incoming = input.incoming === '' ? undefined : input.incoming;
  if (input.generateRequestId === false) return { id: incoming, generated: false };
  const force = input.edgeRequest && input.preserveExternalRequestId !== true;
  if (incoming !== undefined && !force) return { id: incoming, generated: false };
  return { id: generate(), generated: true };
}

/** Input of {@link requestIdForResponse}. */
export interface ResponseRequestIdInput {
  /** The request's final `x-request-id`, if any. */
  readonly requestId: string | undefined;
  /** HCM `always_set_request_id_in_response`. Default: false. */
  readonly alwaysSetRequestIdInResponse?: boolean;
  /** Whether the request carried `x-envoy-force-trace` (after internal-header sanitising). */
  readonly forceTrace?: boolean;
}

/**
 * The `x-request-id` to set on the response, or undefined to leave the response alone: Envoy copies
 * the request's id when `always_set_request_id_in_response` is set or the request had
 * `x-envoy-force-trace`.
 */
export function requestIdForResponse(input: ResponseRequestIdInput): string | undefined {
  if (input.alwaysSetRequestIdInResponse !== true && input.forceTrace !== true) return undefined;
  return input.requestId === '' ? undefined : input.requestId;
}
