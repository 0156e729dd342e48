import type { FormatContext } from '../format-context.js';
import { CompiledTimeFormat, DEFAULT_LOCAL_TIME_FORMAT, DEFAULT_UTC_TIME_FORMAT, TimeFormatter, findNewlineSpecifier } from '../strftime.js';
import { PARAMS_OPTIONAL, type Op, type OperatorArgs, type OperatorDefinition } from './op.js';

/** Reads a time as epoch ms plus sub-millisecond nanoseconds; `undefined` when unknown. */
type TimeSource = (ctx: FormatContext) => number | undefined;
type NanosSource = (ctx: FormatContext) => number;

function timeOp(compiled: CompiledTimeFormat, source: TimeSource, nanos: NanosSource): Op {
  const make = (): Op => {
    const formatter = new TimeFormatter(compiled);
    const text = (ctx: FormatContext): string | undefined => {
      const ms = source(ctx);
      return ms === undefined ? undefined : formatter.format(ms, nanos(ctx));
    };
    // In typed JSON, START_TIME is always a string.
    return { text, value: text, clone: make };
  };
  return make();
}

function timeOperator(source: TimeSource, nanos: NanosSource, local: boolean): OperatorDefinition {
  return {
    syntax: PARAMS_OPTIONAL,
    create: (a: OperatorArgs) => {
      const at = findNewlineSpecifier(a.param);
      if (at >= 0) a.fail('time formats must not contain a newline specifier (%n)', a.paramColumn + at);
      const format = a.param === '' ? (local ? DEFAULT_LOCAL_TIME_FORMAT : DEFAULT_UTC_TIME_FORMAT) : a.param;
      return timeOp(new CompiledTimeFormat(format, !local), source, nanos);
    },
  };
}

const zeroNanos: NanosSource = () => 0;
const startNanos: NanosSource = (c) => c.startTimeNanos ?? 0;
const startTime: TimeSource = (c) => c.startTime;
const emitTime: TimeSource = (c) => c.emitTime ?? Date.now();

/** `%START_TIME%`, `%EMIT_TIME%` and the certificate validity times, with strftime formats. */
export const TIME_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  START_TIME: timeOperator(startTime, startNanos, false),
  START_TIME_LOCAL: timeOperator(startTime, startNanos, true),
  EMIT_TIME: timeOperator(emitTime, zeroNanos, false),
  EMIT_TIME_LOCAL: timeOperator(emitTime, zeroNanos, true),
  DOWNSTREAM_PEER_CERT_V_START: timeOperator((c) => c.downstreamTls?.peerCertificateValidFrom, zeroNanos, false),
  DOWNSTREAM_PEER_CERT_V_END: timeOperator((c) => c.downstreamTls?.peerCertificateExpiration, zeroNanos, false),
  UPSTREAM_PEER_CERT_V_START: timeOperator((c) => c.upstreamTls?.peerCertificateValidFrom, zeroNanos, false),
  UPSTREAM_PEER_CERT_V_END: timeOperator((c) => c.upstreamTls?.peerCertificateExpiration, zeroNanos, false),
};
