import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import {
  ENVOY_DEFAULT_FORMAT,
  ISTIO_DEFAULT_JSON_FORMAT,
  ISTIO_DEFAULT_TEXT_FORMAT,
  LogFormatter,
  ORION_ERR_FORMAT_CONFIG,
  ORION_ERR_FORMAT_FILE_READ,
  ORION_ERR_FORMAT_PARSE,
  ResponseFlag,
  type FormatContext,
} from '../src/index.js';

// The request of the access-log documentation's default-format example:
// [2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http"
// "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80"
// (current Envoy prints %UPSTREAM_HOST% as ip:port, without the old tcp:// prefix: see the UPSTREAM_HOST docs).
const DOC_EXAMPLE: FormatContext = {
  startTime: Date.UTC(2016, 3, 15, 20, 17, 0, 310),
  protocol: 'HTTP/2',
  responseCode: 204,
  bytesReceived: 154,
  bytesSent: 0,
  durationNs: 226_000_000,
  requestHeaders: {
    ':method': 'POST',
    ':path': '/api/v1/locations',
    ':authority': 'locations',
    'x-forwarded-for': '10.0.35.28',
    'user-agent': 'nsq2http',
    'x-request-id': 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2',
  },
  responseHeaders: { 'x-envoy-upstream-service-time': '100' },
  upstreamHost: { address: '10.0.2.1', port: 80 },
};

describe('default formats', () => {
  it('[docs Default Format String] Envoy default format renders the documented example line', () => {
    expect(LogFormatter.text(ENVOY_DEFAULT_FORMAT).render(DOC_EXAMPLE)).toBe(
      '[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" ' +
        '"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "10.0.2.1:80"\n',
    );
  });

  it('[substitution_formatter.cc DEFAULT_FORMAT] the default format with nothing known', () => {
    expect(LogFormatter.text(ENVOY_DEFAULT_FORMAT).render({})).toBe('[-] "- - -" 0 - 0 0 - - "-" "-" "-" "-" "-"\n');
  });

  it('[Istio telemetry_logging.go EnvoyTextLogFormat] Istio default text format', () => {
    const ctx: FormatContext = {
      ...DOC_EXAMPLE,
      responseFlags: ResponseFlag.UpstreamConnectionFailure,
      responseCodeDetails: 'upstream_reset_before_response_started{connection failure}',
      upstreamTransportFailureReason: 'TLS error: 268435703:SSL routines',
      upstreamClusterName: 'outbound|80||locations.default.svc.cluster.local',
      upstreamLocalAddress: { address: '10.0.0.7', port: 40123 },
      downstreamLocalAddress: { address: '10.0.0.7', port: 15006 },
      downstreamRemoteAddress: { address: '10.0.35.28', port: 51000 },
      requestedServerName: 'outbound_.80_._.locations.default.svc.cluster.local',
      routeName: 'default',
    };
    expect(LogFormatter.text(ISTIO_DEFAULT_TEXT_FORMAT).render(ctx)).toBe(
      '[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 UF upstream_reset_before_response_started{connection_failure} - ' +
        '"TLS_error:_268435703:SSL_routines" 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" ' +
        '"10.0.2.1:80" outbound|80||locations.default.svc.cluster.local 10.0.0.7:40123 10.0.0.7:15006 10.0.35.28:51000 ' +
        'outbound_.80_._.locations.default.svc.cluster.local default\n',
    );
  });

  it('[Istio telemetry_logging.go EnvoyJSONLogFormatIstio] Istio default JSON format, typed', () => {
    const out = JSON.parse(LogFormatter.json(ISTIO_DEFAULT_JSON_FORMAT).render(DOC_EXAMPLE));
    expect(out).toEqual({
      authority: 'locations',
      bytes_received: 154,
      bytes_sent: 0,
      connection_termination_details: null,
      downstream_local_address: null,
      downstream_remote_address: null,
      duration: 226,
      method: 'POST',
      path: '/api/v1/locations',
      protocol: 'HTTP/2',
      request_id: 'cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2',
      requested_server_name: null,
      response_code: 204,
      response_code_details: null,
      response_flags: '-',
      route_name: null,
      start_time: '2016-04-15T20:17:00.310Z',
      upstream_cluster: null,
      upstream_host: '10.0.2.1:80',
      upstream_local_address: null,
      upstream_service_time: '100',
      upstream_transport_failure_reason: null,
      user_agent: 'nsq2http',
      x_forwarded_for: '10.0.35.28',
    });
  });
});

