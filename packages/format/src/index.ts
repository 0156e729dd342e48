export { LogFormatter, LogFormatterLocal } from './log-formatter.js';
export type {
  DataSourceConfig,
  FromConfigOptions,
  LogFormatterOptions,
  SubstitutionFormatStringConfig,
} from './log-formatter.js';
export type { CompileOptions } from './compile.js';
export type { JsonMode } from './json-format.js';
export type {
  AttemptedHost,
  FilterStateObject,
  FormatContext,
  FormatTimings,
  HeaderRecord,
  JsonValue,
  Metadata,
  SocketAddress,
  TlsInfo,
} from './format-context.js';
export {
  RESPONSE_FLAGS,
  ResponseFlag,
  responseFlagByName,
  responseFlagsToLongString,
  responseFlagsToShortString,
} from './response-flags.js';
export type { ResponseFlagInfo, ResponseFlagName } from './response-flags.js';
export { ENVOY_DEFAULT_FORMAT, ISTIO_DEFAULT_JSON_FORMAT, ISTIO_DEFAULT_TEXT_FORMAT } from './defaults.js';
export { SUPPORTED_OPERATORS } from './operators/registry.js';
export { ORION_ERR_FORMAT_CONFIG, ORION_ERR_FORMAT_FILE_READ, ORION_ERR_FORMAT_PARSE, FORMAT_ERROR_CODES } from './error-codes.js';
export type { FormatParseErrorDetails } from './parse-error.js';
