import { create, type JsonObject as ProtoJsonObject } from '@bufbuild/protobuf';
import { packLazy } from './lazy-any.js';
import { AccessLogSchema, type AccessLog as AccessLogProto } from '@orion/data-plane-api/gen/envoy/config/accesslog/v3/accesslog_pb.js';
import { SubstitutionFormatStringSchema, type SubstitutionFormatString } from '@orion/data-plane-api/gen/envoy/config/core/v3/substitution_format_string_pb.js';
import { FileAccessLogSchema } from '@orion/data-plane-api/gen/envoy/extensions/access_loggers/file/v3/file_pb.js';
import { StderrAccessLogSchema, StdoutAccessLogSchema } from '@orion/data-plane-api/gen/envoy/extensions/access_loggers/stream/v3/stream_pb.js';
import { DEFAULT_ACCESS_LOG_FORMAT, type AccessLog, type AccessLogFormat } from '../model/access-log.js';
import { buildDataSource } from './build-common.js';

/** True for the format a logger without one gets: Envoy's default text format. */
export function isDefaultFormat(format: AccessLogFormat): boolean {
  return format.type === 'text' && format.format === DEFAULT_ACCESS_LOG_FORMAT && !format.omitEmptyValues;
}

/** {@link AccessLogFormat} → `log_format`; undefined for the default format (a logger that gave none). */
export function buildLogFormat(format: AccessLogFormat): SubstitutionFormatString | undefined {
  if (isDefaultFormat(format)) return undefined;
  const omitEmptyValues = format.omitEmptyValues;
  switch (format.type) {
    case 'text':
      return create(SubstitutionFormatStringSchema, { format: { case: 'textFormat', value: format.format }, omitEmptyValues });
    case 'json':
      return create(SubstitutionFormatStringSchema, { format: { case: 'jsonFormat', value: format.format as ProtoJsonObject }, omitEmptyValues });
    case 'textSource':
      return create(SubstitutionFormatStringSchema, { format: { case: 'textFormatSource', value: buildDataSource(format.source) }, omitEmptyValues });
  }
}

/** {@link AccessLog} → `envoy.config.accesslog.v3.AccessLog` with a file, stdout or stderr logger. */
export function buildAccessLog(log: AccessLog): AccessLogProto {
  const logFormat = buildLogFormat(log.format);
  const format = logFormat === undefined ? {} : { accessLogFormat: { case: 'logFormat' as const, value: logFormat } };
  let typedConfig;
  switch (log.sink.type) {
    case 'file':
      typedConfig = packLazy(FileAccessLogSchema, create(FileAccessLogSchema, { path: log.sink.path, ...format }));
      break;
    case 'stdout':
      typedConfig = packLazy(StdoutAccessLogSchema, create(StdoutAccessLogSchema, format));
      break;
    case 'stderr':
      typedConfig = packLazy(StderrAccessLogSchema, create(StderrAccessLogSchema, format));
      break;
  }
  return create(AccessLogSchema, { name: log.name, configType: { case: 'typedConfig', value: typedConfig } });
}
