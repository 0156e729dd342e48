import type { DataSource } from './data-source.js';
import type { JsonObject } from './json-value.js';

/**
 * One access log. Envoy: `envoy.config.accesslog.v3.AccessLog` whose `typed_config` is a `FileAccessLog`,
 * `StdoutAccessLog` or `StderrAccessLog` (chosen by type URL, never by `name`); `filter` is rejected.
 */
export interface AccessLog {
  /** `name`, for messages only. */
  readonly name: string;
  /** Where lines go. */
  readonly sink: AccessLogSink;
  /** How a line is formatted. */
  readonly format: AccessLogFormat;
}

/** Where access-log lines are written. */
export type AccessLogSink =
  | { readonly type: 'file'; /** `FileAccessLog.path` (e.g. `/dev/stdout`). */ readonly path: string }
  | { readonly type: 'stdout' }
  | { readonly type: 'stderr' };

/**
 * The format of an access-log line. Envoy: `envoy.config.core.v3.SubstitutionFormatString` and the deprecated
 * `format` / `json_format` / `typed_json_format` fields of `FileAccessLog`. Default: `text` with Envoy's default
 * format string ({@link DEFAULT_ACCESS_LOG_FORMAT}).
 */
export type AccessLogFormat =
  | {
      readonly type: 'text';
      /** The command string, e.g. `[%START_TIME%] "%REQ(:METHOD)%"\n` (already validated). */
      readonly format: string;
      /** `omit_empty_values`. Default false. */
      readonly omitEmptyValues: boolean;
    }
  | {
      readonly type: 'textSource';
      /** `text_format_source` read by the data plane (a file or environment variable; not validated here). */
      readonly source: DataSource;
      readonly omitEmptyValues: boolean;
    }
  | {
      readonly type: 'json';
      /** `json_format`: each string value is a command string. */
      readonly format: JsonObject;
      /** `omit_empty_values`. Default false. */
      readonly omitEmptyValues: boolean;
    };

/** Envoy's default access-log format, used when a logger gives none. */
export const DEFAULT_ACCESS_LOG_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
  '%BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" ' +
  '"%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n';
