/**
 * Makes a string safe as a stat name segment the way Envoy does for scope names and stat prefixes
 * (`Stats::Utility::sanitizeStatsName`): one leading and one trailing `.` are dropped, and `://`, `:/`, `:` and NUL
 * become `_` — so a listener on `0.0.0.0:8080` gets stats under `listener.0.0.0.0_8080.`.
 */
export function sanitizeStatName(name: string): string {
  let s = name;
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.startsWith('.')) s = s.slice(1);
  return s.replace(/:\/\/|:\/|:|\0/g, '_');
}

/** `prefix.name`, or `name` alone when the prefix is empty. */
export function joinStatName(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
