/**
 * How many worker processes Orion runs and how they are pinned to cores. Orion's `runtime` section (not Envoy's):
 * `num_runtimes`, `num_cpus`, `affinity_strategy`; the Tokio knobs `event_interval`, `global_queue_interval`,
 * `max_io_events_per_tick` and `num_service_threads` are accepted and ignored.
 */
export interface Runtime {
  /**
   * Worker processes. Precedence: `--concurrency` > `ORION_GATEWAY_RUNTIMES` > `num_runtimes` > `num_cpus` >
   * `os.availableParallelism()`.
   */
  readonly numRuntimes: number;
  /** Cores the workers may be pinned to. Precedence: `ORION_CPU_LIMIT` > `ORION_GATEWAY_CORES` > `num_cpus` > `os.availableParallelism()`. */
  readonly numCpus: number;
  /** `affinity_strategy`. Undefined: no pinning. */
  readonly affinityStrategy?: AffinityStrategy;
}

/**
 * How workers are pinned to cores: `auto` spreads them over the first `numCpus` cores; `nodes` lists the cores of
 * each NUMA node, workers filling nodes in turn; `runtimes` lists the cores of each worker.
 */
export type AffinityStrategy =
  | { readonly type: 'auto' }
  | { readonly type: 'nodes'; /** Core ids per NUMA node. */ readonly nodes: readonly (readonly number[])[] }
  | { readonly type: 'runtimes'; /** Core ids per worker. */ readonly runtimes: readonly (readonly number[])[] };
