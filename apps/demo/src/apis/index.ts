import { startExpressApi } from './express.js';
import { startFastifyApi } from './fastify.js';
import { startFetchApi } from './fetch.js';
import { startH3Api } from './h3.js';
import { startHapiApi } from './hapi.js';
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
  /** The adapter package it runs (every adapter package has an entry: checked by apps/browser-tests/test/adapters.test.ts). */
  readonly package: string;
}

/** Every adapter, in display order. */
export const ADAPTERS: readonly AdapterEntry[] = [
  { id: 'node', label: 'node:http', start: startNodeApi, package: '@preflight/cors-node' },
  { id: 'express', label: 'Express', start: startExpressApi, package: '@preflight/cors-node' },
  { id: 'fastify', label: 'Fastify', start: startFastifyApi, package: '@preflight/cors-fastify' },
  { id: 'koa', label: 'Koa', start: startKoaApi, package: '@preflight/cors-koa' },
  { id: 'nest-express', label: 'NestJS (Express)', start: startNestExpressApi, package: '@preflight/cors-nestjs' },
  { id: 'nest-fastify', label: 'NestJS (Fastify)', start: startNestFastifyApi, package: '@preflight/cors-nestjs' },
  { id: 'hono', label: 'Hono', start: startHonoApi, package: '@preflight/cors-fetch' },
  { id: 'fetch', label: 'Fetch handler', start: startFetchApi, package: '@preflight/cors-fetch' },
  { id: 'hapi', label: 'hapi', start: startHapiApi, package: '@preflight/cors-hapi' },
  { id: 'h3', label: 'h3', start: startH3Api, package: '@preflight/cors-h3' },
];

export { startExpressApi, startFastifyApi, startFetchApi, startH3Api, startHapiApi, startHonoApi, startKoaApi, startNestExpressApi, startNestFastifyApi, startNodeApi };
export * from './shared.js';
