import type { FormatContext, FormatTimings } from '../format-context.js';
import { responseFlagsToLongString, responseFlagsToShortString } from '../response-flags.js';
import {
  COMMAND_ONLY,
  LENGTH_ALLOWED,
  PARAMS_OPTIONAL,
  PARAMS_REQUIRED,
  counterOp,
  durationOp,
  headerRecordBytes,
  nonEmptyStringOp,
  stringOp,
  truncate,
  underscoreSpaces,
  type Op,
  type OperatorDefinition,
} from './op.js';

const t = (ctx: FormatContext): FormatTimings | undefined => ctx.timings;

function totalDurationNs(ctx: FormatContext): number | undefined {
  const d = ctx.durationNs;
  if (d !== undefined) return d;
  const start = ctx.startTime;
  if (start === undefined) return undefined;
  return ((ctx.emitTime ?? Date.now()) - start) * 1_000_000;
}

/** Time points for `%COMMON_DURATION%` (Envoy `CommonDurationFormatter`), in ns since the stream start. */
const TIME_POINTS: Readonly<Record<string, (ctx: FormatContext) => number | undefined>> = {
  DS_RX_BEG: () => 0,
  DS_RX_HDR_END: (c) => t(c)?.lastDownstreamHeaderRxByteReceived,
  DS_RX_END: (c) => t(c)?.lastDownstreamRxByteReceived,
  US_CX_BEG: (c) => t(c)?.upstreamConnectStart,
  US_CX_END: (c) => t(c)?.upstreamConnectEnd,
  US_HS_END: (c) => t(c)?.upstreamHandshakeEnd,
  US_TX_BEG: (c) => t(c)?.firstUpstreamTxByteSent,
  US_TX_END: (c) => t(c)?.lastUpstreamTxByteSent,
  US_RX_BEG: (c) => t(c)?.firstUpstreamRxByteReceived,
  US_RX_BODY_BEG: (c) => t(c)?.firstUpstreamRxBodyByteReceived,
  US_RX_END: (c) => t(c)?.lastUpstreamRxByteReceived,
  DS_TX_BEG: (c) => t(c)?.firstDownstreamTxByteSent,
  DS_TX_END: (c) => t(c)?.lastDownstreamTxByteSent,
  DS_HS_BEG: (c) => t(c)?.downstreamHandshakeStart,
  DS_HS_END: (c) => t(c)?.downstreamHandshakeComplete,
  DS_CX_BEG: (c) => t(c)?.downstreamConnectionBegin ?? 0,
  DS_CX_END: (c) => t(c)?.downstreamConnectionEnd,
};

const PRECISION: Readonly<Record<string, number>> = { ms: 1_000_000, us: 1_000, ns: 1 };

function commonDuration(param: string, fail: (reason: string) => never): Op {
  const parts = param.split(':');
  if (parts.length < 2 || parts.length > 3) fail(`Invalid common duration configuration: ${param}.`);
  const [start = '', end = '', precision = 'ms'] = parts;
  const factor = PRECISION[precision];
  if (factor === undefined) fail(`Invalid common duration precision: ${precision}.`);
  const point = (name: string) => TIME_POINTS[name] ?? ((c: FormatContext) => t(c)?.custom?.[name]);
  const begin = point(start);
  const finish = point(end);
  const count = (ctx: FormatContext): number | undefined => {
    const b = begin(ctx);
    const e = finish(ctx);
    if (b === undefined || e === undefined || e < b) return undefined;
    return Math.trunc((e - b) / (factor as number));
  };
  return {
    text: (ctx) => {
      const v = count(ctx);
      return v === undefined ? undefined : String(v);
    },
    value: count,
  };
}

function responseCodeDetails(allowWhitespace: boolean): Op {
  let lastIn = '';
  let lastOut = '';
  const get = (ctx: FormatContext): string | undefined => {
    const v = ctx.responseCodeDetails;
    if (v === undefined || allowWhitespace) return v;
    if (v === lastIn) return lastOut;
    lastIn = v;
    lastOut = /[ \t\f\v\n\r]/.test(v) ? v.replace(/[ \t\f\v\n\r]/g, '_') : v;
    return lastOut;
  };
  return stringOp(get);
}

