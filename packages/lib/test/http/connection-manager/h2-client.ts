import { execFile } from 'node:child_process';
import { connect, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

/** A response read by {@link h2request}. */
export interface H2Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  trailers: IncomingHttpHeaders | undefined;
  /** The HEADERS frame ended the stream (trailers-only / headers-only response). */
  headersEnded: boolean;
  /** RST_STREAM code when the stream was reset before it ended, else undefined. */
  rstCode: number | undefined;
}

/** Opens an HTTP/2 cleartext session with prior knowledge. */
export function h2session(port: number): ClientHttp2Session {
  const session = connect(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  return session;
}

/** One request on `session` (bounded by `timeoutMs`). */
export function h2request(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: Buffer | string, timeoutMs = 5000): Promise<H2Reply> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': body === undefined ? 'GET' : 'POST', ':path': '/', ...headers }, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let status = 0;
    let responseHeaders: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    let headersEnded = false;
    let ended = false;
    const timer = setTimeout(() => {
      stream.close();
      reject(new Error('h2 request timed out'));
    }, timeoutMs);
    stream.on('response', (h, flags) => {
      status = Number(h[':status']);
      responseHeaders = h;
      headersEnded = (flags & 1) !== 0;
    });
    stream.on('trailers', (t) => {
      trailers = t;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      ended = true;
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      clearTimeout(timer);
      resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks), trailers, headersEnded, rstCode: ended ? undefined : stream.rstCode });
    });
    if (body !== undefined) stream.end(body);
  });
}

/** Runs a command, resolving with its stdout and stderr (never rejecting on a non-zero exit). */
export function run(command: string, args: readonly string[], timeoutMs = 20_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
