import type { FormatContext } from '../format-context.js';
import {
  COMMAND_ONLY,
  LENGTH_ALLOWED,
  headerReader,
  PARAMS_OPTIONAL,
  PARAMS_REQUIRED,
  requestHeader,
  responseHeader,
  responseTrailer,
  truncate,
  type Op,
  type OperatorArgs,
  type OperatorDefinition,
} from './op.js';

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9a-z]*$/;

/** Parses `X?Y`: lower-cases both names and rejects a second alternative and invalid characters. */
function parseHeaderNames(a: OperatorArgs): [string, string | undefined] {
  const q1 = a.param.indexOf('?');
  if (q1 >= 0) {
    const q2 = a.param.indexOf('?', q1 + 1);
    if (q2 >= 0) a.fail(`more than one alternative header in '${a.param}' (only X?Y is allowed)`, a.paramColumn + q2);
  }
  const names = q1 < 0 ? [a.param] : [a.param.slice(0, q1), a.param.slice(q1 + 1)];
  let offset = 0;
  for (const raw of names) {
    const lower = raw.toLowerCase();
    const body = lower.startsWith(':') ? lower.slice(1) : lower;
    if (!TCHAR.test(body)) {
      let bad = 0;
      for (let i = lower.startsWith(':') ? 1 : 0; i < lower.length; i++) {
        if (!TCHAR.test(lower[i] as string)) {
          bad = i;
          break;
        }
      }
      const ch = raw[bad] as string;
      const shown = ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\0' ? '\\0' : ch;
      a.fail(`invalid character '${shown}' in header name '${raw.replace(/[\n\r\0]/g, '?')}'`, a.paramColumn + offset + bad);
    }
    offset += raw.length + 1;
  }
  const main = (names[0] as string).toLowerCase();
  const alt = names.length > 1 ? (names[1] as string).toLowerCase() : undefined;
  return [main, alt === '' ? undefined : alt];
}

function headerOperator(kind: 'request' | 'response' | 'trailer', transform?: (v: string) => string): OperatorDefinition {
  return {
    syntax: PARAMS_REQUIRED | LENGTH_ALLOWED,
    create: (a) => {
      const [main, alt] = parseHeaderNames(a);
      const max = a.maxLength;
      const readMain = main === '' ? () => undefined : headerReader(kind, main);
      const readAlt = alt === undefined ? undefined : headerReader(kind, alt);
      if (readAlt === undefined && transform === undefined && max === undefined) return { text: readMain, value: readMain };
      const f = (ctx: FormatContext): string | undefined => {
        let v = readMain(ctx);
        if (v === undefined && readAlt !== undefined) v = readAlt(ctx);
        if (v === undefined) return undefined;
        if (transform !== undefined) v = transform(v);
        return max !== undefined && v.length > max ? v.slice(0, max) : v;
      };
      return { text: f, value: f };
    },
  };
}

const withoutQuery = (v: string): string => {
  const q = v.indexOf('?');
  return q < 0 ? v : v.slice(0, q);
};

const GRPC_CAMEL = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable',
  'DataLoss', 'Unauthenticated',
];
const GRPC_SNAKE = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED',
];

/** Envoy `Grpc::Common::isGrpcRequestHeaders`: `application/grpc`, `application/grpc+…` or `application/grpc;…`. */
function isGrpcRequest(ctx: FormatContext): boolean {
  const ct = requestHeader(ctx, 'content-type');
  if (ct === undefined || !ct.startsWith('application/grpc')) return false;
  return ct.length === 16 || ct[16] === '+' || ct[16] === ';';
}

