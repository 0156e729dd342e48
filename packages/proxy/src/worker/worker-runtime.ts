import { OrionError, printError } from '@orion/error';
import { DataPlane, type BoundAddress, type DataPlaneResources, type DnsResolver } from '@orion/lib';
import { applyConfigurationChanges } from '../config/apply-configuration-changes.js';
import type { ConfigurationChange } from '../config/configuration-change.js';
import { freezeDeep, type ConfigurationSnapshot } from '../config/configuration-snapshot.js';
import { ProxyErrorCode } from '../error-codes.js';
import type { Logger } from '../logging/logger.js';
import type { WorkerInit } from './worker-messages.js';

/** Options of {@link WorkerRuntime.start}. */
export interface WorkerRuntimeOptions {
  /** The worker's logger; the data plane gets its `dataplane` child. */
  readonly logger: Logger;
  /** DNS resolver for STRICT_DNS / LOGICAL_DNS clusters (tests). Default: the system resolver. */
  readonly resolver?: DnsResolver;
}

function resourcesOf(snapshot: ConfigurationSnapshot): DataPlaneResources {
  return { listeners: snapshot.listeners, clusters: snapshot.clusters, loadAssignments: snapshot.endpoints };
}

/**
 * What runs in a worker: the data plane and the configuration snapshot it serves. Change sets from the primary are
 * applied to the snapshot, giving the next one, which the data plane is moved to; only once that succeeded is the
 * next snapshot swapped in. The same class serves in the primary's own process with `--concurrency 1`.
 */
export class WorkerRuntime {
  readonly workerId: number;
  readonly #plane: DataPlane;
  readonly #logger: Logger;
  #snapshot: ConfigurationSnapshot;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(workerId: number, plane: DataPlane, snapshot: ConfigurationSnapshot, logger: Logger) {
    this.workerId = workerId;
    this.#plane = plane;
    this.#snapshot = snapshot;
    this.#logger = logger;
  }

  /** Builds the data plane for `init.snapshot` and binds its listeners; rejects with `ORION_ERR_PROXY_WORKER_START`. */
  static async start(init: WorkerInit, options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
    const snapshot = freezeDeep(init.snapshot);
    try {
      const plane = await DataPlane.start({
        resources: resourcesOf(snapshot),
        workers: init.workers,
        reusePort: init.reusePort,
        logger: options.logger.child('dataplane'),
        ...(options.resolver === undefined ? {} : { resolver: options.resolver }),
      });
      return new WorkerRuntime(init.workerId, plane, snapshot, options.logger);
    } catch (err) {
      throw new OrionError(ProxyErrorCode.WORKER_START, `worker ${init.workerId} could not start: ${printError(err, { codes: false })}`, { cause: err });
    }
  }

  /** The snapshot being served. */
  get snapshot(): ConfigurationSnapshot {
    return this.#snapshot;
  }

  /** Where each listener is bound, by name. */
  addresses(): [string, BoundAddress][] {
    return [...this.#plane.addresses()];
  }

  /**
   * Applies a change set, which makes snapshot `version`. On failure the data plane and snapshot stay as they were
   * and the promise rejects with `ORION_ERR_PROXY_CONFIG_APPLY`.
   */
  apply(version: number, changes: readonly ConfigurationChange[]): Promise<void> {
    return this.#serialised(async () => {
      const next = applyConfigurationChanges(this.#snapshot, changes, version);
      await this.#moveTo(next);
    });
  }

  /** Moves to a whole snapshot (a restored configuration after a failed change set). */
  resync(snapshot: ConfigurationSnapshot): Promise<void> {
    return this.#serialised(() => this.#moveTo(freezeDeep(snapshot)));
  }

  /** Drains: stops accepting, lets in-flight requests finish, flushes the access logs. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#plane.close();
  }

  /** Closes every connection at once. */
  destroy(): Promise<void> {
    return this.#plane.destroy();
  }

  /** Reopens the access-log files (SIGUSR1). */
  reopenLogs(): Promise<void> {
    return this.#plane.accessLogSinks.reopenAll();
  }

  async #moveTo(next: ConfigurationSnapshot): Promise<void> {
    try {
      await this.#plane.update(resourcesOf(next));
    } catch (err) {
      throw new OrionError(ProxyErrorCode.CONFIG_APPLY, `worker ${this.workerId} could not apply configuration version ${next.version}: ${printError(err, { codes: false })}`, {
        cause: err,
      });
    }
    this.#snapshot = next;
    this.#logger.debug(`serving configuration version ${next.version}`);
  }

  #serialised(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
