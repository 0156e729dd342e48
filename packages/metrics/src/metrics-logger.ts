/** Where the OTLP exporter reports failed pushes; `@orion/proxy` injects its logger (which satisfies this). */
export interface MetricsLogger {
  /** Per-push detail (a push skipped because the previous one is still running). */
  debug(message: string): void;
  /** A push the collector refused or that timed out. */
  warn(message: string): void;
}

/** A logger that drops everything: the default. */
export const noopMetricsLogger: MetricsLogger = {
  debug: () => undefined,
  warn: () => undefined,
};
