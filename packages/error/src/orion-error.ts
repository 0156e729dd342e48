/** A stable error code: `ORION_ERR_<AREA>_<DETAIL>`, upper snake case. */
export type OrionErrorCode = `ORION_ERR_${string}`;

/** Structured data attached to one context frame, e.g. `{ cluster: 'backend' }`. */
export type ContextData = Readonly<Record<string, string | number | boolean | undefined>>;

/** One frame of context: what was being done when the error passed through. */
export interface ContextFrame {
  readonly message: string;
  readonly data?: ContextData;
}

/** Options for {@link OrionError}. */
export interface OrionErrorOptions {
  /** The error that caused this one (native `Error.cause`). */
  readonly cause?: unknown;
  /** Context frames, innermost first. */
  readonly context?: readonly ContextFrame[];
  /** Structured details for programs (e.g. a field path, a line number). */
  readonly details?: Readonly<Record<string, unknown>>;
}

const CODE_PATTERN = /^ORION_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;

/** Code given to errors of unknown origin wrapped by {@link OrionError.from}. */
export const ORION_ERR_UNKNOWN = 'ORION_ERR_UNKNOWN';

/**
 * The one error type of every Orion package: a stable `code`, a message, a native `cause`
 * and a context chain that says what was being done, innermost first.
 */
export class OrionError extends Error {
  override readonly name = 'OrionError';
  /** Stable, documented code; never reused for another meaning. */
  readonly code: OrionErrorCode;
  /** Context frames added on the way up, innermost first. */
  readonly context: readonly ContextFrame[];
  /** Structured details for programs. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: OrionErrorCode, message: string, options: OrionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!CODE_PATTERN.test(code)) throw new TypeError(`invalid OrionError code ${JSON.stringify(code)}`);
    this.code = code;
    this.context = options.context ?? [];
    this.details = options.details ?? {};
  }

  /** Returns `value` as an OrionError: itself if it is one, otherwise wrapped with `code` and the original as `cause`. */
  static from(value: unknown, code: OrionErrorCode = ORION_ERR_UNKNOWN): OrionError {
    if (value instanceof OrionError) return value;
    if (value instanceof Error) {
      const nodeCode = (value as NodeJS.ErrnoException).code;
      return new OrionError(code, value.message, {
        cause: value,
        ...(typeof nodeCode === 'string' ? { details: { systemCode: nodeCode } } : {}),
      });
    }
    return new OrionError(code, typeof value === 'string' ? value : describe(value), { cause: value });
  }

  /** True when `value` is an OrionError, optionally with the given code. */
  static is(value: unknown, code?: OrionErrorCode): value is OrionError {
    return value instanceof OrionError && (code === undefined || value.code === code);
  }

  /** A copy of this error with one more (outer) context frame. */
  withContext(message: string, data?: ContextData): OrionError {
    const frame: ContextFrame = data === undefined ? { message } : { message, data };
    return new OrionError(this.code, this.message, {
      ...(this.cause === undefined ? {} : { cause: this.cause }),
      context: [...this.context, frame],
      details: this.details,
    });
  }

  /** The message with its context, outermost first: `loading cluster foo: connecting: refused`. */
  override toString(): string {
    const outer = [...this.context].reverse().map((f) => f.message);
    return [...outer, this.message].join(': ');
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Adds a context frame to any thrown value, converting it to an OrionError. */
export function withContext(error: unknown, message: string, code?: OrionErrorCode): OrionError {
  return OrionError.from(error, code).withContext(message);
}

/** Adds a context frame with structured data, e.g. `withContextData(err, 'loading cluster', { cluster: 'foo' })`. */
export function withContextData(error: unknown, message: string, data: ContextData, code?: OrionErrorCode): OrionError {
  return OrionError.from(error, code).withContext(message, data);
}
