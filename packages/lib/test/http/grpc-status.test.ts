import { describe, expect, it } from 'vitest';
import { encodeGrpcMessage, GrpcStatus, httpToGrpcStatus } from '../../src/http/grpc-status.js';
import { grpcTimeoutMs } from '../../src/http/grpc-timeout.js';

describe('httpToGrpcStatus', () => {
  it('maps HTTP statuses as Envoy does', () => {
    expect([400, 401, 403, 404, 429, 502, 503, 504, 500, 418].map(httpToGrpcStatus)).toEqual([
      GrpcStatus.INTERNAL,
      GrpcStatus.UNAUTHENTICATED,
      GrpcStatus.PERMISSION_DENIED,
      GrpcStatus.UNIMPLEMENTED,
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.UNAVAILABLE,
      GrpcStatus.UNKNOWN,
      GrpcStatus.UNKNOWN,
    ]);
  });
});

describe('encodeGrpcMessage', () => {
  it('percent-encodes non-printable bytes and %', () => {
    expect(encodeGrpcMessage('no healthy upstream')).toBe('no healthy upstream');
    expect(encodeGrpcMessage('50% off\n')).toBe('50%25 off%0A');
    expect(encodeGrpcMessage('café')).toBe('caf%C3%A9');
  });
});

describe('grpcTimeoutMs', () => {
  it('reads every unit, rounding up to whole milliseconds', () => {
    expect(['1H', '2M', '3S', '250m', '1500u', '1n', '0m'].map(grpcTimeoutMs)).toEqual([3_600_000, 120_000, 3000, 250, 2, 1, 0]);
  });

  it('refuses malformed values', () => {
    expect(['', 'm', '10', '10x', '-5m', '123456789S', '1.5S', undefined].map(grpcTimeoutMs)).toEqual(Array(8).fill(undefined));
  });
});
