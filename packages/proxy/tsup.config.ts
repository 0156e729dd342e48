import { defineConfig } from 'tsup';
import { sharedTsupConfig } from '../../tsup.shared.js';

// `src/cli.ts` is the `orion` executable (package.json `bin`); `src/worker.ts` is the worker process the primary
// forks (`dist/worker.js`, found next to the module that forks it).
export default defineConfig(sharedTsupConfig({ entry: ['src/index.ts', 'src/cli.ts', 'src/worker.ts'] }));
