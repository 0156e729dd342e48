/**
 * Error codes of `@orion/xds`. Each is listed in the README's `## Errors` table and never reused for
 * another meaning.
 */

/** The bootstrap's `dynamic_resources` cannot be served by this ADS client (missing `ads_config`, a non-ADS source). */
export const ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED = 'ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED';

/** The ADS server's address cannot be derived (unknown cluster, unsupported cluster type, no endpoint). */
export const ORION_ERR_XDS_ADS_TARGET_INVALID = 'ORION_ERR_XDS_ADS_TARGET_INVALID';

/** A client option or builder call is invalid (no target, a type URL bound twice, a negative timeout). */
export const ORION_ERR_XDS_INVALID_ARGUMENT = 'ORION_ERR_XDS_INVALID_ARGUMENT';

/** A subscription names a type URL that has no binding on this client. */
export const ORION_ERR_XDS_UNKNOWN_TYPE = 'ORION_ERR_XDS_UNKNOWN_TYPE';

/** `ack()` or `nack()` was called on a batch that was already settled. */
export const ORION_ERR_XDS_BATCH_SETTLED = 'ORION_ERR_XDS_BATCH_SETTLED';

/** The batches of a client are iterated by a second consumer; a client has exactly one. */
export const ORION_ERR_XDS_ALREADY_ITERATING = 'ORION_ERR_XDS_ALREADY_ITERATING';

/** The ADS stream failed or was closed by the server; the client backs off and reconnects. */
export const ORION_ERR_XDS_STREAM_FAILED = 'ORION_ERR_XDS_STREAM_FAILED';

/** A resource of a response cannot be decoded by its binding; reported per resource in `batch.errors`. */
export const ORION_ERR_XDS_RESOURCE_INVALID = 'ORION_ERR_XDS_RESOURCE_INVALID';

/** The `orion-xds` command line is invalid. */
export const ORION_ERR_XDS_CLI_USAGE = 'ORION_ERR_XDS_CLI_USAGE';

/** Every error code this package defines, in README order. */
export const XDS_ERROR_CODES = [
  ORION_ERR_XDS_CONFIG_SOURCE_UNSUPPORTED,
  ORION_ERR_XDS_ADS_TARGET_INVALID,
  ORION_ERR_XDS_INVALID_ARGUMENT,
  ORION_ERR_XDS_UNKNOWN_TYPE,
  ORION_ERR_XDS_BATCH_SETTLED,
  ORION_ERR_XDS_ALREADY_ITERATING,
  ORION_ERR_XDS_STREAM_FAILED,
  ORION_ERR_XDS_RESOURCE_INVALID,
  ORION_ERR_XDS_CLI_USAGE,
] as const;
