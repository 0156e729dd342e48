import { defaultServerConditions, type UserConfig } from 'vite';

/** Conditions that make workspace packages resolve to their TypeScript sources in tests. */
const conditions = ['@orion/source', ...defaultServerConditions];

/** The vitest configuration every project shares. */
export function sharedVitestConfig(overrides: UserConfig['test'] = {}): UserConfig {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 20_000,
      hookTimeout: 20_000,
      pool: 'forks',
      ...overrides,
    },
  };
}
