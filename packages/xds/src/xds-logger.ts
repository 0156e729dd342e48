/** The logger a client reports connection events to; `@orion/proxy` injects its own. */
export interface XdsLogger {
  /** Per-response detail. */
  debug(message: string): void;
  /** Connection established, stream closed. */
  info(message: string): void;
  /** Stream failures and ignored responses. */
  warn(message: string): void;
}

/** A logger that drops everything: the default. */
export const noopXdsLogger: XdsLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
