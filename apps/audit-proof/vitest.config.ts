import { defineProjectConfig } from '@preflight/vitest-config';

// Creating the Python venv and installing Flask on a fresh machine takes a while, and the
// command-line tests start tsx in child processes (slow on a loaded 2-core machine).
export default defineProjectConfig({ test: { hookTimeout: 600_000, testTimeout: 900_000 } });
