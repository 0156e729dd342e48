/** The error codes of @orion/configuration (listed in its README's Errors table). */
export const ConfigurationErrorCode = {
  /** The configuration is invalid: `details.issues` lists every problem, each with its path and line:column. */
  INVALID: 'ORION_ERR_CONFIG_INVALID',
  /** The file uses Orion's Rust-native schema (`bootstrap:`, `terminal_filter`, …), which is not supported. */
  NATIVE_SCHEMA: 'ORION_ERR_CONFIG_NATIVE_SCHEMA',
  /** A configuration file could not be read. */
  READ: 'ORION_ERR_CONFIG_READ',
  /** The command line is invalid (unknown flag, missing or malformed value). */
  OPTIONS: 'ORION_ERR_CONFIG_OPTIONS',
} as const;

/** One of {@link ConfigurationErrorCode}'s values. */
export type ConfigurationErrorCode = (typeof ConfigurationErrorCode)[keyof typeof ConfigurationErrorCode];
