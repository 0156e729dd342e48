// ASCII-only case folding, as absl's `EqualsIgnoreCase` / `StartsWithIgnoreCase` used by Envoy's matchers, without
// allocating a lower-cased copy of the request value.

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** True when `value` starts with `lowerPrefix` (already lower-case), ignoring ASCII case. */
export function startsWithIgnoreCase(value: string, lowerPrefix: string, offset = 0): boolean {
  const n = lowerPrefix.length;
  if (value.length - offset < n) return false;
  for (let i = 0; i < n; i++) {
    if (fold(value.charCodeAt(offset + i)) !== lowerPrefix.charCodeAt(i)) return false;
  }
  return true;
}

/** True when `value` equals `lower` (already lower-case), ignoring ASCII case. */
export function equalsIgnoreCase(value: string, lower: string): boolean {
  return value.length === lower.length && startsWithIgnoreCase(value, lower);
}

/** True when `value` ends with `lowerSuffix` (already lower-case), ignoring ASCII case. */
export function endsWithIgnoreCase(value: string, lowerSuffix: string): boolean {
  const offset = value.length - lowerSuffix.length;
  return offset >= 0 && startsWithIgnoreCase(value, lowerSuffix, offset);
}

/** True when `value` contains `lowerNeedle` (already lower-case), ignoring ASCII case. */
export function containsIgnoreCase(value: string, lowerNeedle: string): boolean {
  const last = value.length - lowerNeedle.length;
  for (let i = 0; i <= last; i++) {
    if (startsWithIgnoreCase(value, lowerNeedle, i)) return true;
  }
  return false;
}

/** `value` with ASCII letters lower-cased only (Envoy's `absl::AsciiStrToLower`). */
export function asciiLower(value: string): string {
  let upper = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      upper = true;
      break;
    }
  }
  if (!upper) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) out += String.fromCharCode(fold(value.charCodeAt(i)));
  return out;
}
