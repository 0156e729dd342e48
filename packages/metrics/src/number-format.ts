/**
 * Number formatting as Envoy's C++ prints it, so rendered stats match Envoy byte for byte:
 * `fmt::format("{}", double)` (shortest round-trip digits), printf-style `%g` with a precision, and plain integers.
 */

/** `fmt::format("{}", x)` for a double: shortest digits that read back as `x`; `nan`, `inf`; exponent form outside [1e-4, 1e16). */
export function formatShortest(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) return exponentForm(x.toExponential());
  return String(x);
}

/** printf `%.<precision>g` (`fmt::format("{:g}")` is precision 6, Prometheus buckets and sums use 32). */
export function formatG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = Math.max(1, precision);
  const exponential = x.toExponential(p - 1);
  const exp = Number(exponential.slice(exponential.indexOf('e') + 1));
  if (exp < -4 || exp >= p) return exponentForm(stripZeros(exponential));
  return stripZeros(x.toFixed(p - 1 - exp));
}

/** A count or gauge value as Envoy prints a uint64/int64; non-integers (possible here, not in Envoy) as {@link formatShortest}. */
export function formatValue(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e21 ? x.toFixed(0) : formatShortest(x);
}

function stripZeros(s: string): string {
  const e = s.indexOf('e');
  let mantissa = e < 0 ? s : s.slice(0, e);
  const rest = e < 0 ? '' : s.slice(e);
  if (mantissa.includes('.')) mantissa = mantissa.replace(/\.?0+$/, '');
  return mantissa + rest;
}

/** `1.5e+6` → `1.5e+06`: C's exponent has a sign and at least two digits. */
function exponentForm(s: string): string {
  const e = s.indexOf('e');
  const sign = s[e + 1] === '-' ? '-' : '+';
  const digits = s.slice(e + (s[e + 1] === '-' || s[e + 1] === '+' ? 2 : 1));
  return `${s.slice(0, e)}e${sign}${digits.padStart(2, '0')}`;
}
