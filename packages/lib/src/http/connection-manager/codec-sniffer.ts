import type { Socket } from 'node:net';

/** The HTTP/2 client connection preface (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** The downstream codec a connection speaks. */
export type DownstreamCodec = 'http1' | 'http2';

/**
 * Which codec the first bytes of a connection ask for: `http2` when they are (a prefix of) the HTTP/2 client
 * preface, `http1` as soon as they cannot be, undefined while they are a strict prefix of the preface and more
 * bytes are needed. Envoy's `codec_type: AUTO` decides the same way on cleartext connections.
 */
export function detectCodec(data: Buffer): DownstreamCodec | undefined {
  const n = Math.min(data.length, PREFACE.length);
  for (let i = 0; i < n; i++) if (data[i] !== PREFACE[i]) return 'http1';
  return data.length >= PREFACE.length ? 'http2' : undefined;
}

/**
 * Reads the first bytes of `socket` until {@link detectCodec} decides, pauses the socket and calls `decided` with the
 * codec and the bytes read (the caller parses them first, or puts them back with `unshift`). A connection that closes, fails or stays silent for `idleTimeoutMs`
 * (0: forever) before deciding is destroyed and `decided` is never called.
 */
export function sniffCodec(socket: Socket, idleTimeoutMs: number, decided: (codec: DownstreamCodec, head: Buffer) => void): void {
  let buffered: Buffer | undefined;
  const cleanup = (): void => {
    socket.off('data', onData);
    socket.off('error', onError);
    socket.off('timeout', onTimeout);
    if (idleTimeoutMs > 0) socket.setTimeout(0);
  };
  const onData = (chunk: Buffer): void => {
    buffered = buffered === undefined ? chunk : Buffer.concat([buffered, chunk]);
    const codec = detectCodec(buffered);
    if (codec === undefined) return;
    cleanup();
    socket.pause();
    decided(codec, buffered);
  };
  const onError = (): void => {
    cleanup();
    socket.destroy();
  };
  const onTimeout = (): void => {
    cleanup();
    socket.destroy();
  };
  socket.on('data', onData);
  socket.on('error', onError);
  if (idleTimeoutMs > 0) {
    socket.setTimeout(idleTimeoutMs);
    socket.on('timeout', onTimeout);
  }
}
