/**
 * Why an upstream attempt failed, in Envoy's reset-reason terms. `beforeHeaders` tells whether the
 * connection manager can still answer with a local reply.
 */
export type UpstreamFailureReason =
  /** The connection could not be established (refused, unreachable, missing socket file): `UF`. */
  | 'connectionFailure'
  /** The connect timeout elapsed: `UF`. */
  | 'connectionTimeout'
  /** The upstream closed or reset the connection: `UC` before headers, `UR`-like after. */
  | 'connectionTermination'
  /** The upstream sent something that is not valid HTTP: `UPE`. */
  | 'protocolError'
  /** Orion aborted the attempt (route timeout, downstream gone). */
  | 'localReset';

/** Maps an error from the upstream client to Envoy's reset reason. */
export function classifyUpstreamError(err: Error & { code?: string }): UpstreamFailureReason {
  switch (err.code) {
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

/** Envoy's wording of a reset reason in local-reply bodies and `%UPSTREAM_TRANSPORT_FAILURE_REASON%`. */
export function resetReasonText(reason: UpstreamFailureReason): string {
  switch (reason) {
    case 'connectionFailure':
      return 'connection failure';
    case 'connectionTimeout':
      return 'connection timeout';
    case 'connectionTermination':
      return 'connection termination';
    case 'protocolError':
      return 'protocol error';
    case 'localReset':
      return 'local reset';
  }
}
