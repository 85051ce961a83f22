/**
 * In-process drivers: each one turns a CORS layer (an incumbent, ours, or a reference layer)
 * into "handle this request" in its framework's own calling convention, one module per
 * framework under `drivers/`:
 * - node: a Connect/Express `(req, res, next)` middleware over shared stub objects;
 * - fastify: the hooks a plugin registers, run in Fastify's order over a minimal Request/Reply;
 * - koa: a Koa middleware over a real Koa context built on the stubs;
 * - fetch: a Fetch API handler over real `Request` / `Response` objects;
 * - hono: a real Hono app, `app.fetch(request)`;
 * - nest-express, nest-fastify: real NestJS applications through their HTTP server's request
 *   listener, real `IncomingMessage` / `ServerResponse` over an in-memory socket.
 *
 * Every side of a framework gets the same objects, the same application and the same
 * per-request bookkeeping.
 */
import type { Case } from '../config.js';
import type { Driver, Side } from './drivers/shared.js';

export { checkOutcome, hasFloor, oursOptions } from './drivers/shared.js';
export type { Driver, Outcome, Side } from './drivers/shared.js';

/** The in-process frameworks, in report order. */
export const FRAMEWORKS = ['node', 'fastify', 'koa', 'fetch', 'hono', 'nest-express', 'nest-fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** The incumbent's name per framework, for reports; no entry when the framework has none (show "—"). */
export const INCUMBENT: Partial<Record<Framework, string>> = {
  node: 'cors',
  fastify: '@fastify/cors',
  koa: '@koa/cors',
  hono: 'hono/cors',
  'nest-express': 'enableCors() (cors)',
  'nest-fastify': 'enableCors() (@fastify/cors)',
};

/** Our layer's name per framework, for reports. */
export const OURS: Record<Framework, string> = {
  node: '@preflight/cors-node',
  fastify: '@preflight/cors-fastify',
  koa: '@preflight/cors-koa',
  fetch: 'withCors() of @preflight/cors-fetch',
  hono: 'cors() of @preflight/cors-fetch',
  'nest-express': 'CorsModule.forRoot()',
  'nest-fastify': 'CorsModule.forRoot()',
};

/**
 * The sides measured per framework (the floor only where a case has one fixed answer:
 * `hasFloor`). Every framework has a floor and a baseline (test/inprocess.test.ts).
 */
export const SIDES: Record<Framework, readonly Side[]> = {
  node: ['incumbent', 'ours', 'core', 'floor', 'baseline'],
  fastify: ['incumbent', 'ours', 'floor', 'baseline'],
  koa: ['incumbent', 'ours', 'floor', 'baseline'],
  fetch: ['ours', 'floor', 'baseline'],
  hono: ['incumbent', 'ours', 'floor', 'baseline'],
  'nest-express': ['incumbent', 'ours', 'floor', 'baseline'],
  'nest-fastify': ['incumbent', 'ours', 'floor', 'baseline'],
};

/**
 * Build the driver of one side of one framework for a case; undefined when that side does not
 * apply to the case. Each framework's module is imported on first use, so a group's process
 * loads only its own framework: loading them all (NestJS, Hono, Express…) made the Fastify and
 * Koa stand-ins' promise-based paths 2–3× slower in every row, the baseline included.
 */
export async function createDriver(framework: Framework, side: Side, c: Case): Promise<Driver | undefined> {
  switch (framework) {
    case 'node':
      return (await import('./drivers/node.js')).nodeSide(side, c);
    case 'fastify':
      return (await import('./drivers/fastify.js')).fastifySide(side, c);
    case 'koa':
      return (await import('./drivers/koa.js')).koaSide(side, c);
    case 'fetch':
      return (await import('./drivers/fetch.js')).fetchSide(side, c);
    case 'hono':
      return (await import('./drivers/hono.js')).honoSide(side, c);
    case 'nest-express':
      return (await import('./drivers/nest.js')).nestSide('express', side, c);
    case 'nest-fastify':
      return (await import('./drivers/nest.js')).nestSide('fastify', side, c);
  }
}
