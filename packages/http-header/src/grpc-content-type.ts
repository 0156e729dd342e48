/** `content-type` of a gRPC request or response; a `+<codec>` suffix names the message codec. */
export const GRPC_CONTENT_TYPE = 'application/grpc';
/** `content-type` of gRPC with protobuf messages, spelled out. */
export const GRPC_PROTO_CONTENT_TYPE = 'application/grpc+proto';
/** `content-type` of gRPC-Web (binary). Not gRPC for {@link isGrpcContentType}. */
export const GRPC_WEB_CONTENT_TYPE = 'application/grpc-web';
/** `content-type` of gRPC-Web with protobuf messages. */
export const GRPC_WEB_PROTO_CONTENT_TYPE = 'application/grpc-web+proto';
/** `content-type` of gRPC-Web text (base64 body). */
export const GRPC_WEB_TEXT_CONTENT_TYPE = 'application/grpc-web-text';
/** `content-type` of gRPC-Web text with protobuf messages. */
export const GRPC_WEB_TEXT_PROTO_CONTENT_TYPE = 'application/grpc-web-text+proto';

/**
 * True when a `content-type` value marks gRPC: exactly `application/grpc` or `application/grpc+<codec>`,
 * as Envoy decides (`Grpc::Common::hasGrpcContentType`). `application/grpc-web…` is not gRPC.
 */
export function isGrpcContentType(value: string | undefined): boolean {
  if (value === undefined || !value.startsWith(GRPC_CONTENT_TYPE)) return false;
  return value.length === GRPC_CONTENT_TYPE.length || value.charCodeAt(GRPC_CONTENT_TYPE.length) === 0x2b; // '+'
}
