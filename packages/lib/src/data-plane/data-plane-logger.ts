/**
 * Where the data plane reports what it does with configuration (listeners added, updated and drained, route tables
 * swapped, clusters replaced). `@orion/proxy` injects its logger; the default drops everything. Nothing on the
 * request path logs through it.
 */
export interface DataPlaneLogger {
  /** Detail an operator rarely needs (a drained listener generation released). */
  debug(message: string): void;
  /** Configuration applied. */
  info(message: string): void;
  /** Something went wrong and was recovered from (a failed update rolled back). */
  warn(message: string): void;
}

/** A logger that drops everything: the default of {@link DataPlaneOptions.logger}. */
export const noopDataPlaneLogger: DataPlaneLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
