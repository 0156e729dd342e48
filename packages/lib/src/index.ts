export { LibErrorCode } from './error-codes.js';
export { AccessLogSink } from './access-log/access-log-sink.js';
export type { AccessLogSinkOptions, AccessLogSinkStats, AccessLogTarget } from './access-log/access-log-sink.js';
