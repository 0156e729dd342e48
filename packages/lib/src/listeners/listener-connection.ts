import type { Socket } from 'node:net';
import type { FilterChain, Listener } from '@orion/configuration';

/**
 * What a listener hands over with each accepted connection. The socket is half-open capable, has a no-op `error`
 * listener attached (so an unhandled socket error never throws), and is already counted in the listener's stats.
 */
export interface ListenerConnectionInfo {
  /** The listener's configuration (the generation that accepted the connection). */
  readonly listener: Listener;
  /** The selected filter chain (possibly the listener's `default_filter_chain`). */
  readonly filterChain: FilterChain;
  /** Process-unique connection id (`%CONNECTION_ID%`). */
  readonly connectionId: number;
  /** `per_connection_buffer_limit_bytes` (Envoy default 1 MiB); the socket's stream buffers use it as high-water mark. */
  readonly bufferLimitBytes: number;
  /** When the connection was accepted, epoch milliseconds. */
  readonly startTime: number;
  /** `process.hrtime.bigint()` at accept, for durations. */
  readonly startHrTime: bigint;
}

/**
 * Receives every accepted connection with its filter chain. It must take ownership of the socket (read it, close
 * it); it should not throw — if it does, the socket is destroyed and `downstream_cx_handler_error` counted.
 */
export type ConnectionHandler = (socket: Socket, info: ListenerConnectionInfo) => void;
