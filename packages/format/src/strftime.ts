/**
 * A strftime for Envoy's `%START_TIME(...)%` family (Envoy: `DateFormatter`, built on `absl::FormatTime`), with
 * Envoy's extra `%s`, `%f` and `%1f`–`%9f`. Everything that depends only on the second is computed once per
 * second and cached; a render inside the same second only adds the sub-second digits.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `000` … `999`: the millisecond digits of the default format. */
export const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** The default `%START_TIME%` format in UTC (Envoy `AccessLogDateTimeFormatter`): `2018-03-28T23:35:58.000Z`. */
export const DEFAULT_UTC_TIME_FORMAT = '%Y-%m-%dT%H:%M:%E3SZ';
/** The default `%START_TIME_LOCAL%` format: `2018-03-28T19:35:58.000-0400`. */
export const DEFAULT_LOCAL_TIME_FORMAT = '%Y-%m-%dT%H:%M:%E3S%z';

/** Broken-down time of one second. */
interface Tm {
  readonly epochSeconds: number;
  readonly year: number;
  readonly month: number; // 0-11
  readonly day: number; // 1-31
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number; // 0 = Sunday
  readonly yearDay: number; // 0-365
  readonly offsetMinutes: number; // east of UTC
  readonly zone: string;
}

type PerSecond = (tm: Tm) => string;

/** Makes V8 flatten a cons string in place (the `flatstr` trick); returns it. */
export function flatten(s: string): string {
  Number(s);
  return s;
}

/** A sub-second field: `digits` fraction digits; `trim` drops trailing zeros (`%E*S`, `%E*f`). */
interface SubSecond {
  readonly digits: number;
  readonly trim: 'none' | 'dot' | 'bare';
}

type TimeToken = string | PerSecond | SubSecond;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function padTo(value: number, width: number, fill: string): string {
  const s = String(Math.abs(value));
  const padded = s.length >= width ? s : fill.repeat(width - s.length) + s;
  return value < 0 ? `-${padded}` : padded;
}

