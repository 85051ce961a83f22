import { defineProjectConfig } from '@preflight/vitest-config';

// Building one program for every sample loads the types of Express, Fastify, Koa, NestJS and
// Hono: allow it more than the default hook timeout on a busy 2-core machine.
export default defineProjectConfig({ test: { hookTimeout: 180_000 } });
