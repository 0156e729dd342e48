import type { Socket } from 'node:net';
import type { Listener } from '@orion/configuration';
import { FilterChainMatcher } from '../filter-chain/index.js';
import { nextConnectionId } from './connection-id.js';
import type { ListenerCounters } from './listener-counters.js';
import { NOOP_HISTOGRAM, type HistogramRecorder } from '../stats/histogram-recorder.js';
import type { ConnectionHandler } from './listener-connection.js';

const ignoreError = (): void => undefined;

/**
 * A listener whose connections are draining: replaced or removed by `ListenerManager.apply`, or being closed.
 * It accepts no new connections; the ones it has go on until they end.
 */
export interface DrainingListener {
  /** The listener's name. */
  readonly name: string;
  /** The configuration its connections were accepted with. */
  readonly config: Listener;
  /** Its open connections (live view). */
  readonly connections: ReadonlySet<Socket>;
  /** Destroys every open connection now. */
  destroyConnections(): void;
  /** Resolves when its last connection has closed. */
  readonly drained: Promise<void>;
}

/**
 * One configuration generation of a listener: its compiled filter chains and its open connections. Envoy: an
 * `ActiveTcpListener` with its `FilterChainManager`.
 */
export class ActiveListener implements DrainingListener {
  readonly name: string;
  readonly config: Listener;
  readonly counters: ListenerCounters;
  readonly connections = new Set<Socket>();
  readonly #matcher: FilterChainMatcher;
  readonly #handler: ConnectionHandler;
  readonly #pipe: boolean;
  readonly #cxLength: HistogramRecorder;
  #draining = false;
  #resolveDrained: () => void = () => undefined;
  readonly drained: Promise<void>;

  /**
   * Compiles the filter chains; throws `ORION_ERR_LIB_FILTER_CHAIN_*` for bad ones. `cxLength` receives each
   * connection's length in ms (`downstream_cx_length_ms`).
   */
  constructor(config: Listener, counters: ListenerCounters, handler: ConnectionHandler, cxLength: HistogramRecorder = NOOP_HISTOGRAM) {
    this.name = config.name;
    this.config = config;
    this.counters = counters;
    this.#cxLength = cxLength;
    this.#handler = handler;
    this.#pipe = config.address.type === 'pipe';
    this.#matcher = FilterChainMatcher.compile(config.filterChains, config.defaultFilterChain);
    this.drained = new Promise<void>((resolve) => {
      this.#resolveDrained = resolve;
    });
  }

  /** Takes one accepted socket: selects its filter chain and hands it over, or closes it. Never throws. */
  accept(socket: Socket): void {
    socket.on('error', ignoreError);
    const chain = this.#pipe
      ? this.#matcher.select({ destinationAddress: undefined, destinationPort: undefined, sourceAddress: undefined, sourcePort: undefined })
      : this.#matcher.select({
          destinationAddress: socket.localAddress,
          destinationPort: socket.localPort,
          sourceAddress: socket.remoteAddress,
          sourcePort: socket.remotePort,
        });
    if (chain === undefined) {
      this.counters.no_filter_chain_match++;
      socket.destroy();
      return;
    }
    const counters = this.counters;
    counters.downstream_cx_total++;
    counters.downstream_cx_active++;
    this.connections.add(socket);
    const startHrTime = process.hrtime.bigint();
    socket.once('close', () => {
      counters.downstream_cx_active--;
      counters.downstream_cx_destroy++;
      this.#cxLength.record(Number(process.hrtime.bigint() - startHrTime) / 1e6);
      this.connections.delete(socket);
      if (this.#draining && this.connections.size === 0) this.#resolveDrained();
    });
    try {
      this.#handler(socket, {
        listener: this.config,
        filterChain: chain,
        connectionId: nextConnectionId(),
        bufferLimitBytes: this.config.perConnectionBufferLimitBytes,
        startTime: Date.now(),
        startHrTime,
      });
    } catch {
      counters.downstream_cx_handler_error++;
      socket.destroy();
    }
  }

  /** Marks the generation as draining (its server no longer routes new connections to it). */
  startDraining(): void {
    this.#draining = true;
    if (this.connections.size === 0) this.#resolveDrained();
  }

  /** True once {@link startDraining} was called. */
  get draining(): boolean {
    return this.#draining;
  }

  destroyConnections(): void {
    for (const socket of [...this.connections]) socket.destroy();
  }
}
