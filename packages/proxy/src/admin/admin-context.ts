import type { Bootstrap, CliOptions } from '@orion/configuration';
import type { BoundAddress } from '@orion/lib';
import type { TagProducer } from '@orion/metrics';
import type { ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import type { Logger } from '../logging/logger.js';
import type { AggregatedStats } from '../stats/stats-aggregator.js';
import type { ServerStateName } from '../stats/server-stats.js';
import type { DrainListenersRequest, LogLevelChange } from '../worker/worker-messages.js';

/** When a snapshot's resources were last changed (for config_dump's `last_updated`). */
export interface ConfigurationTimes {
  /** When the bootstrap was last loaded (startup, or the last applied SIGHUP reload). */
  readonly bootstrapLoadedMs: number;
  /** When the configuration was first loaded: the time of every resource no reload has changed. */
  readonly startedMs: number;
  /** When each listener, cluster, secret and route table last changed, by `<kind>/<name>`. */
  readonly updatedMs: ReadonlyMap<string, number>;
}

/** What the admin endpoints read from and act on: the primary, seen from the admin server. */
export interface AdminContext {
  /** The configuration as loaded (for `/config_dump`'s bootstrap). */
  bootstrap(): Bootstrap;
  /** The snapshot every worker serves. */
  snapshot(): ConfigurationSnapshot;
  /** When resources changed. */
  times(): ConfigurationTimes;
  /** The command line. */
  readonly options: CliOptions;
  /** The process's state (`/ready`, `server.state`). */
  state(): ServerStateName;
  /** Seconds since the process started. */
  uptimeS(): number;
  /** Listeners serving now, with where they are bound (drained ones left out). */
  listeners(): readonly (readonly [string, BoundAddress])[];
  /** The workers' stats aggregated with the primary's. */
  stats(): Promise<AggregatedStats>;
  /** Names and labels stats for `/stats/prometheus` (`stats_config.stats_tags`). Default: Envoy's default tags. */
  readonly tagProducer?: TagProducer;
  /** `/healthcheck/fail` (true) and `/healthcheck/ok` (false). */
  failHealthcheck(fail: boolean): void;
  /** `/quitquitquit`: shut down (after the answer is sent). */
  quit(): void;
  /** `/reset_counters`. */
  resetCounters(): void;
  /** `/reopen_logs`. */
  reopenLogs(): void;
  /** `/drain_listeners` (the drain period and strategy come from the command line). */
  drainListeners(request: Omit<DrainListenersRequest, 'drainMs' | 'strategy'>): void;
  /** `/logging`: change levels everywhere. */
  setLogLevels(change: LogLevelChange): void;
  /** The primary's logger (its levels are the ones `/logging` lists). */
  readonly logger: Logger;
}
