import { defineProjectConfig } from '@preflight/vitest-config';

// Creating the Python venv and installing Flask on a fresh machine takes a while.
export default defineProjectConfig({ test: { hookTimeout: 600_000, testTimeout: 120_000 } });
