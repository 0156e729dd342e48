import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the drain knows about one downstream connection. */
interface ConnectionState {
  /** Requests whose response has not closed yet. */
  active: number;
  /** `socket.bytesRead` when its last response closed (0 before any): more bytes mean a request has begun. */
  idleMark: number;
}

/**
 * Drains the HTTP/1.1 connections of one connection manager, as Envoy's drain manager does for a listener that is
 * replaced or shut down: connections with no request under way are closed at once, and every response still to be
 * written carries `Connection: close`, so each connection closes right after its in-flight request completes.
 * Requests are never cut short.
 *
 * It works on the manager's Node server (`ConnectionManager.nodeServer`): a `request` hook placed before the
 * manager's own handler counts the requests of each connection, which is the only per-request cost. A connection is
 * idle when none of its responses is open and it has received no byte since the last one closed.
 */
export class HttpConnectionDrain {
  readonly #connections = new Map<Socket, ConnectionState>();
  readonly #inFlight = new Set<ServerResponse>();
  #draining = false;
  /** Envoy's drain decision, asked for each request, while the listener keeps accepting ({@link drainClose}). */
  #decide: (() => boolean) | undefined;

  constructor(server: Server) {
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
  }

  /** True once {@link start} was called. */
  get draining(): boolean {
    return this.#draining;
  }

  /** Registers a downstream connection handed to the manager. */
  adopt(socket: Socket): void {
    this.#connections.set(socket, { active: 0, idleMark: 0 });
    socket.once('close', () => this.#connections.delete(socket));
  }

  /**
   * Starts draining: idle connections (keep-alive between requests, or never used) are closed now; responses not
   * yet started get `Connection: close`; a connection whose response is already streaming closes when that response
   * ends. Idempotent.
   */
  start(): void {
    if (this.#draining) return;
    this.#draining = true;
    for (const res of this.#inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    this.#inFlight.clear();
    for (const [socket, state] of this.#connections) closeIfIdle(socket, state);
  }

  /**
   * Drains while the listener keeps accepting (admin `/drain_listeners?graceful`), as Envoy's connection manager
   * asks its drain decision when it answers: every response not yet started, on existing or new connections, for
   * which `decide()` (Envoy's `DrainDecision::drainClose`) is true carries `Connection: close`, and its connection
   * closes after it. Idle keep-alive connections are not cut (a client may be sending on one right now): each gets
   * `Connection: close` on its next response, or closes when the listener stops. {@link start} still drains
   * everything at once.
   */
  drainClose(decide: () => boolean): void {
    this.#decide = decide;
    for (const res of this.#inFlight) {
      if (res.headersSent || !decide()) continue;
      res.shouldKeepAlive = false;
      this.#inFlight.delete(res);
    }
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const decide = this.#decide;
    if (this.#draining || (decide !== undefined && decide())) res.shouldKeepAlive = false;
    else this.#inFlight.add(res);
    const socket = req.socket;
    const state = this.#connections.get(socket);
    if (state !== undefined) state.active++;
    // One shared listener (a response closes once) instead of a closure and a once-wrapper per request.
    (res as TrackedResponse)[kDrain] = { drain: this, socket, state };
    res.on('close', onResponseClose);
  }

  /** A response tracked by {@link #onRequest} closed. */
  responseClosed(res: ServerResponse, socket: Socket, state: ConnectionState | undefined): void {
    this.#inFlight.delete(res);
    if (state === undefined) return;
    state.active--;
    state.idleMark = socket.bytesRead;
    if (this.#draining) closeIfIdle(socket, state);
  }
}

const kDrain = Symbol('orion.drain');

/** A response with what its close needs to tell the drain. */
type TrackedResponse = ServerResponse & {
  [kDrain]?: { readonly drain: HttpConnectionDrain; readonly socket: Socket; readonly state: ConnectionState | undefined } | undefined;
};

function onResponseClose(this: ServerResponse): void {
  const tracked = (this as TrackedResponse)[kDrain];
  if (tracked === undefined) return;
  (this as TrackedResponse)[kDrain] = undefined;
  tracked.drain.responseClosed(this, tracked.socket, tracked.state);
}

function closeIfIdle(socket: Socket, state: ConnectionState): void {
  if (state.active > 0 || socket.bytesRead !== state.idleMark || socket.destroyed) return;
  // Let what the last response wrote reach the kernel, then close both directions (the socket is half-open capable).
  socket.end(() => socket.destroy());
}
