import { defineConfig } from 'tsup';
import { sharedTsupConfig } from '../../tsup.shared.js';

// Every generated file is its own entry so the `./gen/*.js` subpath exports exist and the lazy registry's
// dynamic imports load one file at a time; shared code goes to chunks. Declarations for ~400 files are
// emitted by tsc (tsconfig.build.json): tsup's bundled .d.ts step runs out of memory on this many entries.
export default defineConfig(sharedTsupConfig({ entry: ['src/index.ts', 'src/gen/**/*.ts'], splitting: true, sourcemap: false, dts: false }));
