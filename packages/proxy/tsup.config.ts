import { defineConfig } from 'tsup';
import { sharedTsupConfig } from '../../tsup.shared.js';

// `src/cli.ts` is the `orion` executable (package.json `bin`).
export default defineConfig(sharedTsupConfig({ entry: ['src/index.ts', 'src/cli.ts'] }));
