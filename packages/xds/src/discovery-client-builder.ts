import type { Bootstrap } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { OrionError } from '@orion/error';
import { adsTargetFromBootstrap } from './ads-target-from-bootstrap.js';
import type { BackoffOptions } from './backoff.js';
import { DiscoveryClient, type DiscoveryClientOptions, type XdsNode, type XdsResourceInterest } from './discovery-client.js';
import { ORION_ERR_XDS_INVALID_ARGUMENT } from './error-codes.js';
import type { XdsBatch } from './xds-batch.js';
import type { XdsBinding } from './xds-binding.js';
import type { XdsLogger } from './xds-logger.js';
import type { XdsProtocol } from './xds-protocol.js';
import { parseXdsTarget, type XdsTarget } from './xds-target.js';

/**
 * Builds a {@link DiscoveryClient} step by step; each `resource()` call adds its batch type to the
 * client's union, so `batch.typeUrl` narrows `batch.updates[i].value` to the binding's type.
 *
 * ```ts
 * const client = new DiscoveryClientBuilder()
 *   .target('127.0.0.1:15010')
 *   .node({ id: 'sidecar~10.0.0.1~app.default~default.svc.cluster.local', cluster: 'app' })
 *   .resource(clusterBinding)
 *   .resource(clusterLoadAssignmentBinding)
 *   .build();
 * ```
 */
export class DiscoveryClientBuilder<B extends XdsBatch<unknown, string> = never> {
  #target: XdsTarget | undefined;
  #node: XdsNode | undefined;
  #protocol: XdsProtocol = 'delta';
  readonly #resources: XdsResourceInterest[] = [];
  #initialFetchTimeoutMs: number | undefined;
  #backoff: BackoffOptions | undefined;
  #closeTimeoutMs: number | undefined;
  #pingIntervalMs: number | undefined;
  #logger: XdsLogger | undefined;
  #signal: AbortSignal | undefined;

  /**
   * A builder preset from a decoded Envoy bootstrap: the ADS server and protocol of
   * `dynamic_resources.ads_config` (see {@link adsTargetFromBootstrap}), the bootstrap's `node`, and the
   * `initial_fetch_timeout` of `lds_config`/`cds_config`.
   */
  static fromBootstrap(bootstrap: Bootstrap): DiscoveryClientBuilder {
    const ads = adsTargetFromBootstrap(bootstrap);
    const builder = new DiscoveryClientBuilder().target(ads.target).protocol(ads.protocol);
    if (bootstrap.node !== undefined) builder.node(bootstrap.node);
    if (ads.initialFetchTimeoutMs !== undefined) builder.initialFetchTimeoutMs(ads.initialFetchTimeoutMs);
    return builder;
  }

  /** The ADS server: an {@link XdsTarget} or `host:port` / `unix:<path>`. Required. */
  target(target: XdsTarget | string): this {
    this.#target = typeof target === 'string' ? parseXdsTarget(target) : target;
    return this;
  }

  /** The node identity sent on the first request of each stream (Envoy's `node`). Required. */
  node(node: XdsNode): this {
    this.#node = node;
    return this;
  }

  /** Delta (`api_type: DELTA_GRPC`) or SotW (`api_type: GRPC`). Default: `'delta'`. */
  protocol(protocol: XdsProtocol): this {
    this.#protocol = protocol;
    return this;
  }

  /**
   * Serves one resource type with `binding`, subscribed at start to `names` (default: `*` for LDS/CDS,
   * nothing for RDS/EDS/SDS, which are subscribed by name with `client.subscribe()`).
   */
  resource<T, U extends string>(binding: XdsBinding<T, U>, names?: readonly string[]): DiscoveryClientBuilder<B | XdsBatch<T, U>> {
    this.#resources.push(names === undefined ? { binding } : { binding, names });
    return this as DiscoveryClientBuilder<B | XdsBatch<T, U>>;
  }

  /** Envoy's `initial_fetch_timeout`; 0 disables. Default: 15 000 ms. */
  initialFetchTimeoutMs(ms: number): this {
    this.#initialFetchTimeoutMs = ms;
    return this;
  }

  /** Reconnect backoff. Default: jittered exponential, 500 ms up to 30 s. */
  backoff(options: BackoffOptions): this {
    this.#backoff = options;
    return this;
  }

  /** How long `close()` waits for the server to end the stream. Default: 1000 ms. */
  closeTimeoutMs(ms: number): this {
    this.#closeTimeoutMs = ms;
    return this;
  }

  /** HTTP/2 PING interval on the ADS connection. Default: no PINGs. */
  pingIntervalMs(ms: number): this {
    this.#pingIntervalMs = ms;
    return this;
  }

  /** Receives connection events. Default: no-op. */
  logger(logger: XdsLogger): this {
    this.#logger = logger;
    return this;
  }

  /** Aborting the signal closes the client gracefully. */
  signal(signal: AbortSignal): this {
    this.#signal = signal;
    return this;
  }

  /** The options built so far; throws `ORION_ERR_XDS_INVALID_ARGUMENT` without a target or node. */
  options(): DiscoveryClientOptions {
    if (this.#target === undefined) throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, 'a discovery client needs a target (the ADS server)');
    if (this.#node === undefined) throw new OrionError(ORION_ERR_XDS_INVALID_ARGUMENT, 'a discovery client needs a node identity');
    return {
      target: this.#target,
      node: this.#node,
      protocol: this.#protocol,
      resources: [...this.#resources],
      ...(this.#initialFetchTimeoutMs === undefined ? {} : { initialFetchTimeoutMs: this.#initialFetchTimeoutMs }),
      ...(this.#backoff === undefined ? {} : { backoff: this.#backoff }),
      ...(this.#closeTimeoutMs === undefined ? {} : { closeTimeoutMs: this.#closeTimeoutMs }),
      ...(this.#pingIntervalMs === undefined ? {} : { pingIntervalMs: this.#pingIntervalMs }),
      ...(this.#logger === undefined ? {} : { logger: this.#logger }),
      ...(this.#signal === undefined ? {} : { signal: this.#signal }),
    };
  }

  /** Creates the client; it starts connecting at once. */
  build(): DiscoveryClient<B> {
    return new DiscoveryClient<B>(this.options());
  }
}
