import type { LogLevel, Logging, StatsConfig } from '@orion/configuration';
import type { BoundAddress, DrainStrategy } from '@orion/lib';
import type { StatsSnapshot } from '@orion/metrics';
import type { ClusterStatus } from '../stats/cluster-status.js';
import type { ConfigurationChange } from '../config/configuration-change.js';
import type { ConfigurationSnapshot } from '../config/configuration-snapshot.js';

/** Everything a worker needs to start (plain data, sent over IPC). */
export interface WorkerInit {
  /** The worker's slot, 1…N; a replacement keeps the slot of the worker it replaces. */
  readonly workerId: number;
  /** How many workers share the limits (circuit breakers are split among them). */
  readonly workers: number;
  /** Bind TCP listeners with `SO_REUSEPORT` (one socket per worker) rather than through `node:cluster`. */
  readonly reusePort: boolean;
  /** The configuration to serve. */
  readonly snapshot: ConfigurationSnapshot;
  /** How the worker logs (it writes its own lines, to the same standard error or file as the primary). */
  readonly logging: Logging;
  /** `stats_flush_interval`: how often the worker merges its histograms. Default 5000. */
  readonly statsFlushIntervalMs?: number;
  /** `stats_config`: which stats the worker creates and their histogram buckets. Default: every stat. */
  readonly statsConfig?: StatsConfig;
}

/** What `/drain_listeners` asks a worker to do. */
export interface DrainListenersRequest {
  /** `?graceful`: keep accepting for {@link drainMs}, closing each connection after its response, then stop listening. */
  readonly graceful: boolean;
  /** `?inboundonly`: only listeners whose `traffic_direction` is `INBOUND`. */
  readonly inboundOnly: boolean;
  /** The drain period (`--drain-time-s`), for `graceful`. */
  readonly drainMs: number;
  /** `--drain-strategy`, for `graceful`: `gradual` (Envoy's default) or `immediate`. */
  readonly strategy: DrainStrategy;
}

/** Log levels to set (`/logging`): the default level and per-component levels. */
export interface LogLevelChange {
  /** `?level=`: every component. */
  readonly level?: LogLevel;
  /** `?<component>=<level>`. */
  readonly components?: { readonly [component: string]: LogLevel };
}

/** A worker's answer to `orion:stats-request`. */
export interface WorkerStats {
  /** The worker's stats store, lib's counters synced into it. */
  readonly snapshot: StatsSnapshot;
  /** Its clusters and hosts. */
  readonly clusters: readonly ClusterStatus[];
}

/** A message from the primary to a worker. */
export type PrimaryMessage =
  | { readonly type: 'orion:init'; readonly init: WorkerInit }
  | { readonly type: 'orion:apply'; readonly seq: number; readonly version: number; readonly changes: readonly ConfigurationChange[] }
  | { readonly type: 'orion:resync'; readonly seq: number; readonly snapshot: ConfigurationSnapshot }
  | { readonly type: 'orion:drain' }
  | { readonly type: 'orion:destroy' }
  | { readonly type: 'orion:reopen-logs' }
  | { readonly type: 'orion:stats-request'; readonly id: number }
  | { readonly type: 'orion:reset-counters' }
  | { readonly type: 'orion:drain-listeners'; readonly request: DrainListenersRequest }
  | { readonly type: 'orion:set-log-levels'; readonly change: LogLevelChange };

/**
 * A message from a worker to the primary. `orion:hello` comes first, once the worker listens for messages: an ES
 * module is loaded asynchronously, and a message that arrives before its listener is attached is lost.
 */
export type WorkerMessage =
  | { readonly type: 'orion:hello' }
  | { readonly type: 'orion:ready'; readonly addresses: readonly (readonly [string, BoundAddress])[] }
  | { readonly type: 'orion:start-failed'; readonly error: string }
  | { readonly type: 'orion:applied'; readonly seq: number; readonly version: number }
  | { readonly type: 'orion:apply-failed'; readonly seq: number; readonly error: string }
  | { readonly type: 'orion:stats'; readonly id: number; readonly stats: WorkerStats };

const PRIMARY_TYPES = new Set(['orion:init', 'orion:apply', 'orion:resync', 'orion:drain', 'orion:destroy', 'orion:reopen-logs', 'orion:stats-request', 'orion:reset-counters', 'orion:drain-listeners', 'orion:set-log-levels']);
const WORKER_TYPES = new Set(['orion:hello', 'orion:ready', 'orion:start-failed', 'orion:applied', 'orion:apply-failed', 'orion:stats']);

function typeOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
}

/** True for a message the primary sends (anything else on the channel is not Orion's). */
export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  const type = typeOf(value);
  return typeof type === 'string' && PRIMARY_TYPES.has(type);
}

/** True for a message a worker sends. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  const type = typeOf(value);
  return typeof type === 'string' && WORKER_TYPES.has(type);
}
