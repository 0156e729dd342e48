import type { Listener } from '@orion/configuration';
import { OrionError } from '@orion/error';
import type { StatsStore } from '@orion/metrics';
import { configEqual } from '../clusters/config-equal.js';
import { LibErrorCode } from '../error-codes.js';
import { NOOP_HISTOGRAM, type HistogramRecorder } from '../stats/histogram-recorder.js';
import { ActiveListener, type DrainingListener } from './active-listener.js';
import type { BoundAddress } from './bound-address.js';
import { createListenerCounters, type ListenerCounters } from './listener-counters.js';
import type { ConnectionHandler } from './listener-connection.js';
import { ListenerSocket } from './listener-socket.js';
import type { ListenerBindSettings } from './listener-server-options.js';

/** Options of {@link ListenerManager}. */
export interface ListenerManagerOptions {
  /** Receives every accepted connection with its filter chain and connection id. */
  readonly onConnection: ConnectionHandler;
  /**
   * Called when a listener generation starts draining: replaced or removed by {@link ListenerManager.apply}, or
   * closed by {@link ListenerManager.close}. Its connections stay open until they end; the callee may close them
   * gracefully (HTTP: `Connection: close` / GOAWAY) or destroy them. Default: nothing, they end on their own.
   */
  readonly onDrain?: (listener: DrainingListener) => void;
  /** Aborting it destroys the manager (listening sockets closed, every connection destroyed). */
  readonly signal?: AbortSignal;
  /** Bind TCP listeners with `SO_REUSEPORT`, one socket per process ({@link ListenerBindSettings}). Default false. */
  readonly reusePort?: boolean;
  /** Where each listener records its `listener.<prefix>.downstream_cx_length_ms` histogram. Default none. */
  readonly stats?: StatsStore;
}

/** What {@link ListenerManager.apply} did, by listener name. */
export interface ListenerApplyResult {
  readonly added: readonly string[];
  /** Listeners with a new configuration (same address: the listening socket is kept; old connections drain). */
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/** A read-only view of one configured listener. */
export interface ListenerView {
  readonly name: string;
  readonly config: Listener;
  /** Counters, kept across updates of the listener. */
  readonly counters: Readonly<ListenerCounters>;
  /** The stat prefix: `stat_prefix`, else the address as `<host>_<port>` (`127.0.0.1_8080`, `[__1]_8080`) or the pipe path. */
  readonly statPrefix: string;
  /** Where it listens; undefined with `bind_to_port: false`. */
  readonly address: BoundAddress | undefined;
  /** Open connections accepted by the current configuration. */
  readonly activeConnections: number;
}

interface Entry {
  generation: ActiveListener;
  socket: ListenerSocket | undefined;
  readonly counters: ListenerCounters;
  readonly cxLength: HistogramRecorder;
}

/**
 * The listeners of a worker. Envoy: `ListenerManager`. Each listener is one `net.Server` (TCP on IPv4/IPv6, or a
 * Unix socket), whose accepted connections get a filter chain ({@link FilterChainMatcher}) and go to
 * `onConnection`. `apply` takes the whole set of listeners (LDS state of the world).
 */
export class ListenerManager {
  readonly #options: ListenerManagerOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #draining = new Set<ActiveListener>();
  readonly #bindSettings: ListenerBindSettings;
  readonly #onAbort = (): void => void this.destroy();
  #applying: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: ListenerManagerOptions) {
    this.#options = options;
    this.#bindSettings = { reusePort: options.reusePort === true };
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal.aborted) this.#closed = true;
      else signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /**
   * Applies a set of listeners: new ones bind, changed ones are rebuilt (keeping their listening socket when the
   * address is unchanged, else binding the new address before releasing the old), missing ones stop listening.
   * Replaced and removed generations drain (see {@link ListenerManagerOptions.onDrain}). Applies are serialised.
   * Rejects without changing anything on a duplicate name (`ORION_ERR_LIB_LISTENER_DUPLICATE`), a bad filter chain
   * (`ORION_ERR_LIB_FILTER_CHAIN_*`) or a bind failure (`ORION_ERR_LIB_LISTENER_BIND`); after close with
   * `ORION_ERR_LIB_MANAGER_CLOSED`.
   */
  apply(listeners: readonly Listener[]): Promise<ListenerApplyResult> {
    const run = this.#applying.then(() => this.#apply(listeners));
    this.#applying = run.catch(() => undefined);
    return run;
  }

  /** The listener named `name`. */
  get(name: string): ListenerView | undefined {
    const entry = this.#entries.get(name);
    return entry === undefined ? undefined : view(entry);
  }

