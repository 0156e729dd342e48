import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { ResponseFlag } from '@orion/format';
import type { UpstreamCluster, UpstreamHost } from '../clusters/index.js';
import type { ClusterConnectionStats } from '../stats/cluster-connection-stats.js';
import type { TcpProxyCounters } from './tcp-proxy-counters.js';
import { formatAddress, type TcpProxySessionInfo } from './tcp-proxy-session-info.js';

/** What a session needs from its filter. */
export interface TcpProxySessionContext {
  readonly counters: TcpProxyCounters;
  readonly idleTimeoutMs: number;
  readonly nextConnectionId: (() => number) | undefined;
  /** Called once, when both sides are closed. */
  readonly finished: (session: TcpProxySession) => void;
}

/**
 * One proxied connection: downstream socket ⇄ upstream socket. Envoy: `TcpProxy::Filter` for one connection.
 *
 * Bytes flow both ways with backpressure (a side stops reading while the other cannot take more, so at most the
 * sockets' high-water marks are buffered). A FIN from either side is forwarded as `end()` to the other (both
 * sockets are half-open capable); the session ends when both sockets have closed. An error on either side destroys
 * both — except that when the downstream closes cleanly while upstream writes are still queued, they are flushed
 * first (`upstream_flush_*`). `idle_timeout` closes both sides after that long without bytes either way (`SI`).
 */
export class TcpProxySession {
  readonly info: TcpProxySessionInfo;
  readonly #downstream: Socket;
  readonly #ctx: TcpProxySessionContext;
  #upstream: Socket | undefined;
  #host: UpstreamHost | undefined;
  /** The cluster's connection histograms, once a connection is attempted. */
  #connectionStats: ClusterConnectionStats | undefined;
  #connected = false;
  #downstreamClosed = false;
  #upstreamClosed = true;
  #flushing = false;
  #done = false;
  #connectTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #lastActivity = 0;