function offsetString(minutes: number, sep: string, withSeconds: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}${sep}${pad2(abs % 60)}${withSeconds ? `${sep}00` : ''}`;
}

function isoWeek(tm: Tm): { year: number; week: number } {
  const wday = (tm.weekday + 6) % 7; // Monday = 0
  let week = Math.floor((tm.yearDay - wday + 10) / 7);
  let year = tm.year;
  if (week < 1) {
    year -= 1;
    const prevDays = isLeap(year) ? 366 : 365;
    week = Math.floor((tm.yearDay + prevDays - wday + 10) / 7);
  } else {
    const days = isLeap(year) ? 366 : 365;
    if (week === 53 && tm.yearDay - wday + 3 >= days) {
      year += 1;
      week = 1;
    }
  }
  return { year, week };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

interface Numeric {
  readonly value: (tm: Tm) => number;
  readonly width: number;
  readonly fill: string;
}

const NUMERIC: Readonly<Record<string, Numeric>> = {
  C: { value: (t) => Math.floor(t.year / 100), width: 2, fill: '0' },
  d: { value: (t) => t.day, width: 2, fill: '0' },
  e: { value: (t) => t.day, width: 2, fill: ' ' },
  G: { value: (t) => isoWeek(t).year, width: 1, fill: '0' },
  g: { value: (t) => isoWeek(t).year % 100, width: 2, fill: '0' },
  H: { value: (t) => t.hour, width: 2, fill: '0' },
  I: { value: (t) => t.hour % 12 || 12, width: 2, fill: '0' },
  j: { value: (t) => t.yearDay + 1, width: 3, fill: '0' },
  k: { value: (t) => t.hour, width: 2, fill: ' ' },
  l: { value: (t) => t.hour % 12 || 12, width: 2, fill: ' ' },
  m: { value: (t) => t.month + 1, width: 2, fill: '0' },
  M: { value: (t) => t.minute, width: 2, fill: '0' },
  S: { value: (t) => t.second, width: 2, fill: '0' },
  s: { value: (t) => t.epochSeconds, width: 1, fill: '0' },
  u: { value: (t) => t.weekday || 7, width: 1, fill: '0' },
  U: { value: (t) => Math.floor((t.yearDay + 7 - t.weekday) / 7), width: 2, fill: '0' },
  V: { value: (t) => isoWeek(t).week, width: 2, fill: '0' },
  w: { value: (t) => t.weekday, width: 1, fill: '0' },
  W: { value: (t) => Math.floor((t.yearDay + 7 - ((t.weekday + 6) % 7)) / 7), width: 2, fill: '0' },
  y: { value: (t) => t.year % 100, width: 2, fill: '0' },
  Y: { value: (t) => t.year, width: 1, fill: '0' },
};

const TEXTUAL: Readonly<Record<string, PerSecond>> = {
  a: (t) => (DAYS[t.weekday] ?? '').slice(0, 3),
  A: (t) => DAYS[t.weekday] ?? '',
  b: (t) => (MONTHS[t.month] ?? '').slice(0, 3),
  h: (t) => (MONTHS[t.month] ?? '').slice(0, 3),
  B: (t) => MONTHS[t.month] ?? '',
  p: (t) => (t.hour < 12 ? 'AM' : 'PM'),
  P: (t) => (t.hour < 12 ? 'am' : 'pm'),
  z: (t) => offsetString(t.offsetMinutes, '', false),
  Z: (t) => t.zone,
  t: () => '\t',
};

/** Composite conversions, expanded before compiling. */
const COMPOSITE: Readonly<Record<string, string>> = {
  c: '%a %b %e %H:%M:%S %Y',
  D: '%m/%d/%y',
  F: '%Y-%m-%d',
  r: '%I:%M:%S %p',
  R: '%H:%M',
  T: '%H:%M:%S',
  x: '%m/%d/%y',
  X: '%H:%M:%S',
};

const E_MODIFIED = new Set(['c', 'C', 'x', 'X', 'y', 'Y']);
const O_MODIFIED = new Set(['d', 'e', 'H', 'I', 'm', 'M', 'S', 'u', 'U', 'V', 'w', 'W', 'y']);

function numericToken(spec: Numeric, flags: string, width: number | undefined): PerSecond {
  let fill = spec.fill;
  let w = width ?? spec.width;
  if (flags.includes('-')) w = 1;
  else if (flags.includes('_')) fill = ' ';
  else if (flags.includes('0')) fill = '0';
  const get = spec.value;
  if (w === 2 && fill === '0') return (t) => pad2(get(t));
  return (t) => padTo(get(t), w, fill);
}

function conversion(c: string, flags: string, width: number | undefined): PerSecond | undefined {
  const num = NUMERIC[c];
  if (num !== undefined) return numericToken(num, flags, width);
  const text = TEXTUAL[c];
  if (text === undefined) return undefined;
  if (flags.includes('^')) return (t) => text(t).toUpperCase();
  if (width !== undefined) return (t) => text(t).padStart(width, flags.includes('0') ? '0' : ' ');
  return text;
}

/** Tokenizes a strftime format (literal strings, per-second functions and sub-second fields). */
function tokenize(format: string, out: TimeToken[]): void {
  let literal = '';
  const flush = (): void => {
    if (literal !== '') out.push(literal);
    literal = '';
  };
  for (let i = 0; i < format.length; ) {
    const ch = format[i] as string;
    if (ch !== '%') {
      literal += ch;
      i++;
      continue;
    }
    const next = format[i + 1];
    if (next === undefined) {
      literal += '%';
      i++;
      continue;
    }
    if (next === '%') {
      literal += '%';
      i += 2;
      continue;
    }
    // Envoy's own specifiers: %f and %1f-%9f (fractional seconds).
    if (next === 'f') {
      flush();
      out.push({ digits: 9, trim: 'none' });
      i += 2;
      continue;
    }
    if (next >= '1' && next <= '9' && format[i + 2] === 'f') {
      flush();
      out.push({ digits: Number(next), trim: 'none' });
      i += 3;
      continue;
    }
    if (next === 'E') {
      const a = format[i + 2];
      const b = format[i + 3];
      if (a === 'z') {
        flush();
        out.push((t) => offsetString(t.offsetMinutes, ':', false));
        i += 3;
        continue;
      }
      if (a === '*' && b === 'z') {
        flush();
        out.push((t) => offsetString(t.offsetMinutes, ':', true));
        i += 4;
        continue;
      }
      if (a === '*' && (b === 'S' || b === 'f')) {
        flush();
        if (b === 'S') out.push((t) => pad2(t.second));
        out.push({ digits: 9, trim: b === 'S' ? 'dot' : 'bare' });
        i += 4;
        continue;
      }
      if (a !== undefined && a >= '0' && a <= '9') {
        let j = i + 2;
        while (j < format.length && (format[j] as string) >= '0' && (format[j] as string) <= '9') j++;
        const digits = Math.min(Number(format.slice(i + 2, j)), 9);
        const conv = format[j];
        if (conv === 'S') {
          flush();
          out.push((t) => pad2(t.second));
          if (digits > 0) {
            out.push('.');
            out.push({ digits, trim: 'none' });
          }
          i = j + 1;
          continue;
        }
        if (conv === 'f') {
          flush();
          if (digits > 0) out.push({ digits, trim: 'none' });
          i = j + 1;
          continue;
        }
        if (conv === 'Y' && digits === 4) {
          flush();
          out.push((t) => padTo(t.year, 4, '0'));
          i = j + 1;
          continue;
        }
      }
      if (a !== undefined && E_MODIFIED.has(a)) {
        // The C locale has no alternative representation: %Ec is %c, %EY is %Y, …
        flush();
        const composite = COMPOSITE[a];
        if (composite !== undefined) tokenize(composite, out);
        else out.push(conversion(a, '', undefined) as PerSecond);
        i += 3;
        continue;
      }
      literal += '%E';
      i += 2;
      continue;
    }
    if (next === 'O') {
      const a = format[i + 2];
      if (a !== undefined && O_MODIFIED.has(a)) {
        flush();
        out.push(conversion(a, '', undefined) as PerSecond);
        i += 3;
        continue;
      }
      literal += '%O';
      i += 2;
      continue;
    }
    // GNU flags and width: %-d, %_H, %^a, %10Y.
    let j = i + 1;
    while (j < format.length && '-_0^#'.includes(format[j] as string)) j++;
    const flags = format.slice(i + 1, j);
    const widthStart = j;
    while (j < format.length && (format[j] as string) >= '0' && (format[j] as string) <= '9') j++;
    const width = j > widthStart ? Number(format.slice(widthStart, j)) : undefined;
    const conv = format[j];
    if (conv !== undefined) {
      const composite = COMPOSITE[conv];
      if (composite !== undefined && flags === '' && width === undefined) {
        flush();
        tokenize(composite, out);
        i = j + 1;
        continue;
      }
      const fn = conversion(conv, flags, width);
      if (fn !== undefined) {
        flush();
        out.push(fn);
        i = j + 1;
        continue;
      }
    }
    // Unknown conversion: printed as written (absl::FormatTime does the same).
    literal += format.slice(i, conv === undefined ? j : j + 1);
    i = conv === undefined ? j : j + 1;
  }
  flush();
}

/** Matches a strftime newline specifier, which Envoy rejects (`%[-_0^#]*[1-9]*(E|O)?n`). */
const NEWLINE_SPECIFIER = /%[-_0^#]*[1-9]*(E|O)?n/;

/** Returns the index of a newline specifier in a time format, or -1. Envoy rejects such formats. */
export function findNewlineSpecifier(format: string): number {
  const m = NEWLINE_SPECIFIER.exec(format);
  return m === null ? -1 : m.index;
}

/** An immutable compiled time format; {@link TimeFormatter} adds the per-second cache. */
export class CompiledTimeFormat {
  readonly tokens: readonly TimeToken[];
  constructor(
    readonly format: string,
    readonly utc: boolean,
  ) {
    const tokens: TimeToken[] = [];
    tokenize(format, tokens);
    this.tokens = tokens;
  }
}

const zoneNameFormat = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });

