import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Address, Listener } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../error-codes.js';
import type { BoundAddress } from './bound-address.js';
import { listenerListenOptions, listenerServerOptions, type ListenerBindSettings } from './listener-server-options.js';

/**
 * One listening `net.Server` for one address. Its accepted sockets go to whatever `target` currently is, so a
 * listener whose address did not change can be reconfigured without closing its socket (as Envoy hands the listen
 * socket to the new listener).
 */
export class ListenerSocket {
  readonly address: Address;
  readonly #server: Server;
  target: (socket: Socket) => void;

  private constructor(address: Address, server: Server, target: (socket: Socket) => void) {
    this.address = address;
    this.#server = server;
    this.target = target;
  }

  /**
   * Binds and listens. Rejects with `ORION_ERR_LIB_LISTENER_BIND` (address in use, permission, bad path). A stale
   * Unix socket file at a pipe path (one nothing accepts connections on) is removed first; a live one is left for
   * `node:cluster` to share or for listen to report. The pipe's `mode` is applied after binding.
   */
  static async bind(listener: Listener, target: (socket: Socket) => void, settings: ListenerBindSettings = {}): Promise<ListenerSocket> {
    const server = createServer(listenerServerOptions(listener));
    const socket = new ListenerSocket(listener.address, server, target);
    server.on('connection', (s: Socket) => socket.target(s));
    try {
      const address = listener.address;
      if (address.type === 'pipe' && !address.path.startsWith('@')) await removeStaleSocket(address.path);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(listenerListenOptions(listener, settings), () => {
          server.off('error', reject);
          resolve();
        });
      });
      // Accept errors (EMFILE, …) must not crash the process; Node retries accepting on its own.
      server.on('error', () => undefined);
      if (address.type === 'pipe' && address.mode !== 0 && !address.path.startsWith('@')) await chmod(address.path, address.mode);
    } catch (err) {
      server.close();
      throw new OrionError(LibErrorCode.LISTENER_BIND, `cannot listen on ${describe(listener.address)}: ${(err as Error).message}`, {
        cause: err,
        details: { listener: listener.name },
      });
    }
    return socket;
  }

  /** The bound address (the kernel's port for port 0). */
  bound(): BoundAddress | undefined {
    const a = this.#server.address();
    if (a === null) return undefined;
    if (typeof a === 'string') return { type: 'pipe', path: this.address.type === 'pipe' ? this.address.path : a };
    return { type: 'socket', host: a.address, port: a.port, family: a.family === 'IPv6' ? 'IPv6' : 'IPv4' };
  }

  /** True when `other` names the same address (same host, port — 0 included — and ipv4_compat, or same path and mode). */
  sameAddress(other: Address): boolean {
    const a = this.address;
    if (a.type === 'socket' && other.type === 'socket') return a.host === other.host && a.port === other.port && a.ipv4Compat === other.ipv4Compat;
    if (a.type === 'pipe' && other.type === 'pipe') return a.path === other.path && a.mode === other.mode;
    return false;
  }

  /**
   * Stops accepting; resolves once the listening handle is closed. Open connections are not touched (Node's own
   * `server.close()` callback would wait for them; draining is the listener generation's business).
   */
  close(): Promise<void> {
    if (this.#server.listening) this.#server.close();
    return new Promise((resolve) => setImmediate(resolve));
  }
}

async function removeStaleSocket(path: string): Promise<void> {
  try {
    const stat = await lstat(path);
    if (stat.isSocket() && !(await acceptsConnections(path))) await unlink(path);
  } catch {
    // Nothing there, or not ours to remove: listen() reports the real problem.
  }
}

/** True when something listens on the Unix socket at `path` (another worker's shared handle, another process). */
function acceptsConnections(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => {
      probe.destroy();
      resolve(false);
    });
  });
}

function describe(address: Address): string {
  if (address.type === 'pipe') return `pipe ${address.path}`;
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
