import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Listener } from '@orion/configuration';
import { listenerListenOptions } from '@orion/lib';

/**
 * Concrete ports for listeners configured on port 0 when every worker binds its own `SO_REUSEPORT` socket: each
 * worker binding port 0 would get a different port, so the primary picks one first. It binds a `SO_REUSEPORT`
 * socket on the listener's host and port 0, hands the kernel's port to the workers in the snapshot and holds its
 * socket until the workers have bound theirs, so nothing else takes the port meanwhile. A listener keeps its port
 * across reloads while its configured address is unchanged. (With `node:cluster` handle sharing the workers share
 * the primary's one socket, and port 0 needs nothing.)
 */
export class PortReservations {
  readonly #chosen = new Map<string, { readonly host: string; readonly port: number }>();
  readonly #held: Server[] = [];

  /** The listeners with every port 0 replaced by a concrete port (reserved now, or chosen earlier for that listener). */
  async resolve(listeners: readonly Listener[]): Promise<Listener[]> {
    const out: Listener[] = [];
    for (const listener of listeners) {
      const address = listener.address;
      if (address.type !== 'socket' || address.port !== 0 || !listener.bindToPort) {
        out.push(listener);
        continue;
      }
      let chosen = this.#chosen.get(listener.name);
      if (chosen === undefined || chosen.host !== address.host) {
        chosen = { host: address.host, port: await this.#reserve(listener) };
        this.#chosen.set(listener.name, chosen);
      }
      out.push({ ...listener, address: { ...address, port: chosen.port } });
    }
    return out;
  }

  /** Closes the reserving sockets (once the workers have bound theirs). */
  async release(): Promise<void> {
    const held = this.#held.splice(0);
    await Promise.all(held.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  /** Binds as the workers will (same host, IPv6-only setting and `SO_REUSEPORT`), on port 0. */
  async #reserve(listener: Listener): Promise<number> {
    // A connection that reaches this socket before it is released is refused rather than left waiting.
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenerListenOptions(listener, { reusePort: true }), () => resolve());
    });
    this.#held.push(server);
    return (server.address() as AddressInfo).port;
  }
}
