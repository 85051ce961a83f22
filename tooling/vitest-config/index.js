// Tests import workspace packages by name; the `@preflight/source` export condition maps
// those imports to `src/*.ts`, so no build step runs before tests.
import { defineConfig, mergeConfig } from 'vitest/config';

const conditions = ['@preflight/source', 'module', 'node', 'development|production'];

export const base = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@preflight/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});

/** Merge a package's own settings over the shared base. */
export function defineProjectConfig(overrides = {}) {
  return mergeConfig(base, defineConfig(overrides));
}
