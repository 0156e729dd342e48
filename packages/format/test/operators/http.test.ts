import { describe, expect, it } from 'vitest';
import type { FormatContext } from '../../src/index.js';
import { text, typed } from '../helpers.js';

// Source: substitution_formatter_test.cc requestHeaderFormatter / responseHeaderFormatter /
// responseTrailerFormatter / HeaderFormatterFormatToAndFormatValueTo / HeaderFormattersReadTheirOwnHeaderMap.
const CTX: FormatContext = {
  requestHeaders: { ':method': 'GET', ':path': '/' },
  responseHeaders: { ':method': 'PUT', test: 'test' },
  responseTrailers: { ':method': 'POST', 'test-2': 'test-2' },
};

describe('header operators', () => {
  it.each([
    ['requestHeaderFormatter', '%REQ(:Method)%', 'GET'],
    ['requestHeaderFormatter', '%REQ(:path?:method)%', '/'],
    ['requestHeaderFormatter', '%REQ(:TEST?:METHOD)%', 'GET'],
    ['requestHeaderFormatter', '%REQ(does_not_exist)%', '-'],
    ['requestHeaderFormatter', '%REQ(:Method):2%', 'GE'],
    ['responseHeaderFormatter', '%RESP(:method)%', 'PUT'],
    ['responseHeaderFormatter', '%RESP(test?:method)%', 'test'],
    ['responseHeaderFormatter', '%RESP(:path?:method)%', 'PUT'],
    ['responseHeaderFormatter', '%RESP(does_not_exist)%', '-'],
    ['responseHeaderFormatter', '%RESP(:method):2%', 'PU'],
    ['responseTrailerFormatter', '%TRAILER(:method)%', 'POST'],
    ['responseTrailerFormatter', '%TRAILER(test-2?:method)%', 'test-2'],
    ['responseTrailerFormatter', '%TRAILER(:path?:method)%', 'POST'],
    ['responseTrailerFormatter', '%TRAILER(:method):2%', 'PO'],
    ['docs: REQUEST_HEADER alias', '%REQUEST_HEADER(:METHOD)%', 'GET'],
    ['docs: RESPONSE_HEADER alias', '%RESPONSE_HEADER(TEST)%', 'test'],
    ['docs: RESPONSE_TRAILER alias', '%RESPONSE_TRAILER(TEST-2)%', 'test-2'],
  ] as const)('[substitution_formatter_test %s] %s → %s', (_source, format, expected) => {
    expect(text(format, CTX)).toBe(expected);
    expect(typed(format, CTX)).toBe(expected === '-' ? null : expected);
  });

  it('[substitution_formatter_test CompositeFormatterSuccess] headers, alternatives and literals in one line', () => {
    const ctx: FormatContext = {
      protocol: 'HTTP/1.1',
      requestHeaders: { first: 'GET', ':path': '/' },
      responseHeaders: { second: 'PUT', test: 'test' },
      responseTrailers: { third: 'POST', 'test-2': 'test-2' },
    };
    const format =
      '{{%PROTOCOL%}}   %RESP(not_exist)%++%RESP(test)% %REQ(FIRST?SECOND)%/%REQUEST_HEADER(FIRST?SECOND)% ' +
      '%RESP(FIRST?SECOND)%/%RESPONSE_HEADER(FIRST?SECOND)% \t@%TRAILER(THIRD)%@\t%TRAILER(TEST?TEST-2)%[] %RESPONSE_TRAILER(THIRD)%';
    expect(text(format, ctx)).toBe('{{HTTP/1.1}}   -++test GET/GET PUT/PUT \t@POST@\ttest-2[] POST');
    expect(text('%REQ(first):3%|%REQ(first):1%|%RESP(first?second):2%|%REQ(first):10%|%TRAILER(second?third):3%', ctx)).toBe('GET|G|PU|GET|POS');
    expect(text('{}*JUST PLAIN string]', ctx)).toBe('{}*JUST PLAIN string]');
  });

  it('[substitution_formatter_test HeaderFormatterFormatToAndFormatValueTo] present-but-empty header is a value; JSON escapes', () => {
    expect(text('[%REQ(x-header)%]', { requestHeaders: { 'x-header': '' } })).toBe('[]');
    expect(typed('%REQ(x-header)%', { requestHeaders: { 'x-header': '' } })).toBe('');
    expect(typed('%REQ(x-header)%', { requestHeaders: { 'x-header': 'va"lue\\' } })).toBe('va"lue\\');
    expect(text('%REQ(:method)%', {})).toBe('-');
  });

  it('context lookups (getRequestHeader) win over records; repeated headers use the first value', () => {
    const ctx: FormatContext = {
      getRequestHeader: (name) => (name === 'x-a' ? 'from-lookup' : undefined),
      requestHeaders: { 'x-a': 'from-record' },
      responseHeaders: { 'set-cookie': ['a=1', 'b=2'] },
    };
    expect(text('%REQ(X-A)% %RESP(SET-COOKIE)%', ctx)).toBe('from-lookup a=1');
    expect(text('%TRAILER(x)%', { getResponseTrailer: () => 'T' })).toBe('T');
  });

  it('[docs REQ_WITHOUT_QUERY] strips the query string', () => {
    expect(text('%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%', { requestHeaders: { ':path': '/a/b?c=d' } })).toBe('/a/b');
    expect(text('%REQ_WITHOUT_QUERY(:PATH):3%', { requestHeaders: { ':path': '/a/b?c=d' } })).toBe('/a/');
  });
});

