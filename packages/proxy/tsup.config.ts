import { defineConfig } from 'tsup';
import { sharedTsupConfig } from '../../tsup.shared.js';

// `src/cli.ts` is the `orion` executable (package.json `bin`); `src/worker.ts` is the worker process the primary
// forks (`dist/worker.js`, found next to the module that forks it).
// Code splitting keeps what `serve` loads on demand (the OTLP stats sink, which brings OpenTelemetry and grpc-js) in
// its own chunk: bundled inline, its imports would become top-level ones and load in every process.
export default defineConfig(sharedTsupConfig({ entry: ['src/index.ts', 'src/cli.ts', 'src/worker.ts'], splitting: true }));
