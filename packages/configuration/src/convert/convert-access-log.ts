import type { FieldPath } from '@orion/data-plane-api';
import type { AccessLog as AccessLogProto } from '@orion/data-plane-api/gen/envoy/config/accesslog/v3/accesslog_pb.js';
import type { SubstitutionFormatString } from '@orion/data-plane-api/gen/envoy/config/core/v3/substitution_format_string_pb.js';
import type { FileAccessLog } from '@orion/data-plane-api/gen/envoy/extensions/access_loggers/file/v3/file_pb.js';
import type { StderrAccessLog, StdoutAccessLog } from '@orion/data-plane-api/gen/envoy/extensions/access_loggers/stream/v3/stream_pb.js';
import { accessLogFormatProblem } from '../access-log-format.js';
import { DEFAULT_ACCESS_LOG_FORMAT, type AccessLog, type AccessLogFormat } from '../model/access-log.js';
import type { JsonObject, JsonValue } from '../model/json-value.js';
import { ExtensionType } from '../support/support-table.js';
import { convertDataSource } from './convert-common.js';
import type { ConversionContext } from './conversion-context.js';
import { unpackExtension } from './unpack-extension.js';

/** Converts a list of `access_log` entries, leaving out the ones already reported as not implemented. */
export function convertAccessLogs(logs: readonly AccessLogProto[], path: FieldPath, ctx: ConversionContext): AccessLog[] {
  const out: AccessLog[] = [];
  logs.forEach((log, i) => {
    const converted = convertAccessLog(log, path.index(i, log.name), ctx);
    if (converted !== undefined) out.push(converted);
  });
  return out;
}

/** `envoy.config.accesslog.v3.AccessLog` → {@link AccessLog}, by `typed_config` type URL (never by `name`). */
export function convertAccessLog(log: AccessLogProto, path: FieldPath, ctx: ConversionContext): AccessLog | undefined {
  const any = log.configType.case === 'typedConfig' ? log.configType.value : undefined;
  const { typeName, message } = unpackExtension(any, ctx);
  const at = path.field('typed_config');
  switch (typeName) {
    case ExtensionType.FILE_LOG: {
      const file = message as FileAccessLog;
      return { name: log.name, sink: { type: 'file', path: file.path }, format: fileFormat(file, at, ctx) };
    }
    case ExtensionType.STDOUT_LOG:
    case ExtensionType.STDERR_LOG: {
      const stream = message as StdoutAccessLog | StderrAccessLog;
      const format = stream.accessLogFormat.case === 'logFormat' ? convertFormat(stream.accessLogFormat.value, at.field('log_format'), ctx) : defaultFormat();
      return { name: log.name, sink: { type: typeName === ExtensionType.STDOUT_LOG ? 'stdout' : 'stderr' }, format };
    }
    default:
      return undefined;
  }
}

function defaultFormat(): AccessLogFormat {
  return { type: 'text', format: DEFAULT_ACCESS_LOG_FORMAT, omitEmptyValues: false };
}

function fileFormat(file: FileAccessLog, path: FieldPath, ctx: ConversionContext): AccessLogFormat {
  const f = file.accessLogFormat;
  switch (f.case) {
    case 'format':
      return textFormat(f.value === '' ? DEFAULT_ACCESS_LOG_FORMAT : f.value, false, path.field('format'), ctx);
    case 'jsonFormat':
      return jsonFormat(f.value, false, path.field('json_format'), ctx);
    case 'typedJsonFormat':
      return jsonFormat(f.value, false, path.field('typed_json_format'), ctx);
    case 'logFormat':
      return convertFormat(f.value, path.field('log_format'), ctx);
    default:
      return defaultFormat();
  }
}

/** `envoy.config.core.v3.SubstitutionFormatString` → {@link AccessLogFormat}, checking every command string. */
export function convertFormat(format: SubstitutionFormatString, path: FieldPath, ctx: ConversionContext): AccessLogFormat {
  const omit = format.omitEmptyValues;
  switch (format.format.case) {
    case 'textFormat':
      return textFormat(format.format.value, omit, path.field('text_format'), ctx);
    case 'jsonFormat':
      return jsonFormat(format.format.value, omit, path.field('json_format'), ctx);
    case 'textFormatSource': {
      const source = convertDataSource(format.format.value);
      if (source === undefined) {
        ctx.error(path.field('text_format_source'), 'a data source is required');
        return defaultFormat();
      }
      if (source.type === 'inlineString') return textFormat(source.value, omit, path.field('text_format_source').field('inline_string'), ctx);
      return { type: 'textSource', source, omitEmptyValues: omit };
    }
    default:
      ctx.error(path, 'one of text_format, json_format or text_format_source is required');
      return defaultFormat();
  }
}

function textFormat(format: string, omitEmptyValues: boolean, path: FieldPath, ctx: ConversionContext): AccessLogFormat {
  reportFormatProblem(format, path, ctx);
  return { type: 'text', format, omitEmptyValues };
}

function jsonFormat(format: JsonObject, omitEmptyValues: boolean, path: FieldPath, ctx: ConversionContext): AccessLogFormat {
  const visit = (value: JsonValue, at: FieldPath): void => {
    if (typeof value === 'string') reportFormatProblem(value, at, ctx);
    else if (Array.isArray(value)) value.forEach((v: JsonValue, i: number) => visit(v, at.index(i)));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, at.field(k));
  };
  visit(format, path);
  return { type: 'json', format, omitEmptyValues };
}

function reportFormatProblem(format: string, path: FieldPath, ctx: ConversionContext): void {
  const problem = accessLogFormatProblem(format);
  if (problem === undefined) return;
  // Show the command the problem is in: from its '%' (at or before the column) on.
  const chars = [...format];
  const percent = chars.lastIndexOf('%', Math.max(0, problem.column - 1));
  const start = percent < 0 ? problem.column - 1 : percent;
  const excerpt = chars.slice(start, Math.max(start + 16, problem.column)).join('');
  ctx.error(path, `invalid access-log format at column ${problem.column}, in ${JSON.stringify(`${excerpt}…`)}: ${problem.reason}`);
}
