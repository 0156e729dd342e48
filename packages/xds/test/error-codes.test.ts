import { readFileSync } from 'node:fs';
import { OrionError, readErrorCodesTable } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { XDS_ERROR_CODES } from '../src/index.js';

describe('error codes', () => {
  it('match the README Errors table, in order', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readErrorCodesTable(readme)).toEqual([...XDS_ERROR_CODES]);
  });

  it('are valid OrionError codes of the XDS area', () => {
    for (const code of XDS_ERROR_CODES) {
      expect(code).toMatch(/^ORION_ERR_XDS_[A-Z0-9_]+$/);
      expect(new OrionError(code, 'x').code).toBe(code);
    }
  });
});
