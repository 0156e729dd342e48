import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALLOWED_DEPENDENCIES, allowedDependencies, checkLayers, importsOf } from '../../../tools/check-layers.mjs';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/layering/', import.meta.url));
const cli = path.join(repoRoot, 'tools/check-layers.mjs');
const run = promisify(execFile);

describe('layer table', () => {
  it('has the eleven packages of the architecture, each allowed error except error itself', () => {
    expect(Object.keys(ALLOWED_DEPENDENCIES).sort()).toEqual(
      ['configuration', 'data-plane-api', 'error', 'format', 'http-header', 'interner', 'lib', 'metrics', 'proxy', 'tracing', 'xds'].sort(),
    );
    expect(allowedDependencies('error')).toEqual([]);
    for (const pkg of Object.keys(ALLOWED_DEPENDENCIES).filter((p) => p !== 'error')) {
      expect(allowedDependencies(pkg), pkg).toContain('error');
    }
  });

  it('allows exactly the documented edges', () => {
    const sorted = (pkg: string) => allowedDependencies(pkg).sort();
    expect(sorted('http-header')).toEqual(['error']);
    expect(sorted('interner')).toEqual(['error']);
    expect(sorted('data-plane-api')).toEqual(['error']);
    expect(sorted('format')).toEqual(['error', 'http-header', 'interner']);
    expect(sorted('metrics')).toEqual(['configuration', 'error', 'interner']);
    expect(sorted('tracing')).toEqual(['configuration', 'error', 'http-header', 'interner']);
    expect(sorted('configuration')).toEqual(['data-plane-api', 'error', 'format', 'interner']);
    expect(sorted('xds')).toEqual(['configuration', 'data-plane-api', 'error']);
    expect(sorted('lib')).toEqual(Object.keys(ALLOWED_DEPENDENCIES).filter((p) => p !== 'lib' && p !== 'proxy').sort());
    expect(sorted('proxy')).toEqual(['configuration', 'error', 'format', 'lib', 'metrics', 'tracing', 'xds']);
  });

  it('is itself free of cycles', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (pkg: string): void => {
      expect(visiting.has(pkg), `cycle through ${pkg}`).toBe(false);
      if (done.has(pkg)) return;
      visiting.add(pkg);
      for (const dep of allowedDependencies(pkg)) visit(dep);
      visiting.delete(pkg);
      done.add(pkg);
    };
    for (const pkg of Object.keys(ALLOWED_DEPENDENCIES)) visit(pkg);
  });
});

describe('importsOf', () => {
  it('finds every import form with its line', () => {
    const source = [
      "import a from '@orion/a';",
      "import type { B } from '@orion/b/sub.js';",
      "export { c } from '@orion/c';",
      "export * as d from '@orion/d';",
      "import '@orion/e';",
      "const f = await import('@orion/f');",
      "const g = require('@orion/g');",
      "import h = require('@orion/h');",
      "type I = typeof import('@orion/i');",
      "const j = require.resolve('@orion/j');",
      'const k = await import(`@orion/k`);',
    ].join('\n');
    expect(importsOf('x.ts', source)).toEqual(
      ['a', 'b/sub.js', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'].map((name, i) => ({ specifier: `@orion/${name}`, line: i + 1 })),
    );
  });

  it('ignores comments, strings, templates and computed specifiers', () => {
    const source = [
      "// import '@orion/a';",
      "/* export * from '@orion/b'; */",
      "const c = \"import c from '@orion/c'\";",
      "const d = `${c} import('@orion/d')`;",
      "const e = await import(`@orion/${'e'}`);",
      "const name = '@orion/f'; require(name);",
    ].join('\n');
    expect(importsOf('x.mjs', source)).toEqual([]);
  });
});

describe('checkLayers', () => {
  it('finds no violation in this repository', () => {
    expect(checkLayers(repoRoot).violations).toEqual([]);
  });

  it('accepts allowed edges in every import form', () => {
    expect(checkLayers(path.join(fixtures, 'clean')).violations).toEqual([]);
  });

  it('reports a forbidden import with both packages, the rule and the place', () => {
    const { violations } = checkLayers(path.join(fixtures, 'forbidden-import'));
    const rule = '(format may depend on: error, http-header, interner)';
    expect(violations).toEqual([
      `@orion/format → @orion/lib: not allowed ${rule} in packages/format/src/index.ts:3`,
      `@orion/format → @orion/proxy: not allowed ${rule} in packages/format/src/late.mjs:2`,
      `@orion/format → @orion/xds: not allowed ${rule} in packages/format/test/helpers.cjs:1`,
      `@orion/format → @orion/metrics: not allowed ${rule} in packages/format/bench/render.bench.mjs:1`,
      'cycle: @orion/format → @orion/lib → @orion/format; edges: @orion/format → @orion/lib (packages/format/src/index.ts:3); ' +
        '@orion/lib → @orion/format (packages/lib/package.json (dependencies))',
    ]);
  });

  it('reports a forbidden package.json dependency, whatever its field', () => {
    const { violations } = checkLayers(path.join(fixtures, 'forbidden-dependency'));
    expect(violations).toEqual([
      '@orion/interner → @orion/metrics: not allowed (interner may depend on: error) in packages/interner/package.json (dependencies)',
      '@orion/interner → @orion/format: not allowed (interner may depend on: error) in packages/interner/package.json (devDependencies)',
      'cycle: @orion/interner → @orion/metrics → @orion/interner; edges: @orion/interner → @orion/metrics (packages/interner/package.json (dependencies)); ' +
        '@orion/metrics → @orion/interner (packages/metrics/package.json (dependencies))',
    ]);
  });

  it('reports a package directory and a dependency outside the table', () => {
    const { violations } = checkLayers(path.join(fixtures, 'unknown-package'));
    expect(violations).toHaveLength(2);
    expect(violations[0]).toBe('@orion/format → @orion/widgets: unknown package (not in the layer table) in packages/format/package.json (dependencies)');
    expect(violations[1]).toMatch(/^packages\/widgets: unknown package @orion\/widgets \(not in the layer table; known: error, /);
  });

  it('reports a tree without packages/ instead of passing it', () => {
    const { violations } = checkLayers(path.join(fixtures, 'does-not-exist'));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/^cannot read .*does-not-exist\/packages/);
  });
});

describe('check-layers CLI', () => {
  it('exits 1 and prints each violation', async () => {
    const failure = await run(process.execPath, [cli, path.join(fixtures, 'forbidden-import')], { timeout: 20_000 }).then(
      () => undefined,
      (err: unknown) => err as { code?: number; stderr?: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('@orion/format → @orion/lib: not allowed (format may depend on: error, http-header, interner) in packages/format/src/index.ts:3');
    expect(failure?.stderr).toContain('check-layers: 5 violation(s)');
  });

  it('exits 0 on a clean tree', async () => {
    const { stdout } = await run(process.execPath, [cli, path.join(fixtures, 'clean')], { timeout: 20_000 });
    expect(stdout).toContain('every @orion dependency follows the layer table');
  });
});
