import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as metrics from '../src/index.js';

function block(markdown: string, after: string, lang: string): string {
  const start = markdown.indexOf(after);
  expect(start).toBeGreaterThanOrEqual(0);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(markdown.slice(start));
  expect(match).not.toBeNull();
  return (match as RegExpExecArray)[1] as string;
}

describe('README', () => {
  it('the Example runs and prints what the README says it prints', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = block(readme, '## Example', 'ts');
    const expected = block(readme, 'prints', 'text');
    const importLine = /^import \{([^}]*)\} from '@orion\/metrics';\n/m;
    const names = (importLine.exec(code)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const body = code.replace(importLine, '');
    const lines: string[] = [];
    const fakeConsole = { log: (...args: unknown[]) => lines.push(args.map(String).join(' ')) };
    const values = names.map((n) => (metrics as Record<string, unknown>)[n]);
    expect(values.every((v) => typeof v === 'function')).toBe(true);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('console', ...names, body)(fakeConsole, ...values);
    expect(`${lines.join('\n')}\n`).toBe(expected);
  });
});
