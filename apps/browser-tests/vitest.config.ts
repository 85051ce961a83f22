import { defineProjectConfig } from '@preflight/vitest-config';

// One Chromium per test file; files run one after the other (two cores, shared).
export default defineProjectConfig({
  test: { fileParallelism: false, testTimeout: 30_000, hookTimeout: 60_000 },
});
