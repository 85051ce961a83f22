import { startExpressApi } from './express.js';
import { startFastifyApi } from './fastify.js';
import { startFetchApi } from './fetch.js';
import { startHonoApi } from './hono.js';
import { startKoaApi } from './koa.js';
import { startNestExpressApi, startNestFastifyApi } from './nest.js';
import { startNodeApi } from './node.js';
import type { AdapterId, StartApi } from './shared.js';

/** One adapter the demo runs. */
export interface AdapterEntry {
  readonly id: AdapterId;
  readonly label: string;
  readonly start: StartApi;
}

/** Every adapter, in display order. */
export const ADAPTERS: readonly AdapterEntry[] = [
  { id: 'node', label: 'node:http', start: startNodeApi },
  { id: 'express', label: 'Express', start: startExpressApi },
  { id: 'fastify', label: 'Fastify', start: startFastifyApi },
  { id: 'koa', label: 'Koa', start: startKoaApi },
  { id: 'nest-express', label: 'NestJS (Express)', start: startNestExpressApi },
  { id: 'nest-fastify', label: 'NestJS (Fastify)', start: startNestFastifyApi },
  { id: 'hono', label: 'Hono', start: startHonoApi },
  { id: 'fetch', label: 'Fetch handler', start: startFetchApi },
];

export { startExpressApi, startFastifyApi, startFetchApi, startHonoApi, startKoaApi, startNestExpressApi, startNestFastifyApi, startNodeApi };
export * from './shared.js';
