import { describe, expect, it } from 'vitest';
import { ResponseFlag, type FormatContext } from '../../src/index.js';
import { text, typed } from '../helpers.js';

type Row = readonly [source: string, format: string, ctx: FormatContext, text: string, typed: unknown];

const ms = 1_000_000;

// Source: test/common/formatter/substitution_formatter_test.cc TEST(SubstitutionFormatterTest, streamInfoFormatter)
// (and inFlightDuration), checking format() and formatValue() of each operator, set and unset.
const ROWS: readonly Row[] = [
  ['inFlightDuration', '%DURATION%', { durationNs: 15 * ms }, '15', 15],
  ['inFlightDuration (current duration from start to emit)', '%DURATION%', { startTime: 1000, emitTime: 1200 }, '200', 200],
  ['docs: DURATION unknown', '%DURATION%', {}, '-', null],
  ['REQUEST_DURATION unset', '%REQUEST_DURATION%', {}, '-', null],
  ['REQUEST_DURATION', '%REQUEST_DURATION%', { timings: { lastDownstreamRxByteReceived: 5 * ms } }, '5', 5],
  ['REQUEST_TX_DURATION unset', '%REQUEST_TX_DURATION%', { timings: {} }, '-', null],
  ['REQUEST_TX_DURATION', '%REQUEST_TX_DURATION%', { timings: { lastUpstreamTxByteSent: 15 * ms } }, '15', 15],
  ['RESPONSE_DURATION', '%RESPONSE_DURATION%', { timings: { firstUpstreamRxByteReceived: 10 * ms } }, '10', 10],
  ['RESPONSE_TX_DURATION unset (no downstream end)', '%RESPONSE_TX_DURATION%', { timings: { firstUpstreamRxByteReceived: 10 * ms } }, '-', null],
  [
    'RESPONSE_TX_DURATION = DS_TX_END - US_RX_BEG',
    '%RESPONSE_TX_DURATION%',
    { timings: { firstUpstreamRxByteReceived: 10 * ms, lastDownstreamTxByteSent: 25 * ms } },
    '15',
    15,
  ],
  ['DOWNSTREAM_HANDSHAKE_DURATION', '%DOWNSTREAM_HANDSHAKE_DURATION%', { timings: { downstreamHandshakeComplete: 25 * ms } }, '25', 25],
  ['ROUNDTRIP_DURATION', '%ROUNDTRIP_DURATION%', { timings: { lastDownstreamAckReceived: 25 * ms } }, '25', 25],
  ['UPSTREAM_CONNECTION_POOL_READY_DURATION', '%UPSTREAM_CONNECTION_POOL_READY_DURATION%', { timings: { connectionPoolReadyLatency: 15 * ms } }, '15', 15],
  ['DOWNSTREAM_CX_RTT', '%DOWNSTREAM_CX_RTT%', { downstreamRttNs: 42 * ms }, '42', 42],
  ['durations truncate to whole ms', '%REQUEST_DURATION%', { timings: { lastDownstreamRxByteReceived: 5_999_999 } }, '5', 5],
  ['BYTES_RECEIVED', '%BYTES_RECEIVED%', { bytesReceived: 1 }, '1', 1],
  ['docs: BYTES_RECEIVED renders 0 when unknown', '%BYTES_RECEIVED%', {}, '0', 0],
  ['BYTES_SENT', '%BYTES_SENT%', { bytesSent: 1 }, '1', 1],
  ['BYTES_RETRANSMITTED', '%BYTES_RETRANSMITTED%', { bytesRetransmitted: 1 }, '1', 1],
  ['PACKETS_RETRANSMITTED', '%PACKETS_RETRANSMITTED%', { packetsRetransmitted: 1 }, '1', 1],
  ['UPSTREAM_WIRE_BYTES_RECEIVED', '%UPSTREAM_WIRE_BYTES_RECEIVED%', { upstreamWireBytesReceived: 1 }, '1', 1],
  ['UPSTREAM_WIRE_BYTES_SENT', '%UPSTREAM_WIRE_BYTES_SENT%', { upstreamWireBytesSent: 1 }, '1', 1],
  ['docs: UPSTREAM_HEADER_BYTES_SENT', '%UPSTREAM_HEADER_BYTES_SENT%', { upstreamHeaderBytesSent: 7 }, '7', 7],
  ['docs: UPSTREAM_HEADER_BYTES_RECEIVED', '%UPSTREAM_HEADER_BYTES_RECEIVED%', {}, '0', 0],
  ['docs: DOWNSTREAM_WIRE_BYTES_SENT', '%DOWNSTREAM_WIRE_BYTES_SENT%', { downstreamWireBytesSent: 9 }, '9', 9],
  ['docs: DOWNSTREAM_WIRE_BYTES_RECEIVED', '%DOWNSTREAM_WIRE_BYTES_RECEIVED%', { downstreamWireBytesReceived: 3 }, '3', 3],
  ['docs: DOWNSTREAM_HEADER_BYTES_SENT', '%DOWNSTREAM_HEADER_BYTES_SENT%', { downstreamHeaderBytesSent: 4 }, '4', 4],
  ['docs: DOWNSTREAM_HEADER_BYTES_RECEIVED', '%DOWNSTREAM_HEADER_BYTES_RECEIVED%', { downstreamHeaderBytesReceived: 5 }, '5', 5],
  ['docs: *_DECOMPRESSED_HEADER_BYTES_*', '%UPSTREAM_DECOMPRESSED_HEADER_BYTES_SENT% %UPSTREAM_DECOMPRESSED_HEADER_BYTES_RECEIVED% %DOWNSTREAM_DECOMPRESSED_HEADER_BYTES_SENT% %DOWNSTREAM_DECOMPRESSED_HEADER_BYTES_RECEIVED%', { upstreamDecompressedHeaderBytesSent: 1, downstreamDecompressedHeaderBytesReceived: 4 }, '1 0 0 4', '1 0 0 4'],
  ['UPSTREAM_REQUEST_ATTEMPT_COUNT', '%UPSTREAM_REQUEST_ATTEMPT_COUNT%', { upstreamRequestAttemptCount: 3 }, '3', 3],
  ['UPSTREAM_REQUEST_ATTEMPT_COUNT unset is 0', '%UPSTREAM_REQUEST_ATTEMPT_COUNT%', {}, '0', 0],
  ['PROTOCOL', '%PROTOCOL%', { protocol: 'HTTP/1.1' }, 'HTTP/1.1', 'HTTP/1.1'],
  ['docs: PROTOCOL not available (TCP)', '%PROTOCOL%', {}, '-', null],
  ['UPSTREAM_PROTOCOL unset', '%UPSTREAM_PROTOCOL%', {}, '-', null],
  ['UPSTREAM_PROTOCOL', '%UPSTREAM_PROTOCOL%', { upstreamProtocol: 'HTTP/2' }, 'HTTP/2', 'HTTP/2'],
  ['RESPONSE_CODE', '%RESPONSE_CODE%', { responseCode: 200 }, '200', 200],
  ['RESPONSE_CODE unset is 0', '%RESPONSE_CODE%', {}, '0', 0],
  ['RESPONSE_CODE_DETAILS unset', '%RESPONSE_CODE_DETAILS%', {}, '-', null],
  ['RESPONSE_CODE_DETAILS', '%RESPONSE_CODE_DETAILS%', { responseCodeDetails: 'via_upstream' }, 'via_upstream', 'via_upstream'],
  ['RESPONSE_CODE_DETAILS replaces whitespace', '%RESPONSE_CODE_DETAILS%', { responseCodeDetails: 'via upstream' }, 'via_upstream', 'via_upstream'],
  ['RESPONSE_CODE_DETAILS(ALLOW_WHITESPACES)', '%RESPONSE_CODE_DETAILS(ALLOW_WHITESPACES)%', { responseCodeDetails: 'via upstream' }, 'via upstream', 'via upstream'],
  ['CONNECTION_TERMINATION_DETAILS unset', '%CONNECTION_TERMINATION_DETAILS%', {}, '-', null],
  ['CONNECTION_TERMINATION_DETAILS', '%CONNECTION_TERMINATION_DETAILS%', { connectionTerminationDetails: 'access_denied' }, 'access_denied', 'access_denied'],
  ['CUSTOM_FLAGS', '%CUSTOM_FLAGS%', { customFlags: 'flag1,flag2' }, 'flag1,flag2', 'flag1,flag2'],
  ['RESPONSE_FLAGS', '%RESPONSE_FLAGS%', { responseFlags: ResponseFlag.LocalReset }, 'LR', 'LR'],
  ['RESPONSE_FLAGS_LONG', '%RESPONSE_FLAGS_LONG%', { responseFlags: ResponseFlag.LocalReset }, 'LocalReset', 'LocalReset'],
  ['docs: RESPONSE_FLAGS none set', '%RESPONSE_FLAGS%', {}, '-', '-'],
  [
    'docs: RESPONSE_FLAGS several, in table order',
    '%RESPONSE_FLAGS% %RESPONSE_FLAGS_LONG%',
    { responseFlags: ResponseFlag.UpstreamRetryLimitExceeded | ResponseFlag.NoHealthyUpstream | ResponseFlag.UnconditionalDropOverload },
    'UH,URX,UDO NoHealthyUpstream,UpstreamRetryLimitExceeded,UnconditionalDropOverload',
    'UH,URX,UDO NoHealthyUpstream,UpstreamRetryLimitExceeded,UnconditionalDropOverload',
  ],
  ['UPSTREAM_CLUSTER (observability name)', '%UPSTREAM_CLUSTER%', { upstreamClusterName: 'raw', upstreamClusterObservabilityName: 'observability_name' }, 'observability_name', 'observability_name'],
  ['UPSTREAM_CLUSTER without alt_stat_name', '%UPSTREAM_CLUSTER%', { upstreamClusterName: 'raw_name' }, 'raw_name', 'raw_name'],
  ['UPSTREAM_CLUSTER unset', '%UPSTREAM_CLUSTER%', {}, '-', null],
  ['UPSTREAM_CLUSTER_RAW', '%UPSTREAM_CLUSTER_RAW%', { upstreamClusterName: 'raw_name', upstreamClusterObservabilityName: 'alt' }, 'raw_name', 'raw_name'],
  ['UPSTREAM_CLUSTER_RAW unset', '%UPSTREAM_CLUSTER_RAW%', {}, '-', null],
  ['CONNECTION_ID', '%CONNECTION_ID%', { connectionId: 123 }, '123', 123],
  ['UPSTREAM_CONNECTION_ID', '%UPSTREAM_CONNECTION_ID%', { upstreamConnectionId: 1234 }, '1234', 1234],
  ['docs: CONNECTION_ID unknown', '%CONNECTION_ID% %UPSTREAM_CONNECTION_ID%', {}, '0 0', '0 0'],
  ['STREAM_ID', '%STREAM_ID%', { streamId: 'ffffffff-0012-0110-00ff-0c00400600ff' }, 'ffffffff-0012-0110-00ff-0c00400600ff', 'ffffffff-0012-0110-00ff-0c00400600ff'],
  ['DOWNSTREAM_TRANSPORT_FAILURE_REASON', '%DOWNSTREAM_TRANSPORT_FAILURE_REASON%', { downstreamTransportFailureReason: 'TLS error' }, 'TLS_error', 'TLS_error'],
  ['DOWNSTREAM_TRANSPORT_FAILURE_REASON empty', '%DOWNSTREAM_TRANSPORT_FAILURE_REASON%', { downstreamTransportFailureReason: '' }, '-', null],
  ['UPSTREAM_TRANSPORT_FAILURE_REASON', '%UPSTREAM_TRANSPORT_FAILURE_REASON%', { upstreamTransportFailureReason: 'SSL error' }, 'SSL_error', 'SSL_error'],
  ['UPSTREAM_TRANSPORT_FAILURE_REASON empty', '%UPSTREAM_TRANSPORT_FAILURE_REASON%', { upstreamTransportFailureReason: '' }, '-', null],
  ['DOWNSTREAM_LOCAL_CLOSE_REASON', '%DOWNSTREAM_LOCAL_CLOSE_REASON%', { downstreamLocalCloseReason: 'transport_socket_timeout' }, 'transport_socket_timeout', 'transport_socket_timeout'],
  ['UPSTREAM_LOCAL_CLOSE_REASON unset', '%UPSTREAM_LOCAL_CLOSE_REASON%', {}, '-', null],
  ['DOWNSTREAM_DETECTED_CLOSE_TYPE', '%DOWNSTREAM_DETECTED_CLOSE_TYPE% %UPSTREAM_DETECTED_CLOSE_TYPE%', { downstreamDetectedCloseType: 'Normal', upstreamDetectedCloseType: 'RemoteReset' }, 'Normal RemoteReset', 'Normal RemoteReset'],
  ['UPSTREAM_CONNECTION_IDS_ATTEMPTED unset', '%UPSTREAM_CONNECTION_IDS_ATTEMPTED%', {}, '-', null],
  ['UPSTREAM_CONNECTION_IDS_ATTEMPTED', '%UPSTREAM_CONNECTION_IDS_ATTEMPTED%', { upstreamConnectionIdsAttempted: [123, 456] }, '123,456', '123,456'],
  ['streamInfoFormatterWithSsl: FILTER_CHAIN_NAME', '%FILTER_CHAIN_NAME%', { filterChainName: 'mock_filter_chain_name' }, 'mock_filter_chain_name', 'mock_filter_chain_name'],
  ['streamInfoFormatterWithSsl: LISTENER_NAME empty', '%LISTENER_NAME%', { listenerName: '' }, '-', null],
  ['streamInfoFormatterWithSsl: VIRTUAL_CLUSTER_NAME', '%VIRTUAL_CLUSTER_NAME%', { virtualClusterName: 'authN' }, 'authN', 'authN'],
  ['streamInfoFormatterWithSsl: VIRTUAL_CLUSTER_NAME unset', '%VIRTUAL_CLUSTER_NAME%', {}, '-', null],
  ['docs: ROUTE_NAME', '%ROUTE_NAME%', { routeName: 'default' }, 'default', 'default'],
  ['LocalReplyBodyFormatter', '%LOCAL_REPLY_BODY%', { localReplyBody: 'local reply body' }, 'local reply body', 'local reply body'],
  ['LocalReplyBodyFormatter: unset is an empty string', '[%LOCAL_REPLY_BODY%]', {}, '[]', '[]'],
  ['AccessLogTypeFormatter', '%ACCESS_LOG_TYPE%', { accessLogType: 'DownstreamEnd' }, 'DownstreamEnd', 'DownstreamEnd'],
  ['AccessLogTypeFormatter: NotSet', '%ACCESS_LOG_TYPE%', {}, 'NotSet', 'NotSet'],
  ['TraceIDFormatter', '%TRACE_ID%', { traceId: 'ae0046f9075194306d7de2931bd38ce3' }, 'ae0046f9075194306d7de2931bd38ce3', 'ae0046f9075194306d7de2931bd38ce3'],
  ['TraceIDFormatter: empty trace id', '%TRACE_ID%', { traceId: '' }, '-', null],
  ['SpanIDFormatter', '%SPAN_ID%', { spanId: '4041424344454647' }, '4041424344454647', '4041424344454647'],
];