function brokenDown(epochSeconds: number, utc: boolean): Tm {
  const d = new Date(epochSeconds * 1000);
  if (utc) {
    const year = d.getUTCFullYear();
    return {
      epochSeconds,
      year,
      month: d.getUTCMonth(),
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
      yearDay: Math.floor((Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) - Date.UTC(year, 0, 1)) / 86_400_000),
      offsetMinutes: 0,
      zone: 'UTC',
    };
  }
  const year = d.getFullYear();
  const zone = zoneNameFormat.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return {
    epochSeconds,
    year,
    month: d.getMonth(),
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    weekday: d.getDay(),
    yearDay: Math.round((Date.UTC(year, d.getMonth(), d.getDate()) - Date.UTC(year, 0, 1)) / 86_400_000),
    offsetMinutes: -d.getTimezoneOffset(),
    zone,
  };
}

function fraction(nanosOfSecond: number, spec: SubSecond, msOfSecond: number, exactMs: boolean): string {
  if (spec.trim === 'none') {
    if (exactMs && spec.digits <= 3) {
      const s = THREE_DIGITS[msOfSecond] as string;
      return spec.digits === 3 ? s : s.slice(0, spec.digits);
    }
    return String(nanosOfSecond).padStart(9, '0').slice(0, spec.digits);
  }
  if (nanosOfSecond === 0) return spec.trim === 'dot' ? '' : '0';
  const digits = String(nanosOfSecond).padStart(9, '0').replace(/0+$/, '');
  return spec.trim === 'dot' ? `.${digits}` : digits;
}

