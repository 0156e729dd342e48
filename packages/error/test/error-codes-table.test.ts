import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORION_ERR_UNKNOWN, readErrorCodesTable } from '../src/index.js';

describe('readErrorCodesTable', () => {
  it('reads the codes of the Errors section only', () => {
    const md = '# x\n\n## Errors\n\n| code | meaning |\n|---|---|\n| `ORION_ERR_A_B` | a |\n| `ORION_ERR_C` | c |\n\n## Other\n\n| `ORION_ERR_NOT_ME` | x |\n';
    expect(readErrorCodesTable(md)).toEqual(['ORION_ERR_A_B', 'ORION_ERR_C']);
    expect(readErrorCodesTable('# nothing')).toEqual([]);
  });

  it('matches the codes this package defines (README in step with code)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readErrorCodesTable(readme)).toEqual([ORION_ERR_UNKNOWN]);
  });
});
