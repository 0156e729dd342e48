import { createRequire } from 'node:module';

/**
 * Node's native llhttp binding (`HTTPParser` from the internal module `node:_http_common`, what node:http itself
 * parses with). It is not a public API: {@link loadNativeHttpParser} checks its shape once and the transport falls
 * back to undici when it is missing or differs.
 */
export interface NativeHttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** Parses `data`; returns the bytes parsed or the parse error. */
  execute(data: Buffer): number | Error;
  /** Signals end of input: completes a read-until-close body, or returns the error of an incomplete message. */
  finish(): Error | undefined;
  /** Reads straight from a stream handle (TCP, pipe): no JS `Buffer` per read, results through `kOnExecute`. */
  consume(handle: object): void;
  /** Gives the handle's reads back to the JS socket. */
  unconsume(): void;
  /** Releases the parser's async resource (the native object is collected with the JS one). */
  free(): void;
  /** The buffer the running (consumed) `execute` parses: what follows an upgrade request's head is in it. */
  getCurrentBuffer(): Buffer;
  [callback: number]: unknown;
}

/** The constructor and constants of {@link NativeHttpParser}. */
export interface NativeHttpParserBinding {
  new (): NativeHttpParser;
  readonly REQUEST: number;
  readonly RESPONSE: number;
  readonly kOnMessageBegin: number;
  readonly kOnHeaders: number;
  readonly kOnHeadersComplete: number;
  readonly kOnBody: number;
  readonly kOnMessageComplete: number;
  readonly kOnExecute: number;
}

const METHODS = ['initialize', 'execute', 'finish', 'consume', 'unconsume', 'free', 'getCurrentBuffer'] as const;
const CONSTANTS = ['REQUEST', 'RESPONSE', 'kOnMessageBegin', 'kOnHeaders', 'kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete', 'kOnExecute'] as const;

let loaded: NativeHttpParserBinding | null | undefined;
let loadedServer: NativeHttpServerParser | null | undefined;

/** The binding for parsing requests, with the method names its `kOnHeadersComplete` indexes. */
export interface NativeHttpServerParser {
  readonly binding: NativeHttpParserBinding;
  /** Method names by the index the parser reports (`methods` of `node:_http_common`). */
  readonly methods: readonly string[];
}

/**
 * Whether the binding behaves as this transport expects: a 1xx response skipped, then a 200 with two headers and
 * a chunked body with a trailer, parsed in one `execute`, reporting status, headers, keep-alive, body and trailer
 * in the argument positions Node 20.19+ and 24 use.
 */
function probe(binding: NativeHttpParserBinding): boolean {
  const parser = new binding();
  const seen: unknown[] = [];
  parser.initialize(binding.RESPONSE, {}, 0, 0);
  parser[binding.kOnHeaders] = (headers: string[]) => seen.push(['trailers', ...headers]);
  parser[binding.kOnHeadersComplete] = (_major: number, _minor: number, headers: string[], _method: unknown, _url: unknown, status: number, _text: unknown, _upgrade: boolean, keepAlive: boolean) => {
    seen.push([status, keepAlive, ...headers]);
    return status < 200 ? 1 : 0;
  };
  parser[binding.kOnBody] = (chunk: Buffer) => seen.push(chunk.toString('latin1'));
  parser[binding.kOnMessageComplete] = () => seen.push('end');
  const response = 'HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nA: 1\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nT: x\r\n\r\n';
  const ret = parser.execute(Buffer.from(response, 'latin1'));
  parser.free();
  return ret === response.length && JSON.stringify(seen) === JSON.stringify([[103, true, 'link', '</a>'], 'end', [200, true, 'A', '1', 'transfer-encoding', 'chunked'], 'hi', ['trailers', 'T', 'x'], 'end']);
}

/**
 * Whether the binding parses requests as the downstream codec expects: two pipelined requests in one `execute` —
 * a chunked POST with a trailer and a `Connection: close` GET — reporting method, URL, version, headers, keep-alive
 * and body in the argument positions Node 20.19+ and 24 use.
 */
function probeRequest(binding: NativeHttpParserBinding, methods: readonly string[]): boolean {
  const parser = new binding();
  const seen: unknown[] = [];
  // Headers and URL may come early through kOnHeaders (the parser flushes them in some cases), as trailers do.
  let partial: string[] = [];
  let partialUrl = '';
  parser.initialize(binding.REQUEST, {}, 0, 0);
  parser[binding.kOnMessageBegin] = () => seen.push('begin');
  parser[binding.kOnHeaders] = (headers: string[], url: string) => {
    partial.push(...headers);
    partialUrl += url;
  };
  parser[binding.kOnHeadersComplete] = (major: number, minor: number, headers: string[] | undefined, method: number, url: string | undefined, _status: unknown, _text: unknown, upgrade: boolean, keepAlive: boolean) => {
    seen.push([methods[method], partialUrl + (url ?? ''), major, minor, upgrade, keepAlive, ...partial, ...(headers ?? [])]);
    partial = [];
    partialUrl = '';
    return 0;
  };
  parser[binding.kOnBody] = (chunk: Buffer) => seen.push(chunk.toString('latin1'));
  parser[binding.kOnMessageComplete] = () => {
    seen.push(['end', ...partial]);
    partial = [];
    partialUrl = '';
  };
  const request = 'POST /a?b HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nT: x\r\n\r\nGET / HTTP/1.0\r\n\r\n';
  const ret = parser.execute(Buffer.from(request, 'latin1'));
  parser.free();
  const expected = ['begin', ['POST', '/a?b', 1, 1, false, true, 'Host', 'x', 'transfer-encoding', 'chunked'], 'hi', ['end', 'T', 'x'], 'begin', ['GET', '/', 1, 0, false, false], ['end']];
  return ret === request.length && JSON.stringify(seen) === JSON.stringify(expected);
}

/**
 * Node's native HTTP parser binding with its method table, checked for parsing requests, or `null` when this Node
 * does not have one of the expected shape (checked once).
 */
export function loadNativeHttpServerParser(): NativeHttpServerParser | null {
  if (loadedServer !== undefined) return loadedServer;
  loadedServer = null;
  const binding = loadNativeHttpParser();
  if (binding === null) return loadedServer;
  try {
    const mod = createRequire(import.meta.url)('node:_http_common') as { methods?: unknown };
    const methods = mod.methods;
    if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) return loadedServer;
    if (probeRequest(binding, methods as string[])) loadedServer = { binding, methods: methods as string[] };
  } catch {
    loadedServer = null;
  }
  return loadedServer;
}

/**
 * Node's native HTTP parser binding, or `null` when this Node does not have one of the expected shape (checked
 * once, by the constants and methods it has and by parsing a probe response).
 */
export function loadNativeHttpParser(): NativeHttpParserBinding | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  try {
    const mod = createRequire(import.meta.url)('node:_http_common') as { HTTPParser?: unknown };
    const binding = mod.HTTPParser as NativeHttpParserBinding | undefined;
    if (typeof binding !== 'function') return loaded;
    const record = binding as unknown as Record<string, unknown>;
    if (!CONSTANTS.every((name) => typeof record[name] === 'number')) return loaded;
    const proto = binding.prototype as unknown as Record<string, unknown>;
    if (!METHODS.every((name) => typeof proto[name] === 'function')) return loaded;
    if (probe(binding)) loaded = binding;
  } catch {
    loaded = null;
  }
  return loaded;
}
