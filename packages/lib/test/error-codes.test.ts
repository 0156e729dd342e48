import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readErrorCodesTable } from '@orion/error';
import { LibErrorCode } from '../src/index.js';

describe('LibErrorCode', () => {
  it('matches the README Errors table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readErrorCodesTable(readme)).toEqual(Object.values(LibErrorCode));
  });
});
