import type { Http2Session } from 'node:http2';

/** Keep-alive settings of an HTTP/2 connection. Envoy: `Http2ProtocolOptions.connection_keepalive`. */
export interface Http2KeepaliveSettings {
  /** `interval`: time between PINGs. */
  readonly intervalMs: number;
  /** `timeout`: how long to wait for the PING's acknowledgement before closing the connection. */
  readonly timeoutMs: number;
}

/** The error a session is destroyed with when a keep-alive PING goes unanswered. */
export class Http2KeepaliveTimeoutError extends Error {
  readonly code = 'ORION_HTTP2_KEEPALIVE_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`no PING acknowledgement within ${timeoutMs} ms`);
    this.name = 'Http2KeepaliveTimeoutError';
  }
}

/**
 * Sends a PING every `intervalMs` on `session` and destroys the session when one is not acknowledged within
 * `timeoutMs` (Envoy closes the connection the same way). Returns a function that stops the PINGs; they also stop
 * when the session closes. Timers are unref'ed: keep-alive alone never holds the process open.
 */
export function startHttp2Keepalive(session: Http2Session, settings: Http2KeepaliveSettings): () => void {
  const { intervalMs, timeoutMs } = settings;
  if (intervalMs <= 0) return () => undefined;
  let interval: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (interval !== undefined) clearTimeout(interval);
    if (deadline !== undefined) clearTimeout(deadline);
    interval = undefined;
    deadline = undefined;
  };
  const schedule = (): void => {
    interval = setTimeout(ping, intervalMs);
    interval.unref();
  };
  const ping = (): void => {
    interval = undefined;
    if (session.destroyed || session.closed) return;
    let acknowledged = false;
    const sent = session.ping((err) => {
      acknowledged = true;
      if (deadline !== undefined) clearTimeout(deadline);
      deadline = undefined;
      if (err === null && !session.destroyed) schedule();
    });
    if (!sent) {
      schedule();
      return;
    }
    if (timeoutMs > 0 && !acknowledged) {
      deadline = setTimeout(() => {
        deadline = undefined;
        if (!session.destroyed) session.destroy(new Http2KeepaliveTimeoutError(timeoutMs));
      }, timeoutMs);
      deadline.unref();
    }
  };
  schedule();
  session.once('close', stop);
  return stop;
}
