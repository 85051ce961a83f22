// The servers of the server parts: `GET /api/items` answered with `{"ok":true}` in each framework's usual way, the variants
// differing only in the CORS layer. `apps.ts <framework> <variant>` listens on a free port and prints `READY <port>`.
import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import corsIncumbent from 'cors';
import express from 'express';
import Fastify from 'fastify';
import fastifyCors from '@fastify/cors';
import Koa from 'koa';
import koaCors from '@koa/cors';
import { Controller, Get, Module, Options, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { cors as oursNode, withCors } from '@preflight/cors-node';
import oursFastify from '@preflight/cors-fastify';
import { cors as oursKoa } from '@preflight/cors-koa';
import { CorsModule } from '@preflight/cors-nestjs';
import Hapi from '@hapi/hapi';
import { cors as oursHapi } from '@preflight/cors-hapi';
import { H3, handleCors } from 'h3';
import { toNodeHandler } from 'h3/node';
import { cors as oursH3 } from '@preflight/cors-h3';
import { Hono } from 'hono';
import { cors as honoCorsIncumbent } from 'hono/cors';
import { createAdaptorServer } from '@hono/node-server';
import { cors as oursHono } from '@preflight/cors-fetch';
import {
  BODY, caseById, COMMON, corsOptions, fastifyCorsOptions, honoCorsOptions, koaCorsOptions, originList, oursOptions, PATH, PREFLIGHT_METHOD,
  type Case,
} from '../config.js';
import {
  checkOutcome, floorAnswer, floorHook, floorKoa, floorMiddleware, readFetch, readRecord, type Outcome,
} from '../inprocess/drivers/shared.js';
import { writeAnswerHeaders } from '../inprocess/drivers/fetch.js';

/** `floor`: bare plus the allowed answer's headers written by hand; `minimum`: plus what the framework makes a layer do. */
export const VARIANTS = ['bare', 'floor', 'minimum', 'incumbent', 'ours'] as const;
export type Variant = (typeof VARIANTS)[number];
export type Kind = 'simple' | 'preflight';
export const KINDS: readonly Kind[] = ['simple', 'preflight'];
/** The variants measured per kind of request (both server parts): a bare framework, and so the floor, does not answer preflights. */
export const KIND_VARIANTS: Record<Kind, readonly Variant[]> = { simple: VARIANTS, preflight: ['incumbent', 'ours'] };
const isFloor = (variant: Variant): variant is 'floor' | 'minimum' => variant === 'floor' || variant === 'minimum';

/** Every server allows the 10 origins of `simple-10`; the requests come from the last. */
const SIMPLE = caseById('simple-10');
const OURS_OPTIONS = oursOptions(SIMPLE);
const CORS_OPTIONS = corsOptions(SIMPLE);
const ORIGINS = originList(10);
const ORIGIN = ORIGINS.at(-1)!;
/** The request of each kind (node:http and autocannon add `host` and `connection`). */
export const REQUESTS: Record<Kind, { readonly method: string; readonly headers: Readonly<Record<string, string>> }> = {
  simple: { method: 'GET', headers: { origin: ORIGIN } },
  preflight: {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': PREFLIGHT_METHOD, 'access-control-request-headers': 'content-type,x-request-id' },
  },
};

/** What is wrong with a variant's answer (`checkOutcome`; bare: no CORS headers), checked by both server parts before timing. */
export const answerProblem = (variant: Variant, kind: Kind, outcome: Outcome): string | undefined =>
  checkOutcome(variant === 'bare' ? 'not-cors' : kind === 'simple' ? 'allowed' : 'preflight-allowed', ORIGIN, outcome);

async function listen(server: Server): Promise<Server> {
  await once(server.listen(0, '127.0.0.1'), 'listening');
  return server;
}

/** The answer the floor and the minimum write (README, part 3, for what the minimum adds in each framework). */
const ANSWER = floorAnswer(SIMPLE);

function nodeHandler(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'GET' && req.url === PATH) {
    res.setHeader('Content-Type', 'application/json');
    res.end(BODY);
    return;
  }
  res.statusCode = 404;
  res.end();
}

