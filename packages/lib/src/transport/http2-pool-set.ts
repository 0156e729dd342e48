import { Http2ConnectionPool, type Http2PoolEvents, type Http2PoolSettings } from './http2-connection-pool.js';
import { unrecordedPoolStats, type ConnectionPoolStats } from './connection-pool-stats.js';
import { HostPoolSet } from './host-pool-set.js';
import type { UpstreamTarget } from './upstream-target.js';

/**
 * The HTTP/2 connection pools of one cluster, one {@link Http2ConnectionPool} per upstream host, created on first
 * use (Envoy: the cluster's HTTP/2 connection pools, one per host). Used when the cluster's
 * `HttpProtocolOptions` choose HTTP/2 (`explicit_http_config.http2_protocol_options`, or
 * `use_downstream_protocol_config` for HTTP/2 downstream requests).
 */
export class Http2PoolSet extends HostPoolSet<Http2ConnectionPool> {
  readonly #settings: Http2PoolSettings;
  readonly #events: Http2PoolEvents;
  readonly #stats: ConnectionPoolStats;

  /** `events`: per-host connection events; `stats`: the cluster's pending requests and connection histograms. */
  constructor(settings: Http2PoolSettings, events: Http2PoolEvents = {}, stats: ConnectionPoolStats = unrecordedPoolStats()) {
    super();
    this.#settings = settings;
    this.#events = events;
    this.#stats = stats;
  }

  protected create(target: UpstreamTarget, label: string): Http2ConnectionPool {
    return new Http2ConnectionPool(target, label, this.#settings, this.#events, this.#stats);
  }
}
