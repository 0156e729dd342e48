import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { AggregatedDiscoveryService } from '@orion/data-plane-api/gen/envoy/service/discovery/v3/ads_pb.js';
import {
  DeltaControlPlaneStream,
  SotwControlPlaneStream,
  type ControlPlaneStream,
  type ControlPlaneStreamBase,
} from './control-plane-stream.js';
import { TimedQueue } from './timed-queue.js';

/** Where a test control plane listens. */
export type ControlPlaneListen = { readonly kind: 'tcp'; readonly port?: number } | { readonly kind: 'unix'; readonly path: string };

/**
 * An ADS server (connect-node over h2c, delta and SotW) that tests drive step by step: take the next
 * stream, read each request, send each response. `stop()` drops every connection like a crashed control
 * plane; `restart()` listens again on the same address.
 */
export class TestControlPlane {
  readonly #listen: ControlPlaneListen;
  readonly #streams = new TimedQueue<ControlPlaneStream>('an ADS stream');
  readonly #open = new Set<ControlPlaneStream>();
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  #server: http2.Http2Server | undefined;
  #port = 0;
  /** Every stream opened so far. */
  readonly streams: ControlPlaneStream[] = [];

  private constructor(listen: ControlPlaneListen) {
    this.#listen = listen;
  }

  /** Starts a control plane on 127.0.0.1 port 0 (or the given port / Unix socket). */
  static async start(listen: ControlPlaneListen = { kind: 'tcp' }): Promise<TestControlPlane> {
    const cp = new TestControlPlane(listen);
    await cp.#startServer(listen.kind === 'tcp' ? (listen.port ?? 0) : 0);
    return cp;
  }

  /** The TCP port (0 for a Unix socket). */
  get port(): number {
    return this.#port;
  }

  /** The address in the client's `XdsTarget` shape. */
  get target(): { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string } {
    return this.#listen.kind === 'unix' ? { kind: 'unix', path: this.#listen.path } : { kind: 'tcp', host: '127.0.0.1', port: this.#port };
  }

  /** `host:port` or `unix:<path>`. */
  get address(): string {
    return this.#listen.kind === 'unix' ? `unix:${this.#listen.path}` : `127.0.0.1:${this.#port}`;
  }

  /** The next stream a client opens (rejects after `timeoutMs`). */
  nextStream(timeoutMs?: number): Promise<ControlPlaneStream> {
    return this.#streams.next(timeoutMs);
  }

  /** The next stream, which must be a delta stream. */
  async nextDeltaStream(timeoutMs?: number): Promise<DeltaControlPlaneStream> {
    const stream = await this.nextStream(timeoutMs);
    if (stream.kind !== 'delta') throw new Error(`expected a delta stream, got ${stream.kind}`);
    return stream;
  }

  /** The next stream, which must be a SotW stream. */
  async nextSotwStream(timeoutMs?: number): Promise<SotwControlPlaneStream> {
    const stream = await this.nextStream(timeoutMs);
    if (stream.kind !== 'sotw') throw new Error(`expected a SotW stream, got ${stream.kind}`);
    return stream;
  }

  /** Resolves if no client opens a stream for `ms`. */
  expectNoStream(ms = 200): Promise<void> {
    return this.#streams.expectNothing(ms);
  }

  /** Stops listening and drops every connection at once (the clients see their streams fail). */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const stream of this.#open) stream.clientDone('the control plane stopped');
    for (const session of this.#sessions) session.destroy();
    this.#sessions.clear();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same address after `stop()`. */
  async restart(): Promise<void> {
    if (this.#server !== undefined) throw new Error('the control plane is running');
    await this.#startServer(this.#port);
  }

  #routes = (router: ConnectRouter): void => {
    router.service(AggregatedDiscoveryService, {
      streamAggregatedResources: (requests, ctx) => {
        const stream = new SotwControlPlaneStream();
        return this.#serve(stream, stream, requests, ctx);
      },
      deltaAggregatedResources: (requests, ctx) => {
        const stream = new DeltaControlPlaneStream();
        return this.#serve(stream, stream, requests, ctx);
      },
    });
  };

  async *#serve<Req, Res>(
    stream: ControlPlaneStreamBase<Req, Res>,
    registered: ControlPlaneStream,
    requests: AsyncIterable<Req>,
    ctx: HandlerContext,
  ): AsyncGenerator<Res> {
    this.#open.add(registered);
    this.streams.push(registered);
    this.#streams.push(registered);
    const onAbort = (): void => stream.clientDone('the client reset the stream');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const pump = (async () => {
      try {
        for await (const request of requests) stream.receive(request);
        stream.clientDone('the client half-closed the stream');
      } catch {
        stream.clientDone('the client stream failed');
      }
    })();
    try {
      yield* stream.responses();
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      stream.clientDone('the server ended the stream');
      this.#open.delete(registered);
      void pump;
    }
  }

  async #startServer(port: number): Promise<void> {
    const server = http2.createServer(connectNodeAdapter({ routes: this.#routes }));
    server.on('session', (session) => {
      this.#sessions.add(session);
      session.on('close', () => this.#sessions.delete(session));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const onListening = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (this.#listen.kind === 'unix') server.listen(this.#listen.path, onListening);
      else server.listen(port, '127.0.0.1', onListening);
    });
    this.#server = server;
    if (this.#listen.kind === 'tcp') this.#port = (server.address() as AddressInfo).port;
  }
}
