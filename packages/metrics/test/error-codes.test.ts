import { readFileSync } from 'node:fs';
import { readErrorCodesTable } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { METRICS_ERROR_CODES } from '../src/index.js';

describe('error codes', () => {
  it('lists in the README exactly the codes the package defines', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readErrorCodesTable(readme)).toEqual([...METRICS_ERROR_CODES]);
  });
});