describe('GRPC_STATUS', () => {
  const grpc = (status: string, where: 'trailer' | 'header' = 'trailer'): FormatContext => ({
    requestHeaders: { 'content-type': 'application/grpc+proto', ':path': '/' },
    ...(where === 'trailer' ? { responseTrailers: { 'grpc-status': status } } : { responseHeaders: { 'grpc-status': status } }),
  });
  const CAMEL = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];
  const SNAKE = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

  it('[substitution_formatter_test GrpcStatusFormatterCamelStringTest] every status, default and CAMEL_STRING', () => {
    CAMEL.forEach((name, i) => {
      expect(text('%GRPC_STATUS%', grpc(String(i)))).toBe(name);
      expect(typed('%GRPC_STATUS(CAMEL_STRING)%', grpc(String(i)))).toBe(name);
    });
    expect(text('%GRPC_STATUS%', grpc('-1'))).toBe('-1');
    expect(text('%GRPC_STATUS%', grpc('42738', 'header'))).toBe('42738');
  });

  it('[substitution_formatter_test GrpcStatusFormatterSnakeStringTest] every status', () => {
    SNAKE.forEach((name, i) => expect(text('%GRPC_STATUS(SNAKE_STRING)%', grpc(String(i)))).toBe(name));
  });

  it('[substitution_formatter_test GrpcStatusFormatterNumberTest] NUMBER and GRPC_STATUS_NUMBER are numbers', () => {
    expect(text('%GRPC_STATUS(NUMBER)%', grpc('13'))).toBe('13');
    expect(typed('%GRPC_STATUS(NUMBER)%', grpc('13'))).toBe(13);
    expect(typed('%GRPC_STATUS_NUMBER%', grpc('-1'))).toBe(-1);
    expect(typed('%GRPC_STATUS_NUMBER%', grpc('42738', 'header'))).toBe(42738);
  });

  it('[substitution_formatter_test GrpcStatus*Test] unset without grpc-status or for a non-gRPC request', () => {
    expect(text('%GRPC_STATUS%', { requestHeaders: { 'content-type': 'application/grpc' }, responseTrailers: { 'not-a-grpc-status': '13' } })).toBe('-');
    expect(text('%GRPC_STATUS%', { requestHeaders: { ':path': '/health' }, responseTrailers: { 'grpc-status': '0' } })).toBe('-');
    expect(typed('%GRPC_STATUS_NUMBER%', { requestHeaders: { ':path': '/health' }, responseHeaders: { 'grpc-status': '2' } })).toBeNull();
  });
});