function failureReason(get: (ctx: FormatContext) => string | undefined): Op {
  const underscore = underscoreSpaces();
  return nonEmptyStringOp((ctx) => {
    const v = get(ctx);
    return v === undefined || v === '' ? undefined : underscore(v);
  });
}

const counter = (get: (ctx: FormatContext) => number | undefined): OperatorDefinition => ({ syntax: COMMAND_ONLY, create: () => counterOp(get) });
const duration = (get: (ctx: FormatContext) => number | undefined): OperatorDefinition => ({ syntax: COMMAND_ONLY, create: () => durationOp(get) });
const str = (get: (ctx: FormatContext) => string | undefined): OperatorDefinition => ({ syntax: COMMAND_ONLY, create: () => stringOp(get) });
const nonEmpty = (get: (ctx: FormatContext) => string | undefined): OperatorDefinition => ({
  syntax: COMMAND_ONLY,
  create: () => nonEmptyStringOp(get),
});

/** Stream-info operators: durations, counters, protocol, codes, flags, names, ids, process values. */
export const STREAM_INFO_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  DURATION: duration(totalDurationNs),
  REQUEST_DURATION: duration((c) => t(c)?.lastDownstreamRxByteReceived),
  REQUEST_TX_DURATION: duration((c) => t(c)?.lastUpstreamTxByteSent),
  RESPONSE_DURATION: duration((c) => t(c)?.firstUpstreamRxByteReceived),
  RESPONSE_TX_DURATION: duration((c) => {
    const tm = t(c);
    const down = tm?.lastDownstreamTxByteSent;
    const up = tm?.firstUpstreamRxByteReceived;
    return down === undefined || up === undefined ? undefined : down - up;
  }),
  DOWNSTREAM_HANDSHAKE_DURATION: duration((c) => t(c)?.downstreamHandshakeComplete),
  ROUNDTRIP_DURATION: duration((c) => t(c)?.lastDownstreamAckReceived),
  UPSTREAM_CONNECTION_POOL_READY_DURATION: duration((c) => t(c)?.connectionPoolReadyLatency),
  DOWNSTREAM_CX_RTT: duration((c) => c.downstreamRttNs),
  COMMON_DURATION: { syntax: PARAMS_REQUIRED, create: (a) => commonDuration(a.param, (r) => a.fail(r)) },

  BYTES_RECEIVED: counter((c) => c.bytesReceived),
  BYTES_SENT: counter((c) => c.bytesSent),
  BYTES_RETRANSMITTED: counter((c) => c.bytesRetransmitted),
  PACKETS_RETRANSMITTED: counter((c) => c.packetsRetransmitted),
  UPSTREAM_WIRE_BYTES_SENT: counter((c) => c.upstreamWireBytesSent),
  UPSTREAM_WIRE_BYTES_RECEIVED: counter((c) => c.upstreamWireBytesReceived),
  UPSTREAM_HEADER_BYTES_SENT: counter((c) => c.upstreamHeaderBytesSent),
  UPSTREAM_HEADER_BYTES_RECEIVED: counter((c) => c.upstreamHeaderBytesReceived),
  UPSTREAM_DECOMPRESSED_HEADER_BYTES_SENT: counter((c) => c.upstreamDecompressedHeaderBytesSent),
  UPSTREAM_DECOMPRESSED_HEADER_BYTES_RECEIVED: counter((c) => c.upstreamDecompressedHeaderBytesReceived),
  DOWNSTREAM_WIRE_BYTES_SENT: counter((c) => c.downstreamWireBytesSent),
  DOWNSTREAM_WIRE_BYTES_RECEIVED: counter((c) => c.downstreamWireBytesReceived),
  DOWNSTREAM_HEADER_BYTES_SENT: counter((c) => c.downstreamHeaderBytesSent),
  DOWNSTREAM_HEADER_BYTES_RECEIVED: counter((c) => c.downstreamHeaderBytesReceived),
  DOWNSTREAM_DECOMPRESSED_HEADER_BYTES_SENT: counter((c) => c.downstreamDecompressedHeaderBytesSent),
  DOWNSTREAM_DECOMPRESSED_HEADER_BYTES_RECEIVED: counter((c) => c.downstreamDecompressedHeaderBytesReceived),
  REQUEST_HEADERS_BYTES: counter((c) => c.requestHeadersBytes ?? headerRecordBytes(c.requestHeaders)),
  RESPONSE_HEADERS_BYTES: counter((c) => c.responseHeadersBytes ?? headerRecordBytes(c.responseHeaders)),
  RESPONSE_TRAILERS_BYTES: counter((c) => c.responseTrailersBytes ?? headerRecordBytes(c.responseTrailers)),
  UPSTREAM_REQUEST_ATTEMPT_COUNT: counter((c) => c.upstreamRequestAttemptCount),
  RESPONSE_CODE: counter((c) => c.responseCode),
  CONNECTION_ID: counter((c) => c.connectionId),
  UPSTREAM_CONNECTION_ID: counter((c) => c.upstreamConnectionId),

  PROTOCOL: str((c) => c.protocol),
  UPSTREAM_PROTOCOL: str((c) => c.upstreamProtocol),
  RESPONSE_CODE_DETAILS: { syntax: PARAMS_OPTIONAL, create: (a) => responseCodeDetails(a.param === 'ALLOW_WHITESPACES') },
  CONNECTION_TERMINATION_DETAILS: str((c) => c.connectionTerminationDetails),
  RESPONSE_FLAGS: str((c) => responseFlagsToShortString(c.responseFlags ?? 0)),
  RESPONSE_FLAGS_LONG: str((c) => responseFlagsToLongString(c.responseFlags ?? 0)),
  CUSTOM_FLAGS: str((c) => c.customFlags ?? ''),
  ACCESS_LOG_TYPE: str((c) => c.accessLogType ?? 'NotSet'),
  LOCAL_REPLY_BODY: str((c) => c.localReplyBody ?? ''),
  STREAM_ID: nonEmpty((c) => c.streamId),
  TRACE_ID: nonEmpty((c) => c.traceId),
  SPAN_ID: nonEmpty((c) => c.spanId),
  ROUTE_NAME: nonEmpty((c) => c.routeName),
  VIRTUAL_CLUSTER_NAME: nonEmpty((c) => c.virtualClusterName),
  FILTER_CHAIN_NAME: nonEmpty((c) => c.filterChainName),
  LISTENER_NAME: nonEmpty((c) => c.listenerName),
  UPSTREAM_CLUSTER: nonEmpty((c) => c.upstreamClusterObservabilityName ?? c.upstreamClusterName),
  UPSTREAM_CLUSTER_RAW: nonEmpty((c) => c.upstreamClusterName),
  UPSTREAM_TRANSPORT_FAILURE_REASON: { syntax: COMMAND_ONLY, create: () => failureReason((c) => c.upstreamTransportFailureReason) },
  DOWNSTREAM_TRANSPORT_FAILURE_REASON: { syntax: COMMAND_ONLY, create: () => failureReason((c) => c.downstreamTransportFailureReason) },
  DOWNSTREAM_LOCAL_CLOSE_REASON: nonEmpty((c) => c.downstreamLocalCloseReason),
  UPSTREAM_LOCAL_CLOSE_REASON: nonEmpty((c) => c.upstreamLocalCloseReason),
  DOWNSTREAM_DETECTED_CLOSE_TYPE: nonEmpty((c) => c.downstreamDetectedCloseType),
  UPSTREAM_DETECTED_CLOSE_TYPE: nonEmpty((c) => c.upstreamDetectedCloseType),
  UPSTREAM_CONNECTION_IDS_ATTEMPTED: nonEmpty((c) => {
    const ids = c.upstreamConnectionIdsAttempted;
    return ids === undefined || ids.length === 0 ? undefined : ids.join(',');
  }),

  HOSTNAME: {
    syntax: COMMAND_ONLY,
    create: (a) => {
      const host = a.env.hostname();
      return stringOp(() => host);
    },
  },
  ENVIRONMENT: {
    syntax: PARAMS_REQUIRED | LENGTH_ALLOWED,
    create: (a) => {
      const raw = a.env.environment[a.param];
      const v = raw === undefined ? '-' : truncate(raw, a.maxLength);
      return stringOp(() => v);
    },
  },
  UNIQUE_ID: {
    syntax: COMMAND_ONLY,
    create: (a) => {
      const uuid = a.env.uuid;
      return stringOp(() => uuid());
    },
  },
};
