import type { ConformanceHarness } from '@preflight/cors-conformance';
import type { CorsOptions } from '@preflight/cors-fetch';
import { fetchApp, honoApp } from './apps.js';
import { serveFetch } from './helpers.js';

/** `withCors(options, handler)`, served as is, with Node's native Request/Response (as in Deno, Bun, Workers). */
export const harness: ConformanceHarness = {
  name: 'fetch handler (withCors)',
  start: (options: CorsOptions) => serveFetch(fetchApp(options), true),
};

/** Hono 4 with `cors()` (test/apps.ts), served by @hono/node-server. */
export const honoHarness: ConformanceHarness = {
  name: 'hono',
  start: (options: CorsOptions) => serveFetch(honoApp(options).fetch),
};
