import type { Options } from 'tsup';

/** The build every package shares: ESM for Node 20, JS + declarations from `src/index.ts`. */
export function sharedTsupConfig(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: false,
    ...overrides,
  };
}
