import { describe, expect, it } from 'vitest';
import {
  GRPC_CONTENT_TYPE,
  GRPC_PROTO_CONTENT_TYPE,
  GRPC_WEB_CONTENT_TYPE,
  GRPC_WEB_PROTO_CONTENT_TYPE,
  GRPC_WEB_TEXT_CONTENT_TYPE,
  GRPC_WEB_TEXT_PROTO_CONTENT_TYPE,
  isGrpcContentType,
} from '../src/index.js';

describe('isGrpcContentType', () => {
  it('accepts application/grpc with or without a codec suffix', () => {
    expect(isGrpcContentType(GRPC_CONTENT_TYPE)).toBe(true);
    expect(isGrpcContentType(GRPC_PROTO_CONTENT_TYPE)).toBe(true);
    expect(isGrpcContentType('application/grpc+json')).toBe(true);
  });

  it('rejects gRPC-Web, other types and a missing header', () => {
    for (const value of [
      GRPC_WEB_CONTENT_TYPE,
      GRPC_WEB_PROTO_CONTENT_TYPE,
      GRPC_WEB_TEXT_CONTENT_TYPE,
      GRPC_WEB_TEXT_PROTO_CONTENT_TYPE,
      'application/grpcx',
      'application/json',
      '',
      undefined,
    ]) {
      expect(isGrpcContentType(value), String(value)).toBe(false);
    }
  });
});
