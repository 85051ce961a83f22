import { defineProjectConfig } from '@preflight/vitest-config';

// test/build.ts bundles the servers and builds the Next.js app once before the test files run.
export default defineProjectConfig({ test: { globalSetup: ['test/build.ts'], hookTimeout: 90_000 } });
