// Packs every workspace package the way `pnpm publish` would, installs the tarballs into an empty
// project outside the workspace (offline, from the local store), and imports each one there, with and
// without TypeScript. What this catches: a `files` list that leaves out built code, `exports` or
// `types` paths that point nowhere, `workspace:` ranges left in a packed manifest, and code that only
// works through the `@orion/source` condition (which points at `src/`, never packed).
//
// The builds come from nx: e2e depends on every package, and `test` depends on `^build`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const packagesDir = path.join(repoRoot, 'packages');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const exec = promisify(execFile);

/** The whole test stays under 90 s; each step gets its own, smaller bound. */
const TEST_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 30_000;

/** Every package of the workspace, by directory name. */
const packages = fs
  .readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(packagesDir, entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();

/** Exports the test expects from packages whose issue has landed; every other package only has to import. */
const expectedExports: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  error: { OrionError: 'function', printError: 'function', readErrorCodesTable: 'function' },
  'http-header': { X_ENVOY_INTERNAL: 'string', STRIPPED_HOP_BY_HOP_HEADERS: 'object', isGrpcContentType: 'function' },
  interner: { createInterner: 'function', globalInterner: 'object' },
};

interface Manifest {
  name: string;
  version: string;
  files?: string[];
  exports?: Record<string, Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface Packed {
  dir: string;
  manifest: Manifest;
  tarball: string;
  entries: string[];
  packedManifest: Manifest;
}

/** The environment for child pnpm runs, without the settings of the pnpm that runs this test. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_)/i.test(key)) env[key] = value;
  }
  return env;
}

async function pnpm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await exec('pnpm', args, { cwd, env: childEnv(), timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The workspace's `allowBuilds` block (pnpm refuses to install packages with build scripts it does not list). */
function allowBuildsOf(root: string): string {
  const text = fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^allowBuilds:\n(?:[ \t]+.*\n?)*/m.exec(text);
  return block === null ? '' : `${block[0].trimEnd()}\n`;
}

function readManifest(file: string): Manifest {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}

/** Every file under `dir`, relative to it, with `/` separators. */
function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

describe('publishability', () => {
  let work = '';
  const packed = new Map<string, Packed>();
  let consumer = '';

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'orion-publish-'));
    const tarballs = path.join(work, 'tarballs');
    fs.mkdirSync(tarballs);
    for (const dir of packages) {
      const manifest = readManifest(path.join(packagesDir, dir, 'package.json'));
      if (!fs.existsSync(path.join(packagesDir, dir, 'dist'))) {
        throw new Error(`${manifest.name} has no dist/: run the e2e tests through nx, whose test target builds every package first`);
      }
      const out = await pnpm(['pack', '--json', '--pack-destination', tarballs], path.join(packagesDir, dir));
      const { filename } = JSON.parse(out) as { filename: string };
      const unpacked = path.join(work, 'unpacked', dir);
      fs.mkdirSync(unpacked, { recursive: true });
      await exec('tar', ['-xzf', filename, '-C', unpacked], { timeout: STEP_TIMEOUT_MS });
      const root = path.join(unpacked, 'package');
      packed.set(dir, { dir, manifest, tarball: filename, entries: listFiles(root), packedManifest: readManifest(path.join(root, 'package.json')) });
    }