/**
 * Formats epoch times with a {@link CompiledTimeFormat}, caching the per-second text. Not shared between
 * workers: each {@link LogFormatterLocal} holds its own.
 */
export class TimeFormatter {
  private cachedSecond = Number.NaN;
  /** Static text between sub-second fields: `parts.length === subs.length + 1`. */
  private parts: string[] = [];
  private readonly subs: SubSecond[];
  private readonly perSecondOnly: boolean;

  constructor(private readonly compiled: CompiledTimeFormat) {
    this.subs = compiled.tokens.filter((t): t is SubSecond => typeof t === 'object');
    this.perSecondOnly = this.subs.length === 0;
  }

  /** Formats `epochMs` (integer ms) plus `nanos` (0–999 999 ns inside the millisecond). */
  format(epochMs: number, nanos: number): string {
    if (!Number.isInteger(epochMs)) {
      // A fractional millisecond (e.g. performance.timeOrigin + performance.now()) carries sub-ms precision.
      const whole = Math.floor(epochMs);
      nanos += Math.round((epochMs - whole) * 1_000_000);
      epochMs = whole;
      if (nanos >= 1_000_000) {
        epochMs += 1;
        nanos -= 1_000_000;
      }
    }
    const second = Math.floor(epochMs / 1000);
    if (second !== this.cachedSecond) this.refresh(second);
    if (this.perSecondOnly) return this.parts[0] as string;
    const ms = epochMs - second * 1000;
    const nanosOfSecond = ms * 1_000_000 + nanos;
    const exactMs = nanos === 0;
    const parts = this.parts;
    const subs = this.subs;
    if (subs.length === 1) {
      return (parts[0] as string) + fraction(nanosOfSecond, subs[0] as SubSecond, ms, exactMs) + (parts[1] as string);
    }
    let out = parts[0] as string;
    for (let i = 0; i < subs.length; i++) out += fraction(nanosOfSecond, subs[i] as SubSecond, ms, exactMs) + (parts[i + 1] as string);
    return out;
  }

  private refresh(second: number): void {
    const tm = brokenDown(second, this.compiled.utc);
    const parts: string[] = [];
    let current = '';
    for (const token of this.compiled.tokens) {
      if (typeof token === 'string') current += token;
      else if (typeof token === 'function') current += token(tm);
      else {
        parts.push(current);
        current = '';
      }
    }
    parts.push(current);
    // Flatten the cached cons strings once, so the lines that embed them do not re-walk them.
    for (const part of parts) flatten(part);
    this.parts = parts;
    this.cachedSecond = second;
  }
}
