import { defineConfig } from 'tsup';
import { sharedTsupConfig } from '../../tsup.shared.js';

// Two entries: the store and renderers (every process), and the OTLP exporter (the primary only).
export default defineConfig(sharedTsupConfig({ entry: ['src/index.ts', 'src/otlp.ts'] }));