  /** Every listener, in the order of the last apply. */
  get listeners(): readonly ListenerView[] {
    return [...this.#entries.values()].map(view);
  }

  /** Bound addresses by listener name (listeners with `bind_to_port: false` are absent). */
  addresses(): ReadonlyMap<string, BoundAddress> {
    const out = new Map<string, BoundAddress>();
    for (const [name, entry] of this.#entries) {
      const bound = entry.socket?.bound();
      if (bound !== undefined) out.set(name, bound);
    }
    return out;
  }

  /**
   * Stops accepting on every listener, lets every listener drain ({@link ListenerManagerOptions.onDrain}) and
   * resolves when the last connection has ended. Idempotent.
   */
  async close(): Promise<void> {
    await this.#shutdown(false);
  }

  /** Stops accepting and destroys every connection at once. */
  async destroy(): Promise<void> {
    await this.#shutdown(true);
  }

  async #shutdown(destroy: boolean): Promise<void> {
    const first = !this.#closed;
    this.#closed = true;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    await this.#applying;
    const sockets: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.socket !== undefined) sockets.push(entry.socket.close());
      entry.socket = undefined;
      if (!entry.generation.draining) this.#drain(entry.generation);
    }
    await Promise.all(sockets);
    if (destroy) for (const g of this.#draining) g.destroyConnections();
    await Promise.all([...this.#draining].map((g) => g.drained));
    if (first || destroy) this.#entries.clear();
  }

  async #apply(listeners: readonly Listener[]): Promise<ListenerApplyResult> {
    if (this.#closed) throw new OrionError(LibErrorCode.MANAGER_CLOSED, 'the listener manager is closed');
    const names = new Set<string>();
    for (const l of listeners) {
      if (names.has(l.name)) {
        throw new OrionError(LibErrorCode.LISTENER_DUPLICATE, `listener ${JSON.stringify(l.name)} is defined more than once`, { details: { listener: l.name } });
      }
      names.add(l.name);
    }
    // Build every changed generation first: a bad filter chain must change nothing.
    const planned = new Map<string, { generation: ActiveListener; counters: ListenerCounters; cxLength: HistogramRecorder; reuse: ListenerSocket | undefined }>();
    const unchanged: string[] = [];
    for (const config of listeners) {
      const current = this.#entries.get(config.name);
      if (current !== undefined && configEqual(current.generation.config, config)) {
        unchanged.push(config.name);
        continue;
      }
      const counters = current?.counters ?? createListenerCounters();
      const stats = this.#options.stats;
      const cxLength = current?.cxLength ?? (stats === undefined ? NOOP_HISTOGRAM : stats.scope(`listener.${listenerStatPrefix(config)}`).histogram('downstream_cx_length_ms'));
      let generation: ActiveListener;
      try {
        generation = new ActiveListener(config, counters, this.#options.onConnection, cxLength);
      } catch (err) {
        throw OrionError.from(err).withContext(`building listener ${JSON.stringify(config.name)}`, { listener: config.name });
      }
      const reuse = config.bindToPort && current?.socket?.sameAddress(config.address) === true ? current.socket : undefined;
      planned.set(config.name, { generation, counters, cxLength, reuse });
    }
    // Bind new addresses; on any failure release what was bound and change nothing.
    const bound = new Map<string, ListenerSocket>();
    try {
      for (const [name, plan] of planned) {
        if (!plan.generation.config.bindToPort || plan.reuse !== undefined) continue;
        const generation = plan.generation;
        bound.set(name, await ListenerSocket.bind(generation.config, (s) => generation.accept(s), this.#bindSettings));
      }
    } catch (err) {
      await Promise.all([...bound.values()].map((s) => s.close()));
      throw OrionError.from(err).withContext('applying listeners');
    }
    const added: string[] = [];
    const updated: string[] = [];
    const removed: string[] = [];
    const releasing: Promise<void>[] = [];
    for (const [name, plan] of planned) {
      const current = this.#entries.get(name);
      const generation = plan.generation;
      let socket = plan.reuse ?? bound.get(name);
      if (plan.reuse !== undefined) plan.reuse.target = (s) => generation.accept(s);
      if (current === undefined) added.push(name);
      else {
        updated.push(name);
        if (current.socket !== undefined && current.socket !== plan.reuse) releasing.push(current.socket.close());
        this.#drain(current.generation);
      }
      if (!generation.config.bindToPort) socket = undefined;
      this.#entries.set(name, { generation, socket, counters: plan.counters, cxLength: plan.cxLength });
    }
    for (const [name, entry] of [...this.#entries]) {
      if (names.has(name)) continue;
      removed.push(name);
      if (entry.socket !== undefined) releasing.push(entry.socket.close());
      this.#drain(entry.generation);
      this.#entries.delete(name);
    }
    // Keep the map in configuration order.
    const ordered = listeners.map((l) => [l.name, this.#entries.get(l.name) as Entry] as const);
    this.#entries.clear();
    for (const [name, entry] of ordered) this.#entries.set(name, entry);
    await Promise.all(releasing);
    return { added, updated, removed, unchanged };
  }

  #drain(generation: ActiveListener): void {
    generation.startDraining();
    this.#draining.add(generation);
    void generation.drained.then(() => this.#draining.delete(generation));
    try {
      this.#options.onDrain?.(generation);
    } catch {
      // A failing drain hook must not stop the listener manager.
    }
  }
}

function view(entry: Entry): ListenerView {
  const config = entry.generation.config;
  return {
    name: config.name,
    config,
    counters: entry.counters,
    statPrefix: listenerStatPrefix(config),
    address: entry.socket?.bound(),
    activeConnections: entry.generation.connections.size,
  };
}

/**
 * Envoy's listener stat prefix: `stat_prefix`, else the configured address as Envoy prints it with `:` replaced by
 * `_` (Envoy's stat-name sanitising): `0.0.0.0_10000`, `[__1]_10000`, or the pipe path.
 */
export function listenerStatPrefix(config: Listener): string {
  if (config.statPrefix !== '') return config.statPrefix;
  const a = config.address;
  if (a.type === 'pipe') return a.path;
  return a.host.includes(':') ? `[${a.host.replaceAll(':', '_')}]_${a.port}` : `${a.host}_${a.port}`;
}
