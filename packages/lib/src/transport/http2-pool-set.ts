import { Http2ConnectionPool, type Http2PoolEvents, type Http2PoolSettings } from './http2-connection-pool.js';
import { targetLabel, type UpstreamTarget } from './upstream-target.js';

/**
 * The HTTP/2 connection pools of one cluster, one {@link Http2ConnectionPool} per upstream host, created on first
 * use (Envoy: the cluster's HTTP/2 connection pools, one per host). Used when the cluster's
 * `HttpProtocolOptions` choose HTTP/2 (`explicit_http_config.http2_protocol_options`, or
 * `use_downstream_protocol_config` for HTTP/2 downstream requests).
 */
export class Http2PoolSet {
  readonly #settings: Http2PoolSettings;
  readonly #events: Http2PoolEvents;
  readonly #pools = new Map<string, Http2ConnectionPool>();
  #closed = false;

  constructor(settings: Http2PoolSettings, events: Http2PoolEvents = {}) {
    this.#settings = settings;
    this.#events = events;
  }

  /** The pool for a host (by its label), creating it on first use; throws once the set is closed. */
  get(target: UpstreamTarget, label: string = targetLabel(target)): Http2ConnectionPool {
    let pool = this.#pools.get(label);
    if (pool === undefined) {
      if (this.#closed) throw new Error('pool set is closed');
      pool = new Http2ConnectionPool(target, label, this.#settings, this.#events);
      this.#pools.set(label, pool);
    }
    return pool;
  }

  /** Closes and forgets the pool of a host that left the cluster (in-flight streams finish). */
  async remove(label: string): Promise<void> {
    const pool = this.#pools.get(label);
    this.#pools.delete(label);
    await pool?.close();
  }

  /** How many hosts have a pool. */
  get size(): number {
    return this.#pools.size;
  }

  /** Sends GOAWAY everywhere and waits for in-flight streams to finish and the connections to close. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close()));
  }

  /** Closes every connection now, resetting in-flight streams. */
  async destroy(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}
