import type { JsonValue } from './format-context.js';

function numberJson(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * Serializes a JSON value compactly with object keys sorted (Envoy sorts `json_format` keys and serializes
 * protobuf `Struct`s deterministically). NaN and infinities become `null`.
 */
export function stringifyJson(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return numberJson(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += stringifyJson(value[i] as JsonValue);
    }
    return `${out}]`;
  }
  const obj = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(obj).sort(compareKeys);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${stringifyJson(v)}`;
  }
  return `${out}}`;
}

/** Byte-wise (code unit) key order, as `std::sort` on `std::string` keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The text form of a typed value (Envoy `Json::Utility::appendValueToString` for metadata and filter state):
 * strings as they are, numbers in shortest form (`inf` for infinity, `null` for NaN), structs and lists as JSON.
 */
export function valueToText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'null';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  return stringifyJson(value);
}

/** C `%g` (6 significant digits), used by the untyped JSON mode for number literals (Envoy `PlainNumberFormatter`). */
export function formatG(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  if (n === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) {
    const [mantissa = '', e = '0'] = n.toExponential(5).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const fixed = n.toFixed(Math.max(0, 5 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
