import { defineProjectConfig } from '@preflight/vitest-config';

// One engine at a time (Chromium, Firefox, WebKit, one after the other in each file); files
// run one after the other (two cores, shared). Hooks launch engines: a WebKit session start
// has its own 60 s timeout, so a hook waits longer than that and reports the driver's error.
export default defineProjectConfig({
  test: { fileParallelism: false, testTimeout: 30_000, hookTimeout: 120_000 },
});