function nodeListener(variant: Variant): (req: IncomingMessage, res: ServerResponse) => void {
  if (variant === 'bare') return nodeHandler;
  if (variant === 'ours') return withCors(OURS_OPTIONS, nodeHandler);
  if (isFloor(variant)) {
    const floor = floorMiddleware(ANSWER, variant === 'minimum');
    return (req, res) => floor(req, res, () => nodeHandler(req, res));
  }
  // What a `cors` user writes for node:http: the middleware with a hand-written `next`.
  const middleware = corsIncumbent(CORS_OPTIONS);
  return (req, res) => {
    middleware(req, res, (err?: unknown) => {
      if (err === undefined) return nodeHandler(req, res);
      res.statusCode = 500;
      res.end();
    });
  };
}

async function startExpress(variant: Variant): Promise<Server> {
  const app = express();
  if (variant === 'incumbent') app.use(corsIncumbent(CORS_OPTIONS));
  if (variant === 'ours') app.use(oursNode(OURS_OPTIONS));
  if (isFloor(variant)) app.use(floorMiddleware(ANSWER, variant === 'minimum'));
  app.get(PATH, (_req, res) => res.json({ ok: true }));
  return listen(createServer(app));
}

async function startFastify(variant: Variant): Promise<Server> {
  const app = Fastify({ logger: false });
  if (variant === 'incumbent') await app.register(fastifyCors, fastifyCorsOptions(SIMPLE));
  if (variant === 'ours') await app.register(oursFastify, OURS_OPTIONS);
  if (isFloor(variant)) app.addHook('onRequest', floorHook(ANSWER, variant === 'minimum') as never);
  app.get(PATH, async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

async function startKoa(variant: Variant): Promise<Server> {
  const app = new Koa();
  if (variant === 'incumbent') app.use(koaCors(koaCorsOptions(SIMPLE)));
  if (variant === 'ours') app.use(oursKoa(OURS_OPTIONS));
  if (isFloor(variant)) app.use(floorKoa(ANSWER, variant === 'minimum'));
  app.use((ctx) => {
    if (ctx.method === 'GET' && ctx.path === PATH) ctx.body = { ok: true };
  });
  return listen(createServer(app.callback()));
}

@Controller('api')
class ItemsController {
  @Get('items')
  items(): { ok: boolean } { return { ok: true }; }
}

/** Also answering OPTIONS (in-process: a bare app runs the route for a preflight, as in the other in-process drivers). */
@Controller('api')
class ItemsAndOptionsController extends ItemsController {
  @Options('items')
  options(): { ok: boolean } { return { ok: true }; }
}

/** A NestJS application with the CORS layer of `variant` configured for `c`, not initialized: `app.init()` or `app.listen()`. */
export async function createNestApp(
  platform: 'express' | 'fastify', variant: Variant, c: Case, routes: 'get' | 'get-and-options' = 'get',
): Promise<INestApplication> {
  const imports: DynamicModule[] = variant === 'ours' ? [CorsModule.forRoot(oursOptions(c))] : [];
  @Module({ imports, controllers: [routes === 'get' ? ItemsController : ItemsAndOptionsController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule as Type, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  if (variant === 'incumbent') app.enableCors(platform === 'express' ? corsOptions(c) : fastifyCorsOptions(c));
  if (isFloor(variant)) {
    const floor = [floorAnswer(c), variant === 'minimum'] as const;
    if (platform === 'express') app.use(floorMiddleware(...floor));
    else (app.getHttpAdapter() as FastifyAdapter).getInstance().addHook('onRequest', floorHook(...floor) as never);
  }
  return app;
}

async function startNest(variant: Variant, platform: 'express' | 'fastify'): Promise<Server> {
  const app = await createNestApp(platform, variant, SIMPLE);
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer() as Server;
}

async function startHono(variant: Variant): Promise<Server> {
  const app = new Hono();
  if (variant === 'incumbent') app.use(honoCorsIncumbent(honoCorsOptions(SIMPLE)));
  if (variant === 'ours') app.use(oursHono(OURS_OPTIONS));
  if (isFloor(variant)) {
    app.use(async (c, next) => {
      // The minimum reads Origin where our adapter does: @hono/node-server's IncomingMessage.
      if (variant === 'minimum') readRecord((c.env as { incoming: IncomingMessage }).incoming.headers, false);
      await next();
      writeAnswerHeaders(c.res.headers, ANSWER, variant === 'minimum');
    });
  }
  app.get(PATH, (c) => c.json({ ok: true }));
  return listen(createAdaptorServer({ fetch: app.fetch }) as Server);
}

async function startHapi(variant: Variant): Promise<Server> {
  // hapi's CORS is a route option (here the server-wide default). It cannot reflect the requested headers: the preflight's
  // are listed (its defaults have Content-Type, not X-Request-Id).
  const cors = { origin: [...ORIGINS], credentials: COMMON.credentials, maxAge: COMMON.maxAge, additionalHeaders: ['X-Request-Id'] };
  const routes = variant === 'incumbent' ? { cors } : {};
  const server = Hapi.server({ host: '127.0.0.1', port: 0, debug: false, routes });
  if (variant === 'ours') await server.register({ plugin: oursHapi, options: OURS_OPTIONS });
  if (variant === 'minimum') {
    server.ext('onRequest', (request, h) => {
      readRecord(request.headers, false);
      return h.continue;
    });
  }
  if (isFloor(variant)) {
    const headers = [...ANSWER.headers, ['vary', ANSWER.vary] as const];
    server.ext('onPreResponse', (request, h) => {
      const response = request.response;
      if (!(response instanceof Error)) for (const [name, value] of headers) response.header(name, value);
      return h.continue;
    });
  }
  // hapi answers a preflight only for a method a route serves (404 otherwise): every variant's route serves PUT too.
  server.route({ method: ['GET', PREFLIGHT_METHOD], path: PATH, handler: () => ({ ok: true }) });
  await server.start();
  return server.listener;
}

async function startH3(variant: Variant): Promise<Server> {
  const app = new H3();
  if (variant === 'incumbent') {
    // What h3's documentation shows: handleCors in a middleware, its answer returned for preflights.
    const options = { origin: [...ORIGINS], credentials: COMMON.credentials, methods: [...COMMON.methods], maxAge: String(COMMON.maxAge) };
    app.use((event) => {
      const answer = handleCors(event, options);
      if (answer !== false) return answer;
    });
  }
  if (variant === 'ours') app.use(oursH3(OURS_OPTIONS));
  if (isFloor(variant)) {
    app.use((event) => {
      if (variant === 'minimum') readFetch(event.req.headers, false);
      writeAnswerHeaders(event.res.headers, ANSWER, variant === 'minimum');
    });
  }
  app.get(PATH, () => ({ ok: true }));
  return listen(createServer(toNodeHandler(app)));
}

const NEST = '@preflight/cors-nestjs';
/** The server frameworks, in report order: the layers' names, the adapter package of `ours` (test/servers.test.ts), start. */
export const SERVERS = {
  node: { incumbent: 'cors', ours: 'withCors()', package: '@preflight/cors-node', start: (v) => listen(createServer(nodeListener(v))) },
  express: { incumbent: 'cors', ours: 'cors() of @preflight/cors-node', package: '@preflight/cors-node', start: startExpress },
  fastify: { incumbent: '@fastify/cors', ours: '@preflight/cors-fastify', package: '@preflight/cors-fastify', start: startFastify },
  koa: { incumbent: '@koa/cors', ours: '@preflight/cors-koa', package: '@preflight/cors-koa', start: startKoa },
  'nest-express': { incumbent: 'enableCors() (cors)', ours: 'CorsModule.forRoot()', package: NEST, start: (v) => startNest(v, 'express') },
  'nest-fastify': { incumbent: 'enableCors() (@fastify/cors)', ours: 'CorsModule.forRoot()', package: NEST, start: (v) => startNest(v, 'fastify') },
  hono: { incumbent: 'hono/cors', ours: 'cors() of @preflight/cors-fetch', package: '@preflight/cors-fetch', start: startHono },
  hapi: { incumbent: "hapi's route cors option", ours: '@preflight/cors-hapi', package: '@preflight/cors-hapi', start: startHapi },
  h3: { incumbent: "h3's handleCors", ours: '@preflight/cors-h3', package: '@preflight/cors-h3', start: startH3 },
} satisfies Record<string, { incumbent: string; ours: string; package: string; start: (variant: Variant) => Promise<Server> }>;
export type ServerFramework = keyof typeof SERVERS;
export const SERVER_FRAMEWORKS = Object.keys(SERVERS) as ServerFramework[];

if (process.argv[1]?.endsWith('apps.ts')) {
  const [framework, variant] = process.argv.slice(2) as [ServerFramework, Variant];
  if (!SERVER_FRAMEWORKS.includes(framework) || !VARIANTS.includes(variant)) {
    console.error(`usage: apps.ts <${SERVER_FRAMEWORKS.join('|')}> <${VARIANTS.join('|')}>`);
    process.exit(2);
  }
  const server = await SERVERS[framework].start(variant);
  // Exit cleanly on SIGTERM, so that `node --cpu-prof` writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
}
