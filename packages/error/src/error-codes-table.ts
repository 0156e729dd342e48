/**
 * Reads the codes listed in a README's `## Errors` table (first column, `ORION_ERR_…` in backticks).
 * Packages use it in a test that keeps their README and their code in step.
 */
export function readErrorCodesTable(markdown: string): string[] {
  const section = /^## Errors\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  if (section === null) return [];
  const codes: string[] = [];
  for (const line of (section[1] ?? '').split('\n')) {
    const match = /^\|\s*`(ORION_ERR_[A-Z0-9_]+)`/.exec(line.trim());
    if (match?.[1] !== undefined) codes.push(match[1]);
  }
  return codes;
}