describe('stream-info operators', () => {
  it.each(ROWS)('[substitution_formatter_test %s] %s', (_source, format, ctx, expectedText, expectedTyped) => {
    expect(text(format, ctx)).toBe(expectedText);
    expect(typed(format, ctx)).toEqual(expectedTyped);
  });

  // Source: streamInfoFormatter COMMON_DURATION grid: every (start, end, precision) with time points 1 ms apart.
  it('[substitution_formatter_test streamInfoFormatter] COMMON_DURATION over every pair of time points', () => {
    const points = ['DS_RX_BEG', 'DS_RX_HDR_END', 'DS_RX_END', 'US_CX_BEG', 'US_CX_END', 'US_HS_END', 'US_TX_BEG', 'US_TX_END', 'US_RX_BEG', 'US_RX_END', 'DS_TX_BEG', 'DS_TX_END', 'custom_time_point', 'DS_HS_BEG', 'DS_HS_END'];
    const ctx: FormatContext = {
      timings: {
        lastDownstreamHeaderRxByteReceived: 1 * ms,
        lastDownstreamRxByteReceived: 2 * ms,
        upstreamConnectStart: 3 * ms,
        upstreamConnectEnd: 4 * ms,
        upstreamHandshakeEnd: 5 * ms,
        firstUpstreamTxByteSent: 6 * ms,
        lastUpstreamTxByteSent: 7 * ms,
        firstUpstreamRxByteReceived: 8 * ms,
        lastUpstreamRxByteReceived: 9 * ms,
        firstDownstreamTxByteSent: 10 * ms,
        lastDownstreamTxByteSent: 11 * ms,
        custom: { custom_time_point: 12 * ms },
        downstreamHandshakeStart: 13 * ms,
        downstreamHandshakeComplete: 14 * ms,
      },
    };
    for (let s = 0; s < points.length; s++) {
      for (let e = 0; e < points.length; e++) {
        for (const [precision, factor] of [['ms', 1], ['us', 1000], ['ns', 1_000_000]] as const) {
          const format = `%COMMON_DURATION(${points[s]}:${points[e]}:${precision})%`;
          const expected = s > e ? null : (e - s) * factor;
          expect(typed(format, ctx)).toBe(expected);
          expect(text(format, ctx)).toBe(expected === null ? '-' : String(expected));
        }
      }
    }
  });

  it('[substitution_formatter_test streamInfoFormatter] COMMON_DURATION with no time points set: only DS_RX_BEG:DS_RX_BEG', () => {
    expect(text('%COMMON_DURATION(DS_RX_BEG:DS_RX_BEG:ns)%')).toBe('0');
    expect(text('%COMMON_DURATION(DS_RX_BEG:DS_RX_END)%')).toBe('-');
    expect(typed('%COMMON_DURATION(US_CX_BEG:US_CX_END:us)%')).toBeNull();
  });

  it('[substitution_formatter_test streamInfoFormatter] COMMON_DURATION DS_CX_BEG:DS_CX_END', () => {
    expect(text('%COMMON_DURATION(DS_CX_BEG:DS_CX_END:us)%', { timings: {} })).toBe('-');
    expect(text('%COMMON_DURATION(DS_CX_BEG:DS_CX_END:us)%', { timings: { downstreamConnectionEnd: 3 * ms } })).toBe('3000');
    expect(text('%COMMON_DURATION(DS_CX_BEG:DS_CX_END:us)%', { timings: { downstreamConnectionBegin: -0.5 * ms, downstreamConnectionEnd: 3 * ms } })).toBe('3500');
  });

  it('[substitution_formatter_test streamInfoFormatter] HOSTNAME, fixed at parse time', () => {
    expect(text('%HOSTNAME%', {}, { hostname: 'myhostname' })).toBe('myhostname');
    expect(typed('%HOSTNAME%', {}, { hostname: 'myhostname' })).toBe('myhostname');
  });

  it('[substitution_formatter_test EnvironmentFormatterTest] ENVIRONMENT(X):Z, "-" when unset (a value, not unset)', () => {
    const environment = { ENVOY_TEST_ENV: 'test' };
    expect(text('%ENVIRONMENT(ENVOY_TEST_ENV)%', {}, { environment })).toBe('test');
    expect(text('%ENVIRONMENT(ENVOY_TEST_ENV):2%', {}, { environment })).toBe('te');
    expect(text('%ENVIRONMENT(MISSING)%', {}, { environment })).toBe('-');
    expect(typed('%ENVIRONMENT(MISSING)%', {}, { environment })).toBe('-');
  });

  it('[substitution_formatter_test UniqueIdFormatterTest] UNIQUE_ID differs on every line', () => {
    const a = text('%UNIQUE_ID%');
    const b = text('%UNIQUE_ID%');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('[substitution_formatter_test headersByteSizeFormatter] REQUEST/RESPONSE header and trailer bytes', () => {
    const ctx: FormatContext = {
      requestHeaders: { ':method': 'GET', ':path': '/' },
      responseHeaders: { ':method': 'PUT' },
      responseTrailers: { ':method': 'POST', 'test-2': 'test-2' },
    };
    expect(text('%REQUEST_HEADERS_BYTES% %RESPONSE_HEADERS_BYTES% %RESPONSE_TRAILERS_BYTES%', ctx)).toBe('16 10 23');
    expect(typed('%REQUEST_HEADERS_BYTES%', ctx)).toBe(16);
    expect(text('%REQUEST_HEADERS_BYTES%', { requestHeadersBytes: 99 })).toBe('99');
    expect(text('%RESPONSE_TRAILERS_BYTES%', {})).toBe('0');
  });
});
