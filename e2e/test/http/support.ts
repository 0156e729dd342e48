import { readFile } from 'node:fs/promises';
import { createServer as createHttp2Server, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';

/** `typed_extension_protocol_options` making a cluster speak HTTP/2 to its hosts (for `staticCluster`'s `extra`). */
export const HTTP2_CLUSTER = `      typed_extension_protocol_options:
        envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
          "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
          explicit_http_config:
            http2_protocol_options: {}
`;

/** An HCM `access_log` block (for `httpListener`'s `hcmExtra`) writing `format` to `file` in orion's directory. */
export function accessLog(file: string, format: string): string {
  return `                access_log:
                  - name: envoy.access_loggers.file
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                      path: ${file}
                      log_format: { text_format: ${JSON.stringify(format)} }
`;
}

/** The non-empty lines of `file` once there are at least `count` (waits up to 5 s, then returns what is there). */
export async function linesOf(file: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l !== '');
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits (up to 5 s) for a line of `file` matching `pattern`; fails listing the lines it saw. */
export async function lineMatching(file: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const lines = text.split('\n').filter((l) => l !== '');
    const found = lines.find((l) => pattern.test(l));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no line of ${file} matches ${pattern}; lines:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A cleartext HTTP/2 upstream (stream API) on 127.0.0.1. */
export async function http2Upstream(onStream: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void): Promise<{ port: number; server: Http2Server; close(): Promise<void> }> {
  const server = createHttp2Server();
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s: ServerHttp2Session) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    stream.on('error', () => undefined);
    onStream(stream, headers);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sessions) s.destroy();
        server.close(() => r());
      }),
  };
}
