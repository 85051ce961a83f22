import type { RunningServer } from '@preflight/cors-conformance';
import { cors, type CorsOptions } from '@preflight/cors-fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { listen } from './harness.js';

export const APP = 'https://app.example.com';
export const EVIL = 'https://evil.example.org';

export { send, values, header, vary, preflightHeaders as preflight } from '@preflight/cors-conformance';
export type { Reply } from '@preflight/cors-conformance';

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/**
 * Start Fastify with the plugin registered at the root (unless `options` is null), then
 * `setup` (routes, hooks). Closed after each test.
 */
export async function serve(options: CorsOptions | null, setup: (app: FastifyInstance) => unknown = () => {}): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify();
  if (options !== null) await app.register(cors, options);
  await setup(app);
  const server = await listen(app);
  running.push(server);
  return { url: server.url, app };
}