describe('SubstitutionFormatString configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orion-format-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('[substitution_format_string_test] text_format, text_format_source.inline_string and inline_bytes', () => {
    expect(LogFormatter.fromConfig({ text_format: 'plain %PROTOCOL%' }).render({ protocol: 'HTTP/2' })).toBe('plain HTTP/2');
    expect(LogFormatter.fromConfig({ text_format_source: { inline_string: '%RESPONSE_CODE%' } }).render({ responseCode: 7 })).toBe('7');
    const b64 = Buffer.from('bytes %PROTOCOL%').toString('base64');
    expect(LogFormatter.fromConfig({ text_format_source: { inline_bytes: b64 } }).render({})).toBe('bytes -');
    expect(LogFormatter.fromConfig({ textFormatSource: { inlineBytes: new TextEncoder().encode('%BYTES_SENT%') } }).render({})).toBe('0');
  });

  it('[substitution_format_string_test] json_format, omit_empty_values and content_type', () => {
    const f = LogFormatter.fromConfig({ json_format: { a: '%ROUTE_NAME%', b: 'x' }, omit_empty_values: true, content_type: 'application/x-ndjson' });
    expect(f.kind).toBe('json');
    expect(f.contentType).toBe('application/x-ndjson');
    expect(f.render({})).toBe('{"b":"x"}\n');
    expect(LogFormatter.fromConfig({ jsonFormat: { a: 1 } }).contentType).toBe('application/json');
    expect(LogFormatter.fromConfig({ textFormat: 'x', omitEmptyValues: true }).contentType).toBe('text/plain');
  });

  it('[substitution_format_string_test] text_format_source.filename: given contents, or read by fromConfigAsync', async () => {
    const file = join(dir, 'format.txt');
    writeFileSync(file, 'from file %PROTOCOL%\n');
    expect(LogFormatter.fromConfig({ text_format_source: { filename: file } }, { fileContents: 'given %PROTOCOL%' }).render({})).toBe('given -');
    expect((await LogFormatter.fromConfigAsync({ text_format_source: { filename: file } })).render({ protocol: 'HTTP/3' })).toBe('from file HTTP/3\n');
    expect((await LogFormatter.fromConfigAsync({ text_format: '%PROTOCOL%' })).render({})).toBe('-');
    await expect(LogFormatter.fromConfigAsync({ text_format_source: { filename: join(dir, 'missing') } })).rejects.toMatchObject({
      code: ORION_ERR_FORMAT_FILE_READ,
    });
  });

  it.each([
    ['no format', {}],
    ['two formats', { text_format: 'a', json_format: { a: 'b' } }],
    ['filename without contents', { text_format_source: { filename: '/nonexistent' } }],
    ['two data sources', { text_format_source: { inline_string: 'a', inline_bytes: 'YQ==' } }],
    ['formatter extensions', { text_format: 'a', formatters: [{ name: 'envoy.formatter.req_without_query' }] }],
    ['json_format not an object', { json_format: ['a'] as unknown as Record<string, unknown> }],
  ] as const)('rejects %s with ORION_ERR_FORMAT_CONFIG', (_what, config) => {
    expect(() => LogFormatter.fromConfig(config)).toThrow(OrionError);
    try {
      LogFormatter.fromConfig(config);
    } catch (err) {
      expect((err as OrionError).code).toBe(ORION_ERR_FORMAT_CONFIG);
    }
  });

  it('passes parse errors through as ORION_ERR_FORMAT_PARSE', () => {
    expect(() => LogFormatter.fromConfig({ text_format: '%BAD%' })).toThrow(expect.objectContaining({ code: ORION_ERR_FORMAT_PARSE }));
  });
});

describe('rendering', () => {
  it('[substitution_formatter_test EmptyFormatParse / EscapingFormatParse / PercentEscapingEdgeCase]', () => {
    expect(LogFormatter.text('').render({})).toBe('');
    expect(LogFormatter.text('%%').render({})).toBe('%');
    expect(LogFormatter.text('%HOSTNAME%%PROTOCOL%', { hostname: 'myhostname' }).render({ protocol: 'HTTP/1.1' })).toBe('myhostnameHTTP/1.1');
  });

  it('renderInto writes UTF-8 at an offset and returns the byte count', () => {
    const f = LogFormatter.text('%REQ(x)%|\n');
    const buf = Buffer.alloc(64, 0x2e);
    const n = f.renderInto({ requestHeaders: { x: 'héllo ✓' } }, buf, 3);
    expect(n).toBe(Buffer.byteLength('héllo ✓|\n'));
    expect(buf.subarray(3, 3 + n).toString('utf8')).toBe('héllo ✓|\n');
    expect(buf.subarray(0, 3).toString()).toBe('...');
    expect(f.renderInto({ requestHeaders: { x: 'ascii' } }, buf)).toBe(7);
  });

  it('renderInto returns -1 when the line does not fit', () => {
    const f = LogFormatter.text('%REQ(x)%');
    expect(f.renderInto({ requestHeaders: { x: 'abcdef' } }, Buffer.alloc(5))).toBe(-1);
    expect(f.renderInto({ requestHeaders: { x: 'ééé' } }, Buffer.alloc(5))).toBe(-1); // 6 bytes, 3 chars
    expect(f.renderInto({ requestHeaders: { x: 'ééé' } }, Buffer.alloc(10), 4)).toBe(6);
    expect(f.renderInto({ requestHeaders: { x: 'abc' } }, Buffer.alloc(3))).toBe(3);
  });

  it('JSON renderInto and render agree', () => {
    const f = LogFormatter.json({ a: '%PROTOCOL%' }).createLocal();
    const buf = Buffer.alloc(64);
    const n = f.renderInto({ protocol: 'HTTP/2' }, buf);
    expect(buf.subarray(0, n).toString()).toBe(f.render({ protocol: 'HTTP/2' }));
  });

  it('renders with getters and class instances as the context', () => {
    class StreamContext implements FormatContext {
      constructor(private readonly code: number) {}
      get responseCode(): number {
        return this.code;
      }
      getRequestHeader(name: string): string | undefined {
        return name === ':method' ? 'GET' : undefined;
      }
    }
    expect(LogFormatter.text('%REQ(:METHOD)% %RESPONSE_CODE%').render(new StreamContext(418))).toBe('GET 418');
  });
});
