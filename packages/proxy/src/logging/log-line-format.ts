import type { LogFields, LogRecord, RecordLevel } from './log-record.js';

/** Renders one record as one line (without the newline). */
export type LogLineRenderer = (record: LogRecord) => string;

/**
 * The default line: Envoy's default `--log-format` with the process id in place of the thread id and without the
 * source location, which a Node process does not have.
 */
export const DEFAULT_LOG_PATTERN = '[%Y-%m-%d %T.%e][%P][%l][%n] %v';

/** The `--log-format` value that selects JSON lines (an Orion extension; Envoy formats JSON through `%j` patterns). */
export const JSON_LOG_FORMAT = 'json';

const LONG_LEVEL: Readonly<Record<RecordLevel, string>> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warning', error: 'error' };
const SHORT_LEVEL: Readonly<Record<RecordLevel, string>> = { trace: 'T', debug: 'D', info: 'I', warn: 'W', error: 'E' };

const pad2 = (n: number): string => String(n).padStart(2, '0');

function fieldsText(fields: LogFields): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    out += ` ${key}=${text === '' || /[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
  }
  return out;
}

/** A JSON string's content, without the quotes. */
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);

type Piece = (record: LogRecord) => string;

const FLAGS: Readonly<Record<string, Piece>> = {
  v: (r) => r.message + fieldsText(r.fields),
  _: (r) => (r.message + fieldsText(r.fields)).replace(/\r?\n/g, '\\n'),
  j: (r) => jsonEscaped(r.message + fieldsText(r.fields)),
  l: (r) => LONG_LEVEL[r.level],
  L: (r) => SHORT_LEVEL[r.level],
  n: (r) => r.component,
  t: (r) => String(r.pid),
  P: (r) => String(r.pid),
  Y: (r) => String(r.time.getUTCFullYear()),
  y: (r) => pad2(r.time.getUTCFullYear() % 100),
  m: (r) => pad2(r.time.getUTCMonth() + 1),
  d: (r) => pad2(r.time.getUTCDate()),
  H: (r) => pad2(r.time.getUTCHours()),
  M: (r) => pad2(r.time.getUTCMinutes()),
  S: (r) => pad2(r.time.getUTCSeconds()),
  e: (r) => String(r.time.getUTCMilliseconds()).padStart(3, '0'),
  f: (r) => `${String(r.time.getUTCMilliseconds()).padStart(3, '0')}000`,
  F: (r) => `${String(r.time.getUTCMilliseconds()).padStart(3, '0')}000000`,
  T: (r) => `${pad2(r.time.getUTCHours())}:${pad2(r.time.getUTCMinutes())}:${pad2(r.time.getUTCSeconds())}`,
  D: (r) => `${pad2(r.time.getUTCMonth() + 1)}/${pad2(r.time.getUTCDate())}/${pad2(r.time.getUTCFullYear() % 100)}`,
  z: () => '+00:00',
  E: (r) => String(Math.floor(r.time.getTime() / 1000)),
  // Source locations (file, line, function): a Node process has none to give.
  s: () => '',
  g: () => '',
  '#': () => '',
  '!': () => '',
  '@': () => '',
  '%': () => '%',
};

function padded(piece: Piece, align: string, width: number): Piece {
  return (r) => {
    const text = piece(r);
    if (text.length >= width) return text;
    const room = width - text.length;
    if (align === '-') return text + ' '.repeat(room);
    if (align === '=') return ' '.repeat(Math.floor(room / 2)) + text + ' '.repeat(Math.ceil(room / 2));
    return ' '.repeat(room) + text;
  };
}

/**
 * Compiles an spdlog pattern as Envoy's `--log-format` takes it. Supported flags: `%v` (message and fields), `%_`
 * (the same with newlines escaped), `%j` (JSON-escaped), `%l` / `%L` (level), `%n` (component), `%t` / `%P` (process
 * id), `%Y %y %m %d %H %M %S %e %f %F %T %D %z %E` (UTC time), `%%`, with spdlog's `%-8l` / `%8l` / `%=8l` padding;
 * the source-location flags `%s %g %# %! %@` render empty, and an unknown flag is kept as written.
 */
export function compileLogPattern(pattern: string): LogLineRenderer {
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c !== '%' || i === pattern.length - 1) {
      literal += c;
      continue;
    }
    const spec = /^([-=]?)(\d*)(.)/.exec(pattern.slice(i + 1));
    const flag = spec?.[3];
    const piece = flag === undefined ? undefined : FLAGS[flag];
    if (spec === null || piece === undefined) {
      literal += c;
      continue;
    }
    if (literal !== '') {
      const text = literal;
      pieces.push(() => text);
      literal = '';
    }
    const width = Number(spec[2] === '' ? '0' : spec[2]);
    pieces.push(width > 0 ? padded(piece, spec[1] ?? '', width) : piece);
    i += spec[0].length;
  }
  if (literal !== '') pieces.push(() => literal);
  return (record) => {
    let out = '';
    for (const piece of pieces) out += piece(record);
    return out;
  };
}

/** One JSON object per record: `time` (ISO 8601, UTC), `level`, `component`, `pid`, `message`, then the fields. */
export function renderJsonLine(record: LogRecord): string {
  const out: Record<string, unknown> = {
    time: record.time.toISOString(),
    level: LONG_LEVEL[record.level],
    component: record.component,
    pid: record.pid,
    message: record.message,
  };
  for (const [key, value] of Object.entries(record.fields)) if (value !== undefined && !(key in out)) out[key] = value;
  return JSON.stringify(out);
}

/** The renderer for a `--log-format` value: JSON lines for `json`, the pattern otherwise, {@link DEFAULT_LOG_PATTERN} when unset. */
export function logLineRenderer(format: string | undefined): LogLineRenderer {
  if (format === JSON_LOG_FORMAT) return renderJsonLine;
  return compileLogPattern(format ?? DEFAULT_LOG_PATTERN);
}
