import { connect as netConnect } from 'node:net';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { AggregatedDiscoveryService } from '@orion/data-plane-api/gen/envoy/service/discovery/v3/ads_pb.js';
import type { XdsTarget } from './xds-target.js';

/** A connect client of `envoy.service.discovery.v3.AggregatedDiscoveryService`. */
export type AdsClient = Client<typeof AggregatedDiscoveryService>;

/** Options for {@link createAdsConnection}. */
export interface AdsConnectionOptions {
  /** HTTP/2 PING interval on an open stream; a PING unanswered for 15 s closes the connection. Default: no PINGs. */
  readonly pingIntervalMs?: number;
}

/** The gRPC client of one ADS server and the HTTP/2 connection it owns. */
export interface AdsConnection {
  /** The generated-service client. */
  readonly client: AdsClient;
  /** Closes the HTTP/2 connection and every stream on it. */
  close(): void;
}

/**
 * Opens (lazily) an h2c gRPC connection to `target` with connect-node. The client owns its HTTP/2 session
 * manager, so `close()` releases the socket at once; after a failure the next stream reconnects. A Unix
 * socket target connects through `createConnection` (authority `localhost`).
 */
export function createAdsConnection(target: XdsTarget, options: AdsConnectionOptions = {}): AdsConnection {
  const baseUrl =
    target.kind === 'tcp' ? `http://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}` : 'http://localhost';
  const nodeOptions = target.kind === 'unix' ? { createConnection: () => netConnect(target.path) } : {};
  const ping = options.pingIntervalMs === undefined ? {} : { pingIntervalMs: options.pingIntervalMs };
  const sessionManager = new Http2SessionManager(baseUrl, ping, nodeOptions);
  const transport = createGrpcTransport({ baseUrl, sessionManager });
  return {
    client: createClient(AggregatedDiscoveryService, transport),
    close: () => sessionManager.abort(),
  };
}