/** The `grpc-status` of a gRPC request (trailers first, then headers); `undefined` when absent or not numeric. */
function grpcStatus(ctx: FormatContext): number | undefined {
  if (!isGrpcRequest(ctx)) return undefined;
  const raw = responseTrailer(ctx, 'grpc-status') ?? responseHeader(ctx, 'grpc-status');
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function grpcStatusOp(format: 'CAMEL_STRING' | 'SNAKE_STRING' | 'NUMBER'): Op {
  if (format === 'NUMBER') {
    return {
      text: (ctx) => {
        const s = grpcStatus(ctx);
        return s === undefined ? undefined : String(s);
      },
      value: grpcStatus,
    };
  }
  const names = format === 'CAMEL_STRING' ? GRPC_CAMEL : GRPC_SNAKE;
  const f = (ctx: FormatContext): string | undefined => {
    const s = grpcStatus(ctx);
    if (s === undefined) return undefined;
    return names[s] ?? String(s);
  };
  return { text: f, value: f };
}

function percentDecode(s: string, plusAsSpace: boolean): string {
  const input = plusAsSpace ? s.replaceAll('+', ' ') : s;
  if (!input.includes('%')) return input;
  try {
    return decodeURIComponent(input);
  } catch {
    return input.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

function queryOf(ctx: FormatContext): string | undefined {
  const path = requestHeader(ctx, ':path');
  if (path === undefined) return undefined;
  const q = path.indexOf('?');
  if (q < 0) return undefined;
  const hash = path.indexOf('#', q);
  return hash < 0 ? path.slice(q + 1) : path.slice(q + 1, hash);
}

function queryParam(ctx: FormatContext, key: string): string | undefined {
  const query = queryOf(ctx);
  if (query === undefined) return undefined;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = percentDecode(eq < 0 ? pair : pair.slice(0, eq), true);
    if (name === key) return eq < 0 ? '' : percentDecode(pair.slice(eq + 1), true);
  }
  return undefined;
}

function pathOperator(a: OperatorArgs): Op {
  const colon = a.param.indexOf(':');
  const query = colon < 0 ? a.param : a.param.slice(0, colon);
  const source = colon < 0 ? '' : a.param.slice(colon + 1);
  if (query !== '' && query !== 'WQ' && query !== 'NQ') a.fail(`Invalid PATH option: '${query}', only 'WQ'/'NQ' are allowed`);
  if (source !== '' && source !== 'ORIG' && source !== 'PATH' && source !== 'ORIG_OR_PATH') {
    a.fail(`Invalid PATH option: '${source}', only 'ORIG'/'PATH'/'ORIG_OR_PATH' are allowed`, a.paramColumn + colon + 1);
  }
  const stripQuery = query === 'NQ';
  const max = a.maxLength;
  const f = (ctx: FormatContext): string | undefined => {
    let v: string | undefined;
    if (source === 'PATH') v = requestHeader(ctx, ':path');
    else if (source === 'ORIG') v = requestHeader(ctx, 'x-envoy-original-path');
    else v = requestHeader(ctx, 'x-envoy-original-path') ?? requestHeader(ctx, ':path');
    if (v === undefined) return undefined;
    if (stripQuery) v = withoutQuery(v);
    return truncate(v, max);
  };
  return { text: f, value: f };
}

const HOSTNAME_CHAR = /^[A-Za-z0-9._-]*$/;

/** Envoy `StringUtil::sanitizeInvalidHostname`: valid names pass, others become `invalid:` + `_` for bad characters. */
export function sanitizeHostname(name: string): string {
  if (HOSTNAME_CHAR.test(name)) return name;
  return `invalid:${name.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

function requestedServerName(a: OperatorArgs): Op {
  const colon = a.param.indexOf(':');
  const mode = colon < 0 ? a.param : a.param.slice(0, colon);
  const hostSource = colon < 0 ? '' : a.param.slice(colon + 1);
  if (mode !== '' && mode !== 'SNI_ONLY' && mode !== 'SNI_FIRST' && mode !== 'HOST_FIRST') {
    a.fail(`Invalid REQUESTED_SERVER_NAME option: '${mode}', only 'SNI_ONLY'/'SNI_FIRST'/'HOST_FIRST' are allowed`);
  }
  if (hostSource !== '' && hostSource !== 'ORIG' && hostSource !== 'HOST' && hostSource !== 'ORIG_OR_HOST') {
    a.fail(
      `Invalid REQUESTED_SERVER_NAME option: '${hostSource}', only 'ORIG'/'HOST'/'ORIG_OR_HOST' are allowed`,
      a.paramColumn + colon + 1,
    );
  }
  let lastIn = '';
  let lastOut = '';
  const sni = (ctx: FormatContext): string | undefined => {
    const v = ctx.requestedServerName;
    if (v === undefined || v === '') return undefined;
    if (v !== lastIn) {
      lastIn = v;
      lastOut = sanitizeHostname(v);
    }
    return lastOut;
  };
  const host = (ctx: FormatContext): string | undefined => {
    if (hostSource === 'HOST') return requestHeader(ctx, ':authority');
    if (hostSource === 'ORIG') return requestHeader(ctx, 'x-envoy-original-host');
    return requestHeader(ctx, 'x-envoy-original-host') ?? requestHeader(ctx, ':authority');
  };
  let f: (ctx: FormatContext) => string | undefined;
  if (mode === 'SNI_FIRST') f = (ctx) => sni(ctx) ?? host(ctx);
  else if (mode === 'HOST_FIRST') f = (ctx) => host(ctx) ?? sni(ctx);
  else f = sni;
  return { text: f, value: f };
}

/** Header, gRPC, path and query operators. */
export const HTTP_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  REQ: headerOperator('request'),
  REQUEST_HEADER: headerOperator('request'),
  RESP: headerOperator('response'),
  RESPONSE_HEADER: headerOperator('response'),
  TRAILER: headerOperator('trailer'),
  RESPONSE_TRAILER: headerOperator('trailer'),
  REQ_WITHOUT_QUERY: headerOperator('request', withoutQuery),
  GRPC_STATUS: {
    syntax: PARAMS_OPTIONAL,
    create: (a) => {
      const p = a.param === '' ? 'CAMEL_STRING' : a.param;
      if (p !== 'CAMEL_STRING' && p !== 'SNAKE_STRING' && p !== 'NUMBER') {
        a.fail(`GRPC_STATUS only supports CAMEL_STRING, SNAKE_STRING or NUMBER, not '${a.param}'`);
      }
      return grpcStatusOp(p as 'CAMEL_STRING' | 'SNAKE_STRING' | 'NUMBER');
    },
  },
  GRPC_STATUS_NUMBER: { syntax: COMMAND_ONLY, create: () => grpcStatusOp('NUMBER') },
  QUERY_PARAM: {
    syntax: PARAMS_REQUIRED | LENGTH_ALLOWED,
    create: (a) => {
      const key = a.param;
      const max = a.maxLength;
      const f = (ctx: FormatContext): string | undefined => {
        const v = queryParam(ctx, key);
        return v === undefined ? undefined : truncate(v, max);
      };
      return { text: f, value: f };
    },
  },
  QUERY_PARAMS: {
    syntax: PARAMS_OPTIONAL | LENGTH_ALLOWED,
    create: (a) => {
      if (a.param !== '' && a.param !== 'ORIG' && a.param !== 'DECODED') {
        a.fail(`Invalid QUERY_PARAMS option: '${a.param}', only 'ORIG'/'DECODED' are allowed`);
      }
      const decode = a.param === 'DECODED';
      const max = a.maxLength;
      const f = (ctx: FormatContext): string | undefined => {
        const q = queryOf(ctx);
        if (q === undefined) return undefined;
        return truncate(decode ? percentDecode(q, false) : q, max);
      };
      return { text: f, value: f };
    },
  },
  PATH: { syntax: PARAMS_OPTIONAL | LENGTH_ALLOWED, create: pathOperator },
  REQUESTED_SERVER_NAME: { syntax: PARAMS_OPTIONAL, create: requestedServerName },
};
