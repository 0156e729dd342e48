import type { UpstreamCluster } from '../clusters/upstream-cluster.js';
import type { UpstreamHost } from '../clusters/upstream-host.js';
import type { LoadBalancerRequest, UpstreamClusterRef } from '../http/connection-manager/ports.js';
import { Http1PoolSet } from '../transport/http1-pool-set.js';
import { Http2PoolSet } from '../transport/http2-pool-set.js';

/**
 * A cluster with its HTTP/1.1 connection pools: what the connection manager forwards through. Pools live as long
 * as the cluster object; when the cluster is replaced or removed (its signal aborts) they drain and close.
 */
export class ClusterWithPools implements UpstreamClusterRef {
  readonly cluster: UpstreamCluster;
  readonly http1Pools: Http1PoolSet;
  /** HTTP/2 pools, when the cluster's `HttpProtocolOptions` ask for HTTP/2 (explicitly or for HTTP/2 downstreams). */
  readonly http2Pools: Http2PoolSet | undefined;
  readonly upstreamProtocol: 'http1' | 'http2' | 'useDownstream';
  readonly #hostsByLabel = new Map<string, UpstreamHost>();
  /** Circuit-breaker `max_requests`, this worker's share (the cluster's limits are already split over the workers). */
  readonly maxRequests: number;

  constructor(cluster: UpstreamCluster) {
    this.cluster = cluster;
    const config = cluster.config;
    // `cluster.limits` is this worker's share of the circuit breakers (`ceil(limit / workers)`, see clusterLimits).
    const limits = cluster.limits.default;
    this.maxRequests = Math.max(1, limits.maxRequests);
    this.http1Pools = new Http1PoolSet(
      {
        connectTimeoutMs: config.connectTimeoutMs,
        idleTimeoutMs: config.commonHttpProtocolOptions.idleTimeoutMs,
        maxRequestsPerConnection: config.commonHttpProtocolOptions.maxRequestsPerConnection,
        maxConnectionsPerHost: Math.max(1, limits.maxConnections),
        maxPendingRequests: limits.maxPendingRequests,
        ...(config.tcpKeepaliveTimeS === undefined ? {} : { tcpKeepaliveTimeS: config.tcpKeepaliveTimeS }),
      },
      {
        onConnect: (label) => this.#host(label)?.connectionStarted('http1'),
        onDisconnect: (label) => this.#host(label)?.connectionClosed(),
        onConnectError: (label, err) => {
          // A failed attempt is a connection too (Envoy counts upstream_cx_total as the attempt starts).
          const host = this.#host(label);
          host?.connectionStarted('http1');
          host?.connectFailed(err.code === 'UND_ERR_CONNECT_TIMEOUT');
        },
        onBytes: (label, received, sent) => this.#host(label)?.addBytes(received, sent),
      },
      cluster.stats.connections,
    );
    const protocol = config.httpProtocol;
    // `auto_config` picks by ALPN, which needs TLS; cleartext upstreams speak HTTP/1.1.
    this.upstreamProtocol = protocol.type === 'auto' ? 'http1' : protocol.type;
    this.http2Pools =
      protocol.type === 'http2' || protocol.type === 'useDownstream'
        ? new Http2PoolSet(
            {
              connectTimeoutMs: config.connectTimeoutMs,
              idleTimeoutMs: config.commonHttpProtocolOptions.idleTimeoutMs,
              http2: protocol.http2,
              maxResponseHeadersCount: config.commonHttpProtocolOptions.maxHeadersCount,
              maxRequestsPerConnection: config.commonHttpProtocolOptions.maxRequestsPerConnection,
              maxConnectionsPerHost: Math.max(1, limits.maxConnections),
              maxPendingRequests: limits.maxPendingRequests,
              ...(config.tcpKeepaliveTimeS === undefined ? {} : { tcpKeepaliveTimeS: config.tcpKeepaliveTimeS }),
            },
            {
              onConnect: (label) => this.#host(label)?.connectionStarted('http2'),
              onDisconnect: (label) => this.#host(label)?.connectionClosed(),
              onConnectError: (label, err) => {
                const host = this.#host(label);
                host?.connectionStarted('http2');
                host?.connectFailed(err.code === 'ORION_HTTP2_CONNECT_TIMEOUT');
              },
              onBytes: (label, received, sent) => this.#host(label)?.addBytes(received, sent),
            },
            cluster.stats.connections,
          )
        : undefined;
    const refresh = (): void => {
      this.#hostsByLabel.clear();
      for (const host of cluster.hosts) this.#hostsByLabel.set(host.label, host);
    };
    refresh();
    cluster.onMembershipChange((_added, removed) => {
      refresh();
      for (const host of removed) {
        void this.http1Pools.remove(host.label);
        void this.http2Pools?.remove(host.label);
      }
    });
    cluster.signal.addEventListener(
      'abort',
      () => {
        void this.http1Pools.close();
        void this.http2Pools?.close();
      },
      { once: true },
    );
  }

  get name(): string {
    return this.cluster.name;
  }

  get observabilityName(): string {
    return this.cluster.observabilityName;
  }

  get activeRequests(): number {
    return this.cluster.counters.upstream_rq_active;
  }

  chooseHost(request: LoadBalancerRequest): UpstreamHost | undefined {
    return this.cluster.chooseHost(request);
  }

  #host(label: string): UpstreamHost | undefined {
    return this.#hostsByLabel.get(label);
  }
}
