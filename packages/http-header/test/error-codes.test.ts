import { readFileSync } from 'node:fs';
import { readErrorCodesTable } from '@orion/error';
import { describe, expect, it } from 'vitest';

describe('error codes', () => {
  it('lists no codes in the README, as the package throws none', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/^## Errors$/m);
    expect(readErrorCodesTable(readme)).toEqual([]);
  });
});