describe('PATH, QUERY_PARAM, QUERY_PARAMS and REQUESTED_SERVER_NAME', () => {
  it('[substitution_formatter_test PathTest] every WQ/NQ × ORIG/PATH/ORIG_OR_PATH combination', () => {
    const h1 = { requestHeaders: { ':path': '/path/to/something' } };
    const h2 = { requestHeaders: { ':path': '/path/to/something?query=123' } };
    const h3 = { requestHeaders: { ':path': '/path/to/something', 'x-envoy-original-path': '/original/path' } };
    const h4 = { requestHeaders: { ':path': '/path/to/something?query=123', 'x-envoy-original-path': '/original/path?query=123' } };
    for (const query of ['', 'WQ', 'NQ']) {
      for (const orig of ['', 'ORIG', 'PATH', 'ORIG_OR_PATH']) {
        const format = `%PATH(${query}:${orig})%`;
        const q = query !== 'NQ' ? '?query=123' : '';
        expect(text(format, h1)).toBe(orig !== 'ORIG' ? '/path/to/something' : '-');
        expect(text(format, h2)).toBe(orig !== 'ORIG' ? `/path/to/something${q}` : '-');
        expect(text(format, h3)).toBe(orig !== 'PATH' ? '/original/path' : '/path/to/something');
        expect(text(format, h4)).toBe(`${orig !== 'PATH' ? '/original/path' : '/path/to/something'}${q}`);
        expect(typed(format, h1)).toBe(orig !== 'ORIG' ? '/path/to/something' : null);
        expect(typed(format, {})).toBeNull();
      }
    }
    expect(text('%PATH%', h2)).toBe('/path/to/something?query=123');
    expect(text('%PATH(NQ):5%', h2)).toBe('/path');
  });

  it('[substitution_formatter_test QueryParameterFormatter] QUERY_PARAM(X):Z', () => {
    const ctx = { requestHeaders: { ':method': 'GET', ':path': '/path?x=xxxxxx' } };
    expect(text('%QUERY_PARAM(x)%', ctx)).toBe('xxxxxx');
    expect(typed('%QUERY_PARAM(y)%', ctx)).toBeNull();
    expect(text('%QUERY_PARAM(x):2%', ctx)).toBe('xx');
    expect(text('%QUERY_PARAM(x)%', {})).toBe('-');
    expect(text('%QUERY_PARAM(x)%', { requestHeaders: { ':path': '/path' } })).toBe('-');
    expect(text('%QUERY_PARAM(q)%', { requestHeaders: { ':path': '/s?q=a%20b+c' } })).toBe('a b c');
  });

  it('[substitution_formatter_test QueryParametersFormatter] QUERY_PARAMS, ORIG and DECODED', () => {
    const ctx = { requestHeaders: { ':path': '/path?x=xxxxxx&y=yyyyy&z=zzz&encoded=%23' } };
    expect(text('%QUERY_PARAMS%', ctx)).toBe('x=xxxxxx&y=yyyyy&z=zzz&encoded=%23');
    expect(text('%QUERY_PARAMS(ORIG)%', ctx)).toBe('x=xxxxxx&y=yyyyy&z=zzz&encoded=%23');
    expect(typed('%QUERY_PARAMS(DECODED)%', ctx)).toBe('x=xxxxxx&y=yyyyy&z=zzz&encoded=#');
    expect(text('%QUERY_PARAMS(DECODED):4%', ctx)).toBe('x=xx');
    expect(text('%QUERY_PARAMS%', { requestHeaders: { ':path': '/path' } })).toBe('-');
  });

  it('[substitution_formatter_test streamInfoFormatter] REQUESTED_SERVER_NAME, sanitized', () => {
    expect(text('%REQUESTED_SERVER_NAME%', { requestedServerName: '' })).toBe('-');
    expect(text('%REQUESTED_SERVER_NAME%', { requestedServerName: 'outbound_.8080_._.example.com' })).toBe('outbound_.8080_._.example.com');
    expect(text('%REQUESTED_SERVER_NAME%', { requestedServerName: 'stub-server' })).toBe('stub-server');
    expect(text('%REQUESTED_SERVER_NAME%', { requestedServerName: 'stub_server\n' })).toBe('invalid:stub_server_');
    expect(typed('%REQUESTED_SERVER_NAME%', { requestedServerName: '\u001b[0;34m\n$(echo -e $blue)end<script>alert()</script>' })).toBe(
      'invalid:__0_34m___echo_-e__blue_end_script_alert____script_',
    );
  });

  it('[substitution_formatter_test RequestedServerNameFormatter] SNI_ONLY / SNI_FIRST / HOST_FIRST with ORIG / HOST / ORIG_OR_HOST', () => {
    const headers = { ':authority': 'fake-authority', 'x-envoy-original-host': 'fake-original-host' };
    const withSni: FormatContext = { requestedServerName: 'outbound_.8080_._.example.com', requestHeaders: headers };
    const noSni: FormatContext = { requestHeaders: headers };
    const nothing: FormatContext = {};
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      ['SNI_ONLY', 'outbound_.8080_._.example.com', '-', '-'],
      ['SNI_FIRST', 'outbound_.8080_._.example.com', 'fake-original-host', '-'],
      ['SNI_FIRST:ORIG_OR_HOST', 'outbound_.8080_._.example.com', 'fake-original-host', '-'],
      ['SNI_FIRST:HOST', 'outbound_.8080_._.example.com', 'fake-authority', '-'],
      ['SNI_FIRST:ORIG', 'outbound_.8080_._.example.com', 'fake-original-host', '-'],
      ['HOST_FIRST:HOST', 'fake-authority', 'fake-authority', '-'],
      ['HOST_FIRST:ORIG', 'fake-original-host', 'fake-original-host', '-'],
      ['HOST_FIRST', 'fake-original-host', 'fake-original-host', '-'],
    ];
    for (const [param, a, b, c] of cases) {
      const format = `%REQUESTED_SERVER_NAME(${param})%`;
      expect([text(format, withSni), text(format, noSni), text(format, nothing)]).toEqual([a, b, c]);
    }
  });
});
