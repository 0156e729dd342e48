import { formatIssue, type DecodeIssue } from '@orion/data-plane-api';
import { OrionError } from '@orion/error';
import { ConfigurationErrorCode } from './error-codes.js';

function compare(a: DecodeIssue, b: DecodeIssue): number {
  if ((a.file ?? '') !== (b.file ?? '')) return (a.file ?? '') < (b.file ?? '') ? -1 : 1;
  const la = a.location?.line ?? Number.MAX_SAFE_INTEGER;
  const lb = b.location?.line ?? Number.MAX_SAFE_INTEGER;
  if (la !== lb) return la - lb;
  return (a.location?.column ?? 0) - (b.location?.column ?? 0);
}

/** Sorts issues by file, line and column, dropping exact duplicates. */
export function sortIssues(issues: readonly DecodeIssue[]): DecodeIssue[] {
  const seen = new Set<string>();
  const out: DecodeIssue[] = [];
  for (const issue of [...issues].sort(compare)) {
    const key = formatIssue(issue);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

/**
 * The one error a refused configuration produces: code `ORION_ERR_CONFIG_INVALID` (or another configuration code),
 * every issue on its own line as `file:line:col: path: message`, and `details.issues` for programs.
 */
export function configurationError(issues: readonly DecodeIssue[], what: string, code: ConfigurationErrorCode = ConfigurationErrorCode.INVALID): OrionError {
  const sorted = sortIssues(issues);
  const lines = sorted.map(formatIssue);
  const message = sorted.length === 1 ? (lines[0] ?? what) : `${sorted.length} errors in ${what}:\n${lines.map((l) => `  ${l}`).join('\n')}`;
  return new OrionError(code, message, { details: { issues: sorted } });
}
