/**
 * The servers of the server benchmark. Run as a child process:
 *   tsx --conditions=@preflight/source src/server/apps.ts <framework> <variant>
 * listens on 127.0.0.1 (a free port) and prints `READY <port>` once it accepts connections.
 *
 * Every server answers `GET /api/items` with `{"ok":true}` in its framework's usual way;
 * the variants differ only in the CORS layer: none (`bare`), the incumbent, or ours, all
 * with the same settings (`SERVER_OPTIONS`).
 */
import 'reflect-metadata';
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
import type { CorsOptions } from '@preflight/cors-core';
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
import { COMMON, originList, PATH } from '../config.js';

export const SERVER_FRAMEWORKS = ['node', 'express', 'fastify', 'koa', 'nest-express', 'nest-fastify', 'hono', 'hapi', 'h3'] as const;
export type ServerFramework = (typeof SERVER_FRAMEWORKS)[number];
/** `floor`: bare plus the three headers of the allowed answer, written by hand (no CORS logic). */
export const VARIANTS = ['bare', 'floor', 'incumbent', 'ours'] as const;
export type Variant = (typeof VARIANTS)[number];

/** What each server allows: 10 origins (the request uses the last), credentials, max-age. */
const ORIGINS = originList(10);
const METHODS = COMMON.methods.join(',');
const BODY = '{"ok":true}';

const oursOptions = { origin: ORIGINS, credentials: COMMON.credentials, methods: [...COMMON.methods], maxAge: COMMON.maxAge };
const corsOptions = { origin: ORIGINS, credentials: COMMON.credentials, methods: METHODS, maxAge: COMMON.maxAge };

/** The incumbent of each framework, by name (for reports). */
export const SERVER_INCUMBENT: Record<ServerFramework, string> = {
  node: 'cors',
  express: 'cors',
  fastify: '@fastify/cors',
  koa: '@koa/cors',
  'nest-express': 'enableCors() (cors)',
  'nest-fastify': 'enableCors() (@fastify/cors)',
  hono: 'hono/cors',
  hapi: "hapi's route cors option",
  h3: "h3's handleCors",
};
export const SERVER_OURS: Record<ServerFramework, string> = {
  node: 'withCors()',
  express: 'cors() of @preflight/cors-node',
  fastify: '@preflight/cors-fastify',
  koa: '@preflight/cors-koa',
  'nest-express': 'CorsModule.forRoot()',
  'nest-fastify': 'CorsModule.forRoot()',
  hono: 'cors() of @preflight/cors-fetch',
  hapi: '@preflight/cors-hapi',
  h3: '@preflight/cors-h3',
};
/** The adapter package each server runs as `ours` (every adapter package has one: test/servers.test.ts). */
export const SERVER_PACKAGE: Record<ServerFramework, string> = {
  node: '@preflight/cors-node',
  express: '@preflight/cors-node',
  fastify: '@preflight/cors-fastify',
  koa: '@preflight/cors-koa',
  'nest-express': '@preflight/cors-nestjs',
  'nest-fastify': '@preflight/cors-nestjs',
  hono: '@preflight/cors-fetch',
  hapi: '@preflight/cors-hapi',
  h3: '@preflight/cors-h3',
};

function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * The floor: what any correct layer must add to a simple allowed response here — the three
 * headers of the answer, set by hand, with no decision (the origin is the one the load test
 * sends). Bare ÷ floor is the cost of sending the headers themselves.
 */
const FLOOR_HEADERS: readonly (readonly [string, string])[] = [
  ['access-control-allow-origin', ORIGINS.at(-1)!],
  ['access-control-allow-credentials', 'true'],
  ['vary', 'Origin'],
];

function writeFloor(res: { setHeader(name: string, value: string): unknown }): void {
  for (const [name, value] of FLOOR_HEADERS) res.setHeader(name, value);
}

function nodeHandler(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'GET' && req.url === PATH) {
    res.setHeader('Content-Type', 'application/json');
    res.end(BODY);
    return;
  }
  res.statusCode = 404;
  res.end();
}

