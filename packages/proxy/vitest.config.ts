import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { sharedVitestConfig } from '../../vitest.shared.js';

// Without the `module` condition: OpenTelemetry's `module` builds import files without extensions, which Node
// cannot load, while their default (CommonJS) builds load everywhere.
const conditions = ['@orion/source', ...defaultServerConditions.filter((c) => c !== 'module')];
const shared = sharedVitestConfig();

export default defineConfig({
  ...shared,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
});
