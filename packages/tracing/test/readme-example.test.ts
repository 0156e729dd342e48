import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('README example', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is the file test/fixtures/readme-example.ts, verbatim', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /^## Example\s*\n+```ts\n([\s\S]*?)```/m.exec(readme)?.[1];
    const fixture = readFileSync(new URL('./fixtures/readme-example.ts', import.meta.url), 'utf8');
    expect(block).toBe(fixture);
  });

  it('runs and prints what its comments say', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    await import('./fixtures/readme-example.js');
    const fixture = readFileSync(new URL('./fixtures/readme-example.ts', import.meta.url), 'utf8');
    const promised = [...fixture.matchAll(/^console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    expect(promised).toHaveLength(3);
    expect(lines).toEqual(promised);
  });
});
