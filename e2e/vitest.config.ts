import { defineConfig } from 'vitest/config';
import { sharedVitestConfig } from '../vitest.shared.js';

export default defineConfig(sharedVitestConfig({ testTimeout: 120_000, hookTimeout: 120_000 }));
