import { defineProjectConfig } from '@preflight/vitest-config';

export default defineProjectConfig();
