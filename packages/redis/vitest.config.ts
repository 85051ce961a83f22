import { defineProjectConfig } from '@preflight/vitest-config';

// redis-server installed (when missing) before the first test file, outside the hook timeout.
export default defineProjectConfig({ test: { globalSetup: ['../../tooling/redis-server/ensure.js'] } });
