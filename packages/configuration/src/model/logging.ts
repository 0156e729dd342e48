/** A log level, in the order of verbosity (`warning` is read as `warn`, `critical` as `error`). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'off';

/**
 * Orion's own log (not the access log). Orion's `logging` section and Envoy's `--log-level`,
 * `--component-log-level` and `--log-format` flags (the flags win).
 */
export interface Logging {
  /** The default level (`log_level`'s bare level, or `--log-level`). Default `info`. */
  readonly level: LogLevel;
  /** Per-component levels from `orion_<component>=level` pairs (the `orion_` prefix removed) or `--component-log-level`. */
  readonly components: { readonly [component: string]: LogLevel };
  /** `log_directory` joined with `log_file`. Undefined: standard error. */
  readonly file?: string;
  /** `--log-format` (Envoy's spdlog pattern), when given. */
  readonly format?: string;
}