  constructor(downstream: Socket, info: TcpProxySessionInfo, ctx: TcpProxySessionContext) {
    this.#downstream = downstream;
    this.info = info;
    this.#ctx = ctx;
    info.downstreamLocalAddress = formatAddress(downstream.localAddress, downstream.localPort);
    info.downstreamRemoteAddress = formatAddress(downstream.remoteAddress, downstream.remotePort);
    // Nothing is read until the upstream is connected: data waits in the socket (up to its high-water mark).
    downstream.pause();
    downstream.on('error', () => undefined);
    downstream.once('close', () => this.#onDownstreamClose());
  }

  /** Ends the session at once with a local reason (no cluster, no healthy host). */
  fail(flag: number, details: string): void {
    this.info.responseFlags |= flag;
    this.info.connectionTerminationDetails = details;
    this.#downstream.destroy();
  }

  /** Connects to `host` of `cluster` and starts proxying. */
  connect(cluster: UpstreamCluster, host: UpstreamHost): void {
    const info = this.info;
    this.#host = host;
    info.upstreamClusterName = cluster.name;
    info.upstreamClusterObservabilityName = cluster.statName;
    info.upstreamHostName = host.hostname === '' ? undefined : host.hostname;
    info.upstreamHost = host.address.type === 'socket' ? { address: host.address.host, port: host.address.port } : { address: host.address.path };
    info.upstreamConnectionId = this.#ctx.nextConnectionId?.();
    info.timings.upstreamConnectStart = info.elapsedNs();
    if (this.#downstreamClosed) return;
    const config = cluster.config;
    const address = host.address;
    // The socket's stream buffers follow the cluster's per_connection_buffer_limit_bytes (net.Socket passes
    // highWaterMark on to its Duplex; @types/node does not list it).
    const buffers = { allowHalfOpen: true, highWaterMark: config.perConnectionBufferLimitBytes };
    const options: NetConnectOpts =
      address.type === 'socket' ? { host: address.host, port: address.port, noDelay: true, ...buffers } : { path: address.path, ...buffers };
    const upstream = connect(options);
    this.#upstream = upstream;
    this.#upstreamClosed = false;
    this.#connectionStats = cluster.stats.connections;
    host.connectionStarted();
    upstream.pause();
    this.#connectTimer = setTimeout(() => this.#connectFailed('connect_timeout', true), config.connectTimeoutMs);
    upstream.once('connect', () => this.#onConnected(config.tcpKeepaliveTimeS));
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.#connected) this.#connectFailed(err.code ?? err.message, false);
      else this.#downstream.destroy();
    });
    upstream.once('close', () => this.#onUpstreamClose());
  }

  /** Bytes held in this session's socket buffers now (read but not yet forwarded, or queued for writing). */
  get bufferedBytes(): number {
    const d = this.#downstream;
    const u = this.#upstream;
    return d.readableLength + d.writableLength + (u === undefined ? 0 : u.readableLength + u.writableLength);
  }

  /** Closes both sides now. */
  destroy(): void {
    this.#upstream?.destroy();
    this.#downstream.destroy();
  }

  #connectFailed(reason: string, timedOut: boolean): void {
    if (this.#connected || this.#done) return;
    this.#clearConnectTimer();
    this.info.responseFlags |= ResponseFlag.UpstreamConnectionFailure;
    this.info.upstreamTransportFailureReason = reason;
    // Counted once: the upstream's close handler must not count a regular connection end.
    this.#host?.connectFailed(timedOut);
    this.#host = undefined;
    this.#upstream?.destroy();
    this.#downstream.destroy();
  }

  #onConnected(keepaliveS: number | undefined): void {
    const upstream = this.#upstream as Socket;
    const downstream = this.#downstream;
    this.#clearConnectTimer();
    this.#connected = true;
    const info = this.info;
    const counters = this.#ctx.counters;
    const host = this.#host as UpstreamHost;
    info.timings.upstreamConnectEnd = info.elapsedNs();
    this.#connectionStats?.connectMs.record((info.timings.upstreamConnectEnd - (info.timings.upstreamConnectStart ?? 0)) / 1e6);
    info.upstreamLocalAddress = formatAddress(upstream.localAddress, upstream.localPort);
    info.upstreamRemoteAddress = info.upstreamHost;
    if (keepaliveS !== undefined) upstream.setKeepAlive(true, keepaliveS * 1000);
    this.#startIdleTimer();

    downstream.on('data', (chunk: Buffer) => {
      this.#lastActivity = Date.now();
      info.bytesReceived += chunk.length;
      counters.downstream_cx_rx_bytes_total += chunk.length;
      host.addBytes(0, chunk.length);
      if (!upstream.write(chunk) && !upstream.destroyed) {
        downstream.pause();
        counters.downstream_flow_control_paused_reading_total++;
        upstream.once('drain', () => {
          counters.downstream_flow_control_resumed_reading_total++;
          downstream.resume();
        });
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      this.#lastActivity = Date.now();
      info.bytesSent += chunk.length;
      counters.downstream_cx_tx_bytes_total += chunk.length;
      host.addBytes(chunk.length, 0);
      if (!downstream.write(chunk) && !downstream.destroyed) {
        upstream.pause();
        downstream.once('drain', () => upstream.resume());
      }
    });
    // Half-close: a FIN is forwarded as end() to the other side.
    downstream.once('end', () => {
      if (!upstream.writableEnded) upstream.end();
    });
    upstream.once('end', () => {
      if (!downstream.writableEnded) downstream.end();
    });
    downstream.resume();
    upstream.resume();
  }

  #onDownstreamClose(): void {
    this.#downstreamClosed = true;
    const info = this.info;
    info.timings.downstreamConnectionEnd = info.elapsedNs();
    const upstream = this.#upstream;
    if (upstream !== undefined && !this.#upstreamClosed && !this.#connected) {
      // The client left while we were connecting: abandon the attempt (not an upstream failure).
      this.#clearConnectTimer();
      this.#host?.connectionClosed();
      this.#host = undefined;
      upstream.destroy();
    } else if (upstream !== undefined && !this.#upstreamClosed) {
      if (this.#connected && upstream.writableLength > 0 && !this.#downstream.errored) {
        // Let queued bytes reach the upstream before closing it (Envoy: upstream flush).
        this.#flushing = true;
        this.#ctx.counters.upstream_flush_total++;
        this.#ctx.counters.upstream_flush_active++;
        if (!upstream.writableEnded) upstream.end();
      } else {
        upstream.destroy();
      }
    }
    this.#maybeFinish();
  }

  #onUpstreamClose(): void {
    this.#upstreamClosed = true;
    this.#clearConnectTimer();
    // Envoy's upstream_cx_length_ms: from the connection attempt to its close, failed attempts included.
    const info = this.info;
    this.#connectionStats?.lengthMs.record((info.elapsedNs() - (info.timings.upstreamConnectStart ?? 0)) / 1e6);
    if (this.#flushing) {
      this.#flushing = false;
      this.#ctx.counters.upstream_flush_active--;
    }
    if (this.#connected) this.#host?.connectionClosed();
    else if (this.#host !== undefined) this.#connectFailed('connection closed', false);
    if (!this.#downstreamClosed) {
      // The upstream is gone in both directions: close the downstream once what is queued for it is written (Envoy's
      // FlushWrite close), or at once on error; nothing it sends could be forwarded any more.
      const downstream = this.#downstream;
      if (this.#upstream?.errored) downstream.destroy();
      else {
        if (!downstream.writableEnded) downstream.end();
        if (downstream.writableFinished) downstream.destroy();
        else downstream.once('finish', () => downstream.destroy());
      }
    }
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (this.#done || !this.#downstreamClosed || !this.#upstreamClosed) return;
    this.#done = true;
    this.#clearConnectTimer();
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.info.durationNs = this.info.elapsedNs();
    this.#ctx.finished(this);
  }

  #startIdleTimer(): void {
    const idle = this.#ctx.idleTimeoutMs;
    if (idle <= 0) return;
    this.#lastActivity = Date.now();
    // One timer per session, re-armed only when it fires: data does not touch the timer.
    const check = (): void => {
      const quiet = Date.now() - this.#lastActivity;
      if (quiet >= idle) {
        this.#idleTimer = undefined;
        this.#ctx.counters.idle_timeout++;
        this.info.responseFlags |= ResponseFlag.StreamIdleTimeout;
        this.info.connectionTerminationDetails = 'tcp_proxy_idle_timeout';
        this.destroy();
        return;
      }
      this.#idleTimer = setTimeout(check, idle - quiet);
    };
    this.#idleTimer = setTimeout(check, idle);
  }

  #clearConnectTimer(): void {
    if (this.#connectTimer !== undefined) clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }
}
