import { ResponseFlag } from '@orion/format';
import { PENDING_OVERFLOW_CODE } from '../transport/connection-pool-stats.js';

/**
 * Why an upstream attempt failed, in Envoy's reset-reason terms. `beforeHeaders` tells whether the
 * connection manager can still answer with a local reply.
 */
export type UpstreamFailureReason =
  /** The connection could not be established (refused, unreachable, missing socket file): `UF`. */
  | 'connectionFailure'
  /** The connect timeout elapsed: `UF`. */
  | 'connectionTimeout'
  /** The upstream closed or reset the connection: `UC`. */
  | 'connectionTermination'
  /** The upstream reset the stream (HTTP/2 RST_STREAM): `UR`. */
  | 'remoteReset'
  /** The upstream refused the stream (RST_STREAM REFUSED_STREAM, or above a GOAWAY's last stream id): `UR`. */
  | 'refusedStream'
  /** The upstream sent something that is not valid HTTP: `UPE`. */
  | 'protocolError'
  /** Orion aborted the attempt (route timeout, downstream gone). */
  | 'localReset'
  /** The cluster's `max_pending_requests` was reached: the request was never queued (`UO`). */
  | 'overflow';

/** Maps an error from the upstream client to Envoy's reset reason. */
export function classifyUpstreamError(err: Error & { code?: string }): UpstreamFailureReason {
  switch (err.code) {
    case PENDING_OVERFLOW_CODE:
      return 'overflow';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'connectionTimeout';
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOENT':
    case 'EACCES':
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'connectionFailure';
    case 'UND_ERR_HEADERS_OVERFLOW':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_STATUS':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
    case 'UND_ERR_INFO':
      return 'protocolError';
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return 'localReset';
    default:
      return err.name === 'HTTPParserError' ? 'protocolError' : 'connectionTermination';
  }
}

/** The response flag of an upstream failure (Envoy: `UF`, `UC`, `UR`, `UPE`; 0 for a local reset). */
export function upstreamFailureFlag(reason: UpstreamFailureReason): number {
  switch (reason) {
    case 'connectionFailure':
    case 'connectionTimeout':
      return ResponseFlag.UpstreamConnectionFailure;
    case 'connectionTermination':
      return ResponseFlag.UpstreamConnectionTermination;
    case 'remoteReset':
    case 'refusedStream':
      return ResponseFlag.UpstreamRemoteReset;
    case 'protocolError':
      return ResponseFlag.UpstreamProtocolError;
    case 'localReset':
      return 0;
    case 'overflow':
      return ResponseFlag.UpstreamOverflow;
  }
}

/** Envoy's wording of a reset reason in local-reply bodies and `%UPSTREAM_TRANSPORT_FAILURE_REASON%`. */
export function resetReasonText(reason: UpstreamFailureReason): string {
  switch (reason) {
    case 'connectionFailure':
      return 'connection failure';
    case 'connectionTimeout':
      return 'connection timeout';
    case 'connectionTermination':
      return 'connection termination';
    case 'remoteReset':
      return 'remote reset';
    case 'refusedStream':
      return 'remote refused stream reset';
    case 'protocolError':
      return 'protocol error';
    case 'localReset':
      return 'local reset';
    case 'overflow':
      return 'overflow';
  }
}
