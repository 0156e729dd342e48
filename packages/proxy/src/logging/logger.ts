import type { LogLevel, Logging } from '@orion/configuration';
import type { LogDestination } from './log-destination.js';
import { logLineRenderer, type LogLineRenderer } from './log-line-format.js';
import { LOG_LEVEL_RANK, type LogFields, type RecordLevel } from './log-record.js';

/**
 * Orion's own log (not the access log). Created once per process by {@link createLogger}; every part of the proxy
 * gets a child for its component, and libraries get it through their logger interfaces (`DataPlaneLogger`,
 * `XdsLogger`), which it satisfies.
 */
export interface Logger {
  /** The component this logger writes as (`main`, `config`, `worker`, `dataplane`). */
  readonly component: string;
  /** The effective level of this component. */
  readonly level: LogLevel;
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** True when a record at `level` would be written (guard costly messages with it). */
  enabled(level: RecordLevel): boolean;
  /** A logger for `component` (its level from the per-component levels), with extra bound fields. */
  child(component: string, fields?: LogFields): Logger;
  /**
   * Changes levels for every logger of this process (admin `/logging`): `level` becomes the default and replaces
   * every per-component level; `components` sets single components.
   */
  setLevels(change: { readonly level?: LogLevel; readonly components?: { readonly [component: string]: LogLevel } }): void;
  /** The default level and the per-component levels in force. */
  levels(): { readonly level: LogLevel; readonly components: { readonly [component: string]: LogLevel } };
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Levels and format: Orion's `logging` section with `--log-level`, `--component-log-level`, `--log-format`. */
  readonly logging: Pick<Logging, 'level' | 'components' | 'format'>;
  /** Where lines go. */
  readonly destination: LogDestination;
  /** The root component. Default `main`. */
  readonly component?: string;
  /** Fields on every record (e.g. the worker id). Default none. */
  readonly fields?: LogFields;
  /** Clock (tests). Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Process id on every record. Default `process.pid`. */
  readonly pid?: number;
}

interface Shared {
  readonly render: LogLineRenderer;
  readonly destination: LogDestination;
  levels: { [component: string]: LogLevel };
  defaultLevel: LogLevel;
  /** Bumped on every level change, so loggers recompute their rank. */
  generation: number;
  readonly now: () => Date;
  readonly pid: number;
}

class ComponentLogger implements Logger {
  readonly component: string;
  #level: LogLevel;
  #rank: number;
  #generation: number;
  readonly #fields: LogFields;
  readonly #shared: Shared;

  constructor(shared: Shared, component: string, fields: LogFields) {
    this.#shared = shared;
    this.component = component;
    this.#level = shared.levels[component] ?? shared.defaultLevel;
    this.#rank = LOG_LEVEL_RANK[this.#level];
    this.#generation = shared.generation;
    this.#fields = fields;
  }

  get level(): LogLevel {
    this.#refresh();
    return this.#level;
  }

  setLevels(change: { readonly level?: LogLevel; readonly components?: { readonly [component: string]: LogLevel } }): void {
    const shared = this.#shared;
    if (change.level !== undefined) {
      shared.defaultLevel = change.level;
      shared.levels = {};
    }
    if (change.components !== undefined) shared.levels = { ...shared.levels, ...change.components };
    shared.generation++;
  }

  levels(): { readonly level: LogLevel; readonly components: { readonly [component: string]: LogLevel } } {
    return { level: this.#shared.defaultLevel, components: { ...this.#shared.levels } };
  }

  #refresh(): void {
    if (this.#generation === this.#shared.generation) return;
    this.#generation = this.#shared.generation;
    this.#level = this.#shared.levels[this.component] ?? this.#shared.defaultLevel;
    this.#rank = LOG_LEVEL_RANK[this.#level];
  }

  trace(message: string, fields?: LogFields): void {
    this.#log('trace', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    this.#log('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.#log('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.#log('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.#log('error', message, fields);
  }

  enabled(level: RecordLevel): boolean {
    this.#refresh();
    return LOG_LEVEL_RANK[level] >= this.#rank;
  }

  child(component: string, fields?: LogFields): Logger {
    return new ComponentLogger(this.#shared, component, fields === undefined ? this.#fields : { ...this.#fields, ...fields });
  }

  #log(level: RecordLevel, message: string, fields: LogFields | undefined): void {
    this.#refresh();
    if (LOG_LEVEL_RANK[level] < this.#rank) return;
    const shared = this.#shared;
    const line = shared.render({
      time: shared.now(),
      level,
      component: this.component,
      message,
      fields: fields === undefined ? this.#fields : { ...this.#fields, ...fields },
      pid: shared.pid,
    });
    shared.destination.write(`${line}\n`);
  }
}

/**
 * Creates the process's logger: the default level applies to every component without its own level
 * (`--component-log-level upstream:debug,config:trace`), lines are rendered by `--log-format` (an spdlog pattern, or
 * `json` for JSON lines) and written to the destination.
 */
export function createLogger(options: LoggerOptions): Logger {
  const shared: Shared = {
    render: logLineRenderer(options.logging.format),
    destination: options.destination,
    levels: { ...options.logging.components },
    defaultLevel: options.logging.level,
    generation: 0,
    now: options.now ?? (() => new Date()),
    pid: options.pid ?? process.pid,
  };
  return new ComponentLogger(shared, options.component ?? 'main', options.fields ?? {});
}
