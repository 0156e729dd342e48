/** The error codes of @orion/data-plane-api (listed in its README's Errors table). */
export const DataPlaneApiErrorCode = {
  /** The text is not valid YAML/JSON. */
  SYNTAX: 'ORION_ERR_DPAPI_SYNTAX',
  /** The document does not decode into the Envoy message (unknown field, wrong type, unknown `@type`, PGV rule). */
  DECODE: 'ORION_ERR_DPAPI_DECODE',
} as const;

/** One of {@link DataPlaneApiErrorCode}'s values. */
export type DataPlaneApiErrorCode = (typeof DataPlaneApiErrorCode)[keyof typeof DataPlaneApiErrorCode];
