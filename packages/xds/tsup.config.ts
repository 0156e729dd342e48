import { defineConfig } from 'tsup';
import { sharedTsupConfig } from '../../tsup.shared.js';

// Two entries: the library and the `orion-xds` binary.
export default defineConfig(sharedTsupConfig({ entry: ['src/index.ts', 'src/cli.ts'] }));
