import { describe, expect, it } from 'vitest';
import { globalInterner as direct } from '../src/global-interner.js';
import { DEFAULT_INTERNER_MAX_SIZE, globalInterner } from '../src/index.js';

describe('globalInterner', () => {
  it('is one instance per process, whichever module path imports it', () => {
    expect(globalInterner).toBe(direct);
    const record = globalInterner.intern('global-interner-test');
    expect(direct.get('global-interner-test')).toBe(record);
    expect(globalInterner.lookup(record.id)).toBe('global-interner-test');
  });

  it('uses the default limit', () => {
    expect(globalInterner.maxSize).toBe(DEFAULT_INTERNER_MAX_SIZE);
  });
});
