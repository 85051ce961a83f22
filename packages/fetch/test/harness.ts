import type { ConformanceHarness } from '@preflight/cors-conformance';
import type { CorsOptions } from '@preflight/cors-fetch';
import { fetchApp, honoApp } from './apps.js';
import { serveFetch } from './helpers.js';

/**
 * `withCors(options, handler)` (test/apps.ts), served as is, with Node's native
 * Request/Response (as in Deno, Bun, Workers), by `@hono/node-server` over HTTP/1.1 and
 * HTTP/2 without TLS.
 */
export const harness: ConformanceHarness = {
  name: 'fetch handler (withCors)',
  protocols: ['http/1.1', 'h2c'],
  start: (options: CorsOptions, { protocol = 'http/1.1' } = {}) => serveFetch(fetchApp(options), true, protocol),
};

/** Hono 4 with `cors()` (test/apps.ts), on `@hono/node-server` over HTTP/1.1 and HTTP/2 without TLS. */
export const honoHarness: ConformanceHarness = {
  name: 'hono',
  protocols: ['http/1.1', 'h2c'],
  start: (options: CorsOptions, { protocol = 'http/1.1' } = {}) => serveFetch(honoApp(options).fetch, false, protocol),
};
