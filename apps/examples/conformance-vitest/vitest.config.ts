// In your own project: `export default defineConfig({})` from 'vitest/config' is enough. Here the
// shared config adds the `@preflight/source` condition, so the workspace packages run from source.
import { defineProjectConfig } from '@preflight/vitest-config';

export default defineProjectConfig();
