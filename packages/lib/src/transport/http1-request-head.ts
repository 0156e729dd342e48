/** Header values as a request carries them: one value or several (sent as repeated lines). */
export type Http1HeaderValue = string | readonly string[] | undefined;

/** A request head built by {@link buildRequestHead}. */
export interface Http1RequestHead {
  /**
   * The request line and header lines, without the `Connection` line and the final empty line: the connection
   * appends those (`keep-alive`, or `close` on the last request it takes).
   */
  readonly text: string;
  /** The `content-length` the request declared, or -1 (a body is then sent chunked). */
  readonly contentLength: number;
  /** The request has no `host` header (the connection's authority is added). */
  readonly needsHost: boolean;
}

/** An invalid request (a header with CR, LF or NUL, a method or header name that is not a token). */
export class InvalidRequestError extends Error {
  /** undici's code for the same rejection, so failures classify alike. */
  readonly code = 'UND_ERR_INVALID_ARG';
  override readonly name = 'InvalidArgumentError';
}

/** RFC 9110 token characters. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value may not contain: CR, LF, NUL (undici additionally refuses other controls but TAB). */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** A request target: visible ASCII and obs-text, no spaces or controls. */
const INVALID_PATH = /[^\u0021-\u00ff]/;
/** A content-length value. */
const DIGITS = /^\d{1,15}$/;
/** Methods whose requests carry a body: undici sends `content-length: 0` when they have none. */
const EXPECTS_PAYLOAD = new Set(['POST', 'PUT', 'PATCH']);
/** Request headers the connection owns (framing and connection management). */
const CONNECTION_OWNED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect']);

/** Header names already checked to be tokens (names repeat from request to request); bounded. */
const VALID_NAMES = new Set<string>();
const MAX_VALID_NAMES = 4096;

function checkName(name: string): void {
  if (VALID_NAMES.has(name)) return;
  if (!TOKEN.test(name)) throw invalid('header name');
  if (VALID_NAMES.size < MAX_VALID_NAMES) VALID_NAMES.add(name);
}

function invalid(what: string): InvalidRequestError {
  return new InvalidRequestError(`invalid ${what}`);
}

function headerLine(name: string, value: string): string {
  if (INVALID_VALUE.test(value)) throw invalid(`${name} header`);
  return `${name}: ${value}\r\n`;
}

/**
 * Builds the head of an HTTP/1.1 request as one string (written with a single `socket.write`). Values are sent as
 * the request carries them; a name or value that would break the framing (CR, LF, NUL; a name that is not a
 * token) throws an {@link InvalidRequestError} instead — never header injection. `connection`, `keep-alive`,
 * `transfer-encoding`, `upgrade` and `expect` are the connection's business and are refused, as undici does.
 */
export function buildRequestHead(method: string, path: string, headers: Readonly<Record<string, Http1HeaderValue>>, hasBody: boolean): Http1RequestHead {
  if (!TOKEN.test(method)) throw invalid('method');
  if (INVALID_PATH.test(path)) throw invalid('path');
  let text = `${method} ${path} HTTP/1.1\r\n`;
  let contentLength = -1;
  let needsHost = true;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    // Only names of these lengths need a closer look (host, content-length, and the connection-owned ones).
    const length = name.length;
    if (length === 4 || length === 6 || length === 7 || length === 10 || length === 14 || length === 17) {
      const lower = name.toLowerCase();
      if (lower === 'host') needsHost = false;
      else if (lower === 'content-length') {
        if (typeof value !== 'string' || !DIGITS.test(value)) throw invalid('content-length header');
        contentLength = Number(value);
      } else if (CONNECTION_OWNED.has(lower)) throw invalid(`${lower} header`);
    }
    checkName(name);
    if (typeof value === 'string') text += headerLine(name, value);
    else for (const v of value) text += headerLine(name, v);
  }
  if (contentLength < 0 && !hasBody && EXPECTS_PAYLOAD.has(method)) {
    text += 'content-length: 0\r\n';
    contentLength = 0;
  }
  if (!hasBody && contentLength > 0) throw invalid('content-length header (the request has no body)');
  if (hasBody && contentLength < 0) text += 'transfer-encoding: chunked\r\n';
  return { text, contentLength, needsHost };
}
