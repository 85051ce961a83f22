/**
 * The in-process frameworks. Each one's module under `drivers/` turns a CORS layer into "handle this request" in
 * that framework's calling convention, every side over the same objects, application and per-request bookkeeping.
 */
import type { Case } from '../config.js';
import { floorAnswer, type Driver, type Side, type SideBuilders } from './drivers/shared.js';

export { checkOutcome, handleBatch, hasFloor, prepareBatch } from './drivers/shared.js';
export type { Driver, Outcome, Side } from './drivers/shared.js';

/** The in-process frameworks, in report order. */
export const FRAMEWORKS = ['node', 'fastify', 'koa', 'fetch', 'hono', 'nest-express', 'nest-fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
/** Every side, in report order. */
export const SIDE_ORDER: readonly Side[] = ['incumbent', 'ours', 'core', 'floor', 'minimum', 'baseline'];

interface InProcessFramework {
  /** The incumbent's name for reports; absent when the framework has none (the report shows "—"). */
  readonly incumbent?: string;
  readonly ours: string;
  /** The sides measured (floor and minimum only where a case has one: `hasFloor`). */
  readonly sides: readonly Side[];
  readonly builders: () => Promise<SideBuilders>;
}

const SIDES: readonly Side[] = ['incumbent', 'ours', 'floor', 'minimum', 'baseline'];

/**
 * Every framework has a floor and a baseline (test/inprocess.test.ts). A driver module is imported on first use, so
 * that a group's process loads only its own framework: loading them all (NestJS, Hono, Express…) made the Fastify
 * and Koa stand-ins' promise-based paths 2–3× slower in every row, the baseline included.
 */
export const IN_PROCESS: Record<Framework, InProcessFramework> = {
  node: {
    incumbent: 'cors', ours: '@preflight/cors-node', sides: SIDE_ORDER,
    builders: async () => (await import('./drivers/node.js')).nodeSides,
  },
  fastify: {
    incumbent: '@fastify/cors', ours: '@preflight/cors-fastify', sides: SIDES,
    builders: async () => (await import('./drivers/fastify.js')).fastifySides,
  },
  koa: {
    incumbent: '@koa/cors', ours: '@preflight/cors-koa', sides: SIDES,
    builders: async () => (await import('./drivers/koa.js')).koaSides,
  },
  fetch: {
    ours: 'withCors() of @preflight/cors-fetch', sides: ['ours', 'floor', 'minimum', 'baseline'],
    builders: async () => (await import('./drivers/fetch.js')).fetchSides,
  },
  hono: {
    incumbent: 'hono/cors', ours: 'cors() of @preflight/cors-fetch', sides: SIDES,
    builders: async () => (await import('./drivers/hono.js')).honoSides,
  },
  'nest-express': {
    incumbent: 'enableCors() (cors)', ours: 'CorsModule.forRoot()', sides: SIDES,
    builders: async () => (await import('./drivers/nest.js')).nestSides('express'),
  },
  'nest-fastify': {
    incumbent: 'enableCors() (@fastify/cors)', ours: 'CorsModule.forRoot()', sides: SIDES,
    builders: async () => (await import('./drivers/nest.js')).nestSides('fastify'),
  },
};

/** Build the driver of one side of one framework for a case; undefined when that side does not apply. */
export async function createDriver(framework: Framework, side: Side, c: Case): Promise<Driver | undefined> {
  const builders = await IN_PROCESS[framework].builders();
  if (side !== 'floor' && side !== 'minimum') return builders[side]?.(c);
  const answer = floorAnswer(c);
  return answer === undefined ? undefined : builders.floor(answer, side === 'minimum');
}
