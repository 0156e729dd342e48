import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readErrorCodesTable } from '@orion/error';
import { FORMAT_ERROR_CODES } from '../src/index.js';

describe('error codes', () => {
  it('the README Errors table lists exactly the codes of src/error-codes.ts', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readErrorCodesTable(readme)).toEqual([...FORMAT_ERROR_CODES]);
  });
});
