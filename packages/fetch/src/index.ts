/**
 * @preflight/cors-fetch — CORS for the WHATWG Fetch API (`Request` → `Response`): Hono,
 * Cloudflare Workers, Deno, Bun, Next.js route handlers, and anything else built on it.
 *
 * Every decision is made by `@preflight/cors-core`; this package reads four request headers,
 * answers preflights with a new `Response`, and sets the CORS headers on the responses your
 * code returns (copying those whose headers are immutable).
 *
 * - `withCors(options, handler)`: wrap a fetch handler.
 * - `createCors(options)`: compile once, then `wrap`, `handle`, or `decide` / `preflight` / `apply`.
 * - `cors(options)`: Hono middleware, in place of `hono/cors`.
 *
 * @packageDocumentation
 */
export { createCors, withCors } from './fetch.js';
export type { FetchCors, FetchCorsSettings, FetchHandler } from './fetch.js';
export { cors } from './hono.js';
export type { HonoContextLike, HonoCorsMiddleware } from './hono.js';
export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsRefusal, CorsRequest } from '@preflight/cors-core';
