// The in-process frameworks. Each one's module under `drivers/` turns a CORS layer into "handle this request" in that
// framework's calling convention, every side over the same objects, application and per-request bookkeeping.
import type { Case } from '../config.js';
import { floorAnswer, hasFloor, type Driver, type Side, type SideBuilders } from './drivers/shared.js';

export { checkOutcome, handleBatch, hasFloor, prepareBatch } from './drivers/shared.js';
export type { Driver, Outcome, Side } from './drivers/shared.js';

/** The in-process frameworks, in report order. */
export const FRAMEWORKS = ['node', 'fastify', 'koa', 'fetch', 'hono', 'nest-express', 'nest-fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
/** Every side, in report order. */
export const SIDE_ORDER: readonly Side[] = ['incumbent', 'ours', 'core', 'floor', 'minimum', 'baseline'];
const SIDES: readonly Side[] = ['incumbent', 'ours', 'floor', 'minimum', 'baseline'];

/** Each framework's layers as reports name them (no incumbent: "—"), and its sides (test/inprocess.test.ts). */
export const IN_PROCESS: Record<Framework, { readonly incumbent?: string; readonly ours: string; readonly sides: readonly Side[] }> = {
  node: { incumbent: 'cors', ours: '@preflight/cors-node', sides: SIDE_ORDER },
  fastify: { incumbent: '@fastify/cors', ours: '@preflight/cors-fastify', sides: SIDES },
  koa: { incumbent: '@koa/cors', ours: '@preflight/cors-koa', sides: SIDES },
  fetch: { ours: 'withCors() of @preflight/cors-fetch', sides: ['ours', 'floor', 'minimum', 'baseline'] },
  hono: { incumbent: 'hono/cors', ours: 'cors() of @preflight/cors-fetch', sides: SIDES },
  'nest-express': { incumbent: 'enableCors() (cors)', ours: 'CorsModule.forRoot()', sides: SIDES },
  'nest-fastify': { incumbent: 'enableCors() (@fastify/cors)', ours: 'CorsModule.forRoot()', sides: SIDES },
};

export const sidesOf = (framework: Framework, c: Case): Side[] =>
  IN_PROCESS[framework].sides.filter((side) => (side !== 'floor' && side !== 'minimum') || hasFloor(c));

/**
 * Each framework's driver module, imported on first use, so that a group's process loads only its own framework:
 * loading them all (NestJS, Hono, Express…) made the promise-based paths of the Fastify (then a stand-in) and Koa
 * drivers 2–3× slower in every row, the baseline included.
 */
const BUILDERS: Record<Framework, () => Promise<SideBuilders>> = {
  node: async () => (await import('./drivers/node.js')).nodeSides,
  fastify: async () => (await import('./drivers/fastify.js')).fastifySides,
  koa: async () => (await import('./drivers/koa.js')).koaSides,
  fetch: async () => (await import('./drivers/fetch.js')).fetchSides,
  hono: async () => (await import('./drivers/hono.js')).honoSides,
  'nest-express': async () => (await import('./drivers/nest.js')).nestSides('express'),
  'nest-fastify': async () => (await import('./drivers/nest.js')).nestSides('fastify'),
};

/** Build the driver of one side of one framework for a case (a side of `sidesOf`). */
export async function createDriver(framework: Framework, side: Side, c: Case): Promise<Driver> {
  const builders = await BUILDERS[framework]();
  if (side === 'floor' || side === 'minimum') return builders.floor(floorAnswer(c), side === 'minimum', c);
  return builders[side]!(c);
}