    // An empty project outside the workspace: each package from its tarball, and every @orion/* range
    // inside the tarballs (`^0.1.0` once packed) pinned to the tarballs too, so nothing is fetched.
    consumer = path.join(work, 'consumer');
    fs.mkdirSync(consumer);
    const fromTarball = Object.fromEntries([...packed.values()].map((p) => [p.manifest.name, `file:${p.tarball}`]));
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      `${JSON.stringify({ name: 'orion-consumer', version: '0.0.0', private: true, type: 'module', dependencies: fromTarball }, null, 2)}\n`,
    );
    // Type packages that third-party dependencies ask for with open ranges (`@types/node: >=12`) resolve to the
    // versions the workspace locked, which are the ones in the store.
    const rootManifest = readManifest(path.join(repoRoot, 'package.json')) as { devDependencies?: Record<string, string> };
    const pinned: Record<string, string> = { ...fromTarball, '@types/node': rootManifest.devDependencies?.['@types/node'] ?? '*' };
    fs.writeFileSync(
      path.join(consumer, 'pnpm-workspace.yaml'),
      `overrides:\n${Object.entries(pinned)
        .map(([name, spec]) => `  ${JSON.stringify(name)}: ${JSON.stringify(spec)}\n`)
        .join('')}${allowBuildsOf(repoRoot)}`,
    );
    // Third-party dependencies come from the store the workspace installed into: no network.
    const storeDir = (await pnpm(['store', 'path'], repoRoot)).trim();
    await pnpm(['install', '--offline', '--store-dir', storeDir], consumer);
  }, TEST_TIMEOUT_MS);

  afterAll(() => {
    if (work !== '') fs.rmSync(work, { recursive: true, force: true });
  });

  it('covers the eleven packages, all of them e2e dependencies', () => {
    expect(packages).toHaveLength(11);
    const e2e = readManifest(path.join(repoRoot, 'e2e/package.json'));
    for (const p of packed.values()) expect(e2e.dependencies?.[p.manifest.name], p.manifest.name).toBe('workspace:^');
  });

  it('packs built code, declarations and the README, and no sources or tests', () => {
    for (const p of packed.values()) {
      expect(p.entries, p.manifest.name).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']));
      const stray = p.entries.filter((file) => /^(src|test|bench)\//.test(file) || file.endsWith('.test.js') || file === 'tsconfig.json');
      expect(stray, p.manifest.name).toEqual([]);
    }
  });

  it('points every import and types export at a packed file, and src/ only through @orion/source', () => {
    for (const p of packed.values()) {
      const exportsMap = p.packedManifest.exports ?? {};
      expect(Object.keys(exportsMap), p.manifest.name).toContain('.');
      for (const [subpath, conditions] of Object.entries(exportsMap)) {
        for (const [condition, target] of Object.entries(conditions)) {
          if (condition === '@orion/source') {
            // For workspace tests only; consumers never set the condition, and src/ is not packed.
            expect(target.startsWith('./src/'), `${p.manifest.name} ${subpath}`).toBe(true);
            continue;
          }
          const pattern = new RegExp(`^${target.slice(2).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*', '.+')}$`);
          expect(p.entries.some((file) => pattern.test(file)), `${p.manifest.name} ${subpath} ${condition} → ${target}`).toBe(true);
        }
      }
    }
  });

  it('replaces workspace: ranges with the published versions', () => {
    for (const p of packed.values()) {
      const m = p.packedManifest;
      const ranges = { ...m.dependencies, ...m.peerDependencies, ...m.optionalDependencies };
      for (const [name, range] of Object.entries(ranges)) {
        expect(range.startsWith('workspace:'), `${m.name} → ${name}@${range}`).toBe(false);
        if (name.startsWith('@orion/')) expect(range, `${m.name} → ${name}`).toBe(`^${packed.get(name.slice('@orion/'.length))?.manifest.version}`);
      }
    }
  });

  it(
    'imports every package, and every generated data-plane-api module, in plain Node',
    async () => {
      const gen = path.join(consumer, 'node_modules/@orion/data-plane-api/dist/gen');
      const genModules = fs.existsSync(gen)
        ? listFiles(gen)
            .filter((file) => file.endsWith('.js'))
            .map((file) => `@orion/data-plane-api/gen/${file}`)
        : [];
      expect(genModules.length, 'data-plane-api packs its generated modules under dist/gen').toBeGreaterThan(0);
      const script = `
        const report = { packages: {}, gen: 0, genWithoutExports: [] };
        for (const name of ${JSON.stringify([...packed.values()].map((p) => p.manifest.name))}) {
          const m = await import(name);
          report.packages[name] = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]));
        }
        for (const specifier of ${JSON.stringify(genModules)}) {
          const m = await import(specifier);
          report.gen++;
          if (Object.keys(m).length === 0) report.genWithoutExports.push(specifier);
        }
        console.log(JSON.stringify(report));
      `;
      const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], {
        cwd: consumer,
        timeout: STEP_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
      });
      const report = JSON.parse(stdout) as { packages: Record<string, Record<string, string>>; gen: number; genWithoutExports: string[] };
      expect(Object.keys(report.packages).sort()).toEqual(packages.map((dir) => `@orion/${dir}`));
      for (const [dir, exportsOfPackage] of Object.entries(expectedExports)) {
        for (const [name, type] of Object.entries(exportsOfPackage)) {
          expect(report.packages[`@orion/${dir}`]?.[name], `@orion/${dir} exports ${name}`).toBe(type);
        }
      }
      expect(report.gen).toBe(genModules.length);
      expect(report.genWithoutExports).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'resolves the types of every package for a TypeScript consumer',
    async () => {
      const lines = [...packed.values()].map((p, i) => `import * as p${i} from '${p.manifest.name}';\nexport { p${i} };`);
      lines.push("export type Bootstrap = typeof import('@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js');");
      fs.writeFileSync(path.join(consumer, 'consumer.ts'), `${lines.join('\n')}\n`);
      fs.writeFileSync(
        path.join(consumer, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            // The packages' own declarations were checked in the workspace; here only resolution counts.
            skipLibCheck: true,
            types: [],
          },
          files: ['consumer.ts'],
        }),
      );
      const result = await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer, timeout: STEP_TIMEOUT_MS }).then(
        () => '',
        (err: { stdout?: string; message: string }) => err.stdout || err.message,
      );
      expect(result).toBe('');
    },
    TEST_TIMEOUT_MS,
  );
});
