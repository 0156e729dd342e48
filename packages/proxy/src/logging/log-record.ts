import type { LogLevel } from '@orion/configuration';

/** Structured fields of a log record (`worker=2 pid=1234`). */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** The levels a record can have (`off` is only a threshold). */
export type RecordLevel = Exclude<LogLevel, 'off'>;

/** One log record, before it is rendered. */
export interface LogRecord {
  /** When it was logged. */
  readonly time: Date;
  readonly level: RecordLevel;
  /** The logger's component (`main`, `config`, `worker`, `dataplane`). */
  readonly component: string;
  readonly message: string;
  /** The logger's bound fields, then the call's own. */
  readonly fields: LogFields;
  /** The process that logged it. */
  readonly pid: number;
}

/** Verbosity order: a logger at `level` emits records whose rank is at least the level's. */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, off: 5 };