async function startNode(variant: Variant): Promise<Server> {
  if (variant === 'bare') return listen(createServer(nodeHandler));
  if (variant === 'floor') {
    return listen(
      createServer((req, res) => {
        writeFloor(res);
        nodeHandler(req, res);
      }),
    );
  }
  if (variant === 'ours') return listen(createServer(withCors(oursOptions, nodeHandler)));
  // What a `cors` user writes for node:http: the middleware with a hand-written `next`.
  const middleware = corsIncumbent(corsOptions);
  return listen(
    createServer((req, res) => {
      middleware(req, res, (err?: unknown) => {
        if (err !== undefined) {
          res.statusCode = 500;
          res.end();
          return;
        }
        nodeHandler(req, res);
      });
    }),
  );
}

async function startExpress(variant: Variant): Promise<Server> {
  const app = express();
  if (variant === 'incumbent') app.use(corsIncumbent(corsOptions));
  if (variant === 'ours') app.use(oursNode(oursOptions));
  if (variant === 'floor') {
    app.use((_req, res, next) => {
      writeFloor(res);
      next();
    });
  }
  app.get(PATH, (_req, res) => res.json({ ok: true }));
  return listen(createServer(app));
}

async function startFastify(variant: Variant): Promise<Server> {
  const app = Fastify({ logger: false });
  if (variant === 'incumbent') await app.register(fastifyCors, corsOptions);
  if (variant === 'ours') await app.register(oursFastify, oursOptions);
  if (variant === 'floor') {
    app.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of FLOOR_HEADERS) reply.header(name, value);
      done();
    });
  }
  app.get(PATH, async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

async function startKoa(variant: Variant): Promise<Server> {
  const app = new Koa();
  if (variant === 'incumbent') {
    // @koa/cors has no list option: the usual function of the context (as in-process).
    app.use(
      koaCors({
        origin: (ctx) => {
          const origin = ctx.get('Origin');
          return ORIGINS.includes(origin) ? origin : '';
        },
        credentials: COMMON.credentials,
        allowMethods: METHODS,
        maxAge: COMMON.maxAge,
      }) as unknown as Koa.Middleware,
    );
  }
  if (variant === 'ours') app.use(oursKoa(oursOptions) as unknown as Koa.Middleware);
  if (variant === 'floor') {
    app.use((ctx, next) => {
      writeFloor(ctx.res);
      return next();
    });
  }
  app.use((ctx) => {
    if (ctx.method === 'GET' && ctx.path === PATH) ctx.body = { ok: true };
  });
  return listen(createServer(app.callback()));
}

@Controller('api')
class ItemsController {
  @Get('items')
  items(): { ok: boolean } {
    return { ok: true };
  }
}

/** The same route, also answering OPTIONS (in-process: a bare app then runs the route for a preflight, as the stand-in frameworks' baselines do). */
@Controller('api')
class ItemsAndOptionsController extends ItemsController {
  @Options('items')
  options(): { ok: boolean } {
    return { ok: true };
  }
}

/**
 * The CORS layer of a NestJS application: none, ours (`CorsModule.forRoot`), the incumbent
 * (`app.enableCors`), or a hand-written floor (an Express middleware on the Express platform,
 * an `onRequest` hook on the Fastify one).
 */
export type NestLayer =
  | { readonly kind: 'bare' }
  | { readonly kind: 'ours'; readonly options: CorsOptions }
  | { readonly kind: 'incumbent'; readonly options: object }
  | { readonly kind: 'floor'; readonly express: (req: IncomingMessage, res: ServerResponse, next: () => void) => void; readonly fastify: FastifyOnRequest };

/** The parts of a Fastify reply a floor hook uses (NestJS's Fastify platform pins its own Fastify, whose types differ). */
export interface FastifyReplyLike {
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  code(status: number): { send(): unknown };
}
/** A callback-style Fastify `onRequest` hook. */
export type FastifyOnRequest = (request: unknown, reply: FastifyReplyLike, done: () => void) => void;

/**
 * A NestJS application (logger off) with the benchmark's one controller and `layer`, created
 * but not initialized: call `app.init()` (in-process) or `app.listen()`. `routes`: whether
 * the route answers OPTIONS too.
 */
export async function createNestApp(platform: 'express' | 'fastify', layer: NestLayer, routes: 'get' | 'get-and-options' = 'get'): Promise<INestApplication> {
  const imports: DynamicModule[] = layer.kind === 'ours' ? [CorsModule.forRoot(layer.options)] : [];
  @Module({ imports, controllers: [routes === 'get' ? ItemsController : ItemsAndOptionsController] })
  class AppModule {}
  const app = await NestFactory.create(AppModule as Type, platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  if (layer.kind === 'incumbent') app.enableCors(layer.options);
  if (layer.kind === 'floor') {
    if (platform === 'express') app.use(layer.express);
    else (app.getHttpAdapter() as FastifyAdapter).getInstance().addHook('onRequest', layer.fastify as never);
  }
  return app;
}

async function startNest(variant: Variant, platform: 'express' | 'fastify'): Promise<Server> {
  const layer: NestLayer =
    variant === 'ours' ? { kind: 'ours', options: oursOptions }
    : variant === 'incumbent' ? { kind: 'incumbent', options: corsOptions }
    : variant === 'floor' ?
      {
        kind: 'floor',
        express: (_req, res, next) => {
          writeFloor(res);
          next();
        },
        fastify: (_request, reply, done) => {
          for (const [name, value] of FLOOR_HEADERS) reply.header(name, value);
          done();
        },
      }
    : { kind: 'bare' };
  const app = await createNestApp(platform, layer);
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer() as Server;
}

async function startHono(variant: Variant): Promise<Server> {
  const app = new Hono();
  if (variant === 'incumbent') app.use(honoCorsIncumbent({ origin: ORIGINS, credentials: COMMON.credentials, allowMethods: [...COMMON.methods], maxAge: COMMON.maxAge }));
  if (variant === 'ours') app.use(oursHono(oursOptions));
  if (variant === 'floor') {
    app.use(async (c, next) => {
      await next();
      for (const [name, value] of FLOOR_HEADERS) c.res.headers.set(name, value);
    });
  }
  app.get(PATH, (c) => c.json({ ok: true }));
  return listen(createAdaptorServer({ fetch: app.fetch }) as Server);
}

async function startHapi(variant: Variant): Promise<Server> {
  // hapi's own CORS is a route option; the server-wide default applies it to every route.
  const routes = variant === 'incumbent' ? { cors: { origin: [...ORIGINS], credentials: COMMON.credentials, maxAge: COMMON.maxAge } } : {};
  const server = Hapi.server({ host: '127.0.0.1', port: 0, debug: false, routes });
  if (variant === 'ours') await server.register({ plugin: oursHapi, options: oursOptions });
  if (variant === 'floor') {
    server.ext('onPreResponse', (request, h) => {
      const response = request.response;
      if (!(response instanceof Error)) for (const [name, value] of FLOOR_HEADERS) response.header(name, value);
      return h.continue;
    });
  }
  server.route({ method: 'GET', path: PATH, handler: () => ({ ok: true }) });
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
  if (variant === 'ours') app.use(oursH3(oursOptions));
  if (variant === 'floor') {
    app.use((event) => {
      for (const [name, value] of FLOOR_HEADERS) event.res.headers.set(name, value);
    });
  }
  app.get(PATH, () => ({ ok: true }));
  return listen(createServer(toNodeHandler(app)));
}

/** Start one server on 127.0.0.1 (a free port); resolves with its port. */
export async function startServer(framework: ServerFramework, variant: Variant): Promise<number> {
  return ((await startHttpServer(framework, variant)).address() as AddressInfo).port;
}

/** Start one server on 127.0.0.1 (a free port); resolves with the listening node:http server. */
export function startHttpServer(framework: ServerFramework, variant: Variant): Promise<Server> {
  switch (framework) {
    case 'node':
      return startNode(variant);
    case 'express':
      return startExpress(variant);
    case 'fastify':
      return startFastify(variant);
    case 'koa':
      return startKoa(variant);
    case 'nest-express':
      return startNest(variant, 'express');
    case 'nest-fastify':
      return startNest(variant, 'fastify');
    case 'hono':
      return startHono(variant);
    case 'hapi':
      return startHapi(variant);
    case 'h3':
      return startH3(variant);
  }
}

// Entry point when run as the child process.
if (process.argv[1] !== undefined && process.argv[1].endsWith('apps.ts')) {
  const [framework, variant] = process.argv.slice(2) as [ServerFramework, Variant];
  if (!SERVER_FRAMEWORKS.includes(framework) || !VARIANTS.includes(variant)) {
    console.error(`usage: apps.ts <${SERVER_FRAMEWORKS.join('|')}> <${VARIANTS.join('|')}>`);
    process.exit(2);
  }
  const port = await startServer(framework, variant);
  // Exit cleanly on SIGTERM, so that `node --cpu-prof` writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.stdout.write(`READY ${port}\n`);
}
