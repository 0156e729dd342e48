import { readFileSync } from 'node:fs';
import { readErrorCodesTable } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { ProxyErrorCode } from '../src/index.js';

describe('ProxyErrorCode', () => {
  it('matches the README Errors table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readErrorCodesTable(readme)).toEqual(Object.values(ProxyErrorCode));
  });
});
