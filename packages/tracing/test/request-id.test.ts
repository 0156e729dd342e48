import { describe, expect, it } from 'vitest';
import { decideRequestId, isEdgeRequest, requestIdForResponse } from '../src/index.js';
import type { RequestIdInput } from '../src/index.js';

const INCOMING = '2f4c9a6e-1b3d-4e5f-8a7b-9c0d1e2f3a4b';
const NEW = 'generated-id';
const generate = (): string => NEW;

describe('isEdgeRequest', () => {
  // Envoy conn_manager_utility: edge_request = !internal_request && use_remote_address.
  it.each([
    [false, true, true],
    [true, true, false],
    [false, false, false],
    [true, false, false],
  ])('internal=%s use_remote_address=%s → edge=%s', (internalRequest, useRemoteAddress, edge) => {
    expect(isEdgeRequest({ internalRequest, useRemoteAddress })).toBe(edge);
  });
});

describe('decideRequestId', () => {
  // Envoy HCM "x-request-id" and `generate_request_id` / `preserve_external_request_id`:
  // force_set = !preserve_external_request_id && edge_request; set when forced or missing.
  it.each<[string, RequestIdInput, string | undefined, boolean]>([
    ['generates a missing id on an internal request', { incoming: undefined, edgeRequest: false }, NEW, true],
    ['generates a missing id on an edge request', { incoming: undefined, edgeRequest: true }, NEW, true],
    ['treats an empty id as missing', { incoming: '', edgeRequest: false }, NEW, true],
    ['keeps an internal request\'s id (trusted)', { incoming: INCOMING, edgeRequest: false }, INCOMING, false],
    ['replaces an edge request\'s id (untrusted)', { incoming: INCOMING, edgeRequest: true }, NEW, true],
    ['keeps an edge request\'s id with preserve_external_request_id', { incoming: INCOMING, edgeRequest: true, preserveExternalRequestId: true }, INCOMING, false],
    ['still generates a missing edge id with preserve_external_request_id', { incoming: undefined, edgeRequest: true, preserveExternalRequestId: true }, NEW, true],
    ['leaves an edge id alone with generate_request_id off', { incoming: INCOMING, edgeRequest: true, generateRequestId: false }, INCOMING, false],
    ['generates nothing with generate_request_id off', { incoming: undefined, edgeRequest: true, generateRequestId: false }, undefined, false],
  ])('%s', (_name, input, id, generated) => {
    expect(decideRequestId(input, generate)).toEqual({ id, generated });
  });

  it('generates UUIDv4s by default', () => {
    const decision = decideRequestId({ incoming: undefined, edgeRequest: true });
    expect(decision.generated).toBe(true);
    expect(decision.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('requestIdForResponse', () => {
  // Envoy mutateResponseHeaders: copy when always_set_request_id_in_response or x-envoy-force-trace.
  it.each([
    [{ requestId: INCOMING }, undefined],
    [{ requestId: INCOMING, alwaysSetRequestIdInResponse: true }, INCOMING],
    [{ requestId: INCOMING, forceTrace: true }, INCOMING],
    [{ requestId: undefined, alwaysSetRequestIdInResponse: true }, undefined],
  ])('%o → %s', (input, expected) => {
    expect(requestIdForResponse(input)).toBe(expected);
  });
});
