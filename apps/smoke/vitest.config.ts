import { defineConfig } from 'vitest/config';

// The smoke tests install packages from the registry and run real builds: generous timeouts,
// one file, no retries. They use the packed packages only, never the workspace sources.
// The tests run concurrently: each waits for its own scratch project (installed in
// parallel) and starts as soon as that one is ready.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    sequence: { concurrent: true },
    maxConcurrency: 10,
    testTimeout: 420_000,
    hookTimeout: 180_000,
  },
});
