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
  [callback: number]: unknown;
}

/** The constructor and constants of {@link NativeHttpParser}. */
export interface NativeHttpParserBinding {
  new (): NativeHttpParser;
  readonly RESPONSE: number;
  readonly kOnHeaders: number;
  readonly kOnHeadersComplete: number;
  readonly kOnBody: number;
  readonly kOnMessageComplete: number;
  readonly kOnExecute: number;
}

const METHODS = ['initialize', 'execute', 'finish', 'consume', 'unconsume', 'free'] as const;
const CONSTANTS = ['RESPONSE', 'kOnHeaders', 'kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete', 'kOnExecute'] as const;

let loaded: NativeHttpParserBinding | null | undefined;

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
