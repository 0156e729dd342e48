import { OrionError } from '@orion/error';
import { LibErrorCode } from '../error-codes.js';
import { targetLabel, type UpstreamTarget } from './upstream-target.js';

/** What a per-host pool offers its set: a graceful and an immediate close. */
export interface ClosablePool {
  close(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A cluster's connection pools, one per upstream host (by its label), created on first use and closed with the set
 * (Envoy: a cluster's connection pools per host). Subclasses say how a host's pool is made.
 */
export abstract class HostPoolSet<P extends ClosablePool> {
  readonly #pools = new Map<string, P>();
  #closed = false;

  /** Makes the pool of one host. */
  protected abstract create(target: UpstreamTarget, label: string): P;

  /** The pool for a host (by its label), creating it on first use; throws `ORION_ERR_LIB_POOL_SET_CLOSED` once closed. */
  get(target: UpstreamTarget, label: string = targetLabel(target)): P {
    let pool = this.#pools.get(label);
    if (pool === undefined) {
      if (this.#closed) throw new OrionError(LibErrorCode.POOL_SET_CLOSED, `the connection pools are closed; no pool for ${label}`, { details: { label } });
      pool = this.create(target, label);
      this.#pools.set(label, pool);
    }
    return pool;
  }

  /** Closes and forgets the pool of a host that left the cluster (in-flight requests finish). */
  async remove(label: string): Promise<void> {
    const pool = this.#pools.get(label);
    this.#pools.delete(label);
    await pool?.close();
  }

  /** How many hosts have a pool. */
  get size(): number {
    return this.#pools.size;
  }

  /** Lets in-flight requests finish, then closes every connection (HTTP/2: GOAWAY first). */
  close(): Promise<void> {
    return this.#closeAll((p) => p.close());
  }

  /** Closes every connection now, failing in-flight requests. */
  destroy(): Promise<void> {
    return this.#closeAll((p) => p.destroy());
  }

  async #closeAll(closeOne: (pool: P) => Promise<void>): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map(closeOne));
  }
}
