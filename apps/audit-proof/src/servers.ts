// Real servers for the audit: every Preflight adapter and the incumbents (`cors`, `@fastify/cors`,
// `@koa/cors`, `hono/cors`), each on 127.0.0.1:0 with two routes: `GET /` and `GET /items`, which
// sets its own `Vary: Accept-Encoding` (as routes commonly do). Flask + flask-cors is in flask.ts.
import 'reflect-metadata';
import type { Server } from 'node:http';
import fastifyCors from '@fastify/cors';
import { createAdaptorServer } from '@hono/node-server';
import koaCors from '@koa/cors';
import { Controller, Get, Module, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { listen, type RunningServer } from '@preflight/cors-conformance';
import type { CorsOptions } from '@preflight/cors-core';
import preflightFastify from '@preflight/cors-fastify';
import { cors as preflightH3 } from '@preflight/cors-h3';
import { cors as preflightHapi } from '@preflight/cors-hapi';
import { cors as preflightHono, withCors as preflightFetch } from '@preflight/cors-fetch';
import { cors as preflightKoa } from '@preflight/cors-koa';
import { CorsModule } from '@preflight/cors-nestjs';
import { cors as preflightNode, withCors as preflightNodeHttp } from '@preflight/cors-node';
import expressCors from 'cors';
import express from 'express';
import Fastify from 'fastify';
import { H3 } from 'h3';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import Koa from 'koa';
// The adapters' own test servers (as apps/hardening uses them): hapi on 127.0.0.1:0, h3 on node:http.
import { createServer as createHapiServer, listen as listenHapi } from '../../../packages/hapi/test/harness.js';
import { listen as listenH3 } from '../../../packages/h3/test/harness.js';

export const ALLOWED = ['https://app.example.com', 'http://localhost:5173'];
export const PATHS = ['/', '/items'];

/** What every Preflight adapter gets: the allowed origins, credentials, a max-age. */
export const PREFLIGHT_OPTIONS: CorsOptions = { origin: ALLOWED, credentials: true, maxAge: 600 };

export type Start = () => Promise<RunningServer>;

const items = '[1,2,3]';

// ── Express (cors and @preflight/cors-node) ───────────────────────────────────
function expressApp(layer: express.RequestHandler): Start {
  return () => {
    const app = express();
    app.use(layer);
    app.get('/', (_req, res) => void res.send('ok'));
    app.get('/items', (_req, res) => {
      res.set('Vary', 'Accept-Encoding');
      res.type('json').send(items);
    });
    return listen(app);
  };
}

// ── node:http (@preflight/cors-node withCors) ────────────────────────────────
const nodeHttp: Start = () =>
  listen(
    preflightNodeHttp(PREFLIGHT_OPTIONS, (req, res) => {
      if (req.url === '/items') res.setHeader('Vary', 'Accept-Encoding');
      res.end(req.url === '/items' ? items : 'ok');
    }),
  );

// ── Fastify ───────────────────────────────────────────────────────────────────
function fastifyApp(register: (app: ReturnType<typeof Fastify>) => Promise<void>): Start {
  return async () => {
    const app = Fastify();
    await register(app);
    app.get('/', async () => 'ok');
    app.get('/items', async (_req, reply) => {
      reply.header('Vary', 'Accept-Encoding');
      return [1, 2, 3];
    });
    await app.ready();
    return listen(app.server);
  };
}

// ── Koa ───────────────────────────────────────────────────────────────────────
function koaApp(layer: Koa.Middleware): Start {
  return () => {
    const app = new Koa();
    app.use(layer);
    app.use((ctx) => {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
      if (ctx.path === '/') ctx.body = 'ok';
      if (ctx.path === '/items') {
        ctx.set('Vary', 'Accept-Encoding');
        ctx.body = [1, 2, 3];
      }
    });
    return listen(app.callback());
  };
}

// ── Hono and plain fetch handlers ────────────────────────────────────────────
function honoApp(layer: MiddlewareHandler): Start {
  return () => {
    const app = new Hono();
    app.use(layer);
    app.get('/', (c) => c.text('ok'));
    app.get('/items', (c) => {
      c.header('Vary', 'Accept-Encoding');
      return c.json([1, 2, 3]);
    });
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server);
  };
}

const fetchHandler: Start = () =>
  listen(
    createAdaptorServer({
      fetch: preflightFetch(PREFLIGHT_OPTIONS, (request) =>
        new URL(request.url).pathname === '/items' ? new Response(items, { headers: { 'content-type': 'application/json', vary: 'Accept-Encoding' } }) : new Response('ok'),
      ),
      overrideGlobalObjects: false,
    }) as Server,
  );

// ── hapi and h3 ──────────────────────────────────────────────────────────────
const hapi: Start = async () => {
  const server = createHapiServer();
  await server.register({ plugin: preflightHapi, options: PREFLIGHT_OPTIONS });
  server.route({ method: 'GET', path: '/', handler: () => 'ok' });
  server.route({ method: 'GET', path: '/items', handler: (_request, h) => h.response(items).type('application/json').header('Vary', 'Accept-Encoding') });
  return listenHapi(server);
};

const h3: Start = () => {
  const app = new H3();
  app.use(preflightH3(PREFLIGHT_OPTIONS));
  app.get('/', () => 'ok');
  app.get('/items', (event) => {
    event.res.headers.set('Vary', 'Accept-Encoding');
    return [1, 2, 3];
  });
  return listenH3(app);
};

// ── NestJS (Express platform), decorators applied as functions ───────────────
class ApiController {
  root(): string {
    return 'ok';
  }
  items(res: { setHeader(name: string, value: string): void }): number[] {
    res.setHeader('Vary', 'Accept-Encoding');
    return [1, 2, 3];
  }
}
Controller()(ApiController);
Get('/')(ApiController.prototype, 'root', Object.getOwnPropertyDescriptor(ApiController.prototype, 'root')!);
Get('/items')(ApiController.prototype, 'items', Object.getOwnPropertyDescriptor(ApiController.prototype, 'items')!);
Res({ passthrough: true })(ApiController.prototype, 'items', 0);

const nestjs: Start = async () => {
  class AppModule {}
  Module({ imports: [CorsModule.forRoot(PREFLIGHT_OPTIONS)], controllers: [ApiController] })(AppModule);
  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  await app.init();
  return listen(app.getHttpServer() as Server);
};

/** Every Preflight adapter, configured as `PREFLIGHT_OPTIONS`. */
export const preflightServers: Record<string, Start> = {
  'express (@preflight/cors-node)': expressApp(preflightNode(PREFLIGHT_OPTIONS)),
  'node:http (@preflight/cors-node withCors)': nodeHttp,
  'fastify (@preflight/cors-fastify)': fastifyApp((app) => app.register(preflightFastify, PREFLIGHT_OPTIONS)),
  'koa (@preflight/cors-koa)': koaApp(preflightKoa(PREFLIGHT_OPTIONS)),
  'hono (@preflight/cors-fetch)': honoApp(preflightHono(PREFLIGHT_OPTIONS)),
  'fetch handler (@preflight/cors-fetch withCors)': fetchHandler,
  'nestjs express (@preflight/cors-nestjs)': nestjs,
  'hapi (@preflight/cors-hapi)': hapi,
  'h3 (@preflight/cors-h3)': h3,
};

/** The package each Preflight server above runs (the name in its parentheses). */
export const preflightPackages = (): string[] => Object.keys(preflightServers).map((name) => /\((@preflight\/cors-[a-z0-9-]+)/.exec(name)?.[1] ?? name);

const allowedHeaders = ['Content-Type'];
const methods = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];

/**
 * The incumbents, each configured correctly (an origin list, credentials, listed headers) and as
 * the known flaws of docs/migration.md are usually met.
 */
export const incumbentServers: Record<string, Start> = {
  // cors 2.8
  'cors: origin list (correct)': expressApp(expressCors({ origin: ALLOWED, credentials: true, allowedHeaders, methods, maxAge: 600 })),
  'cors: origin: true + credentials': expressApp(expressCors({ origin: true, credentials: true })),
  'cors: unanchored RegExp': expressApp(expressCors({ origin: [/app\.example\.com$/, /^http:\/\/localhost:5173$/], credentials: true, allowedHeaders, methods })),
  'cors: origin callback': expressApp(expressCors({ origin: (origin, callback) => callback(null, origin !== undefined && ALLOWED.includes(origin)), credentials: true, allowedHeaders, methods })),
  // @fastify/cors 11
  '@fastify/cors: origin list (correct)': fastifyApp(async (app) => void (await app.register(fastifyCors, { origin: ALLOWED, credentials: true, allowedHeaders, methods, maxAge: 600 }))),
  "@fastify/cors: origin '*' + credentials": fastifyApp(async (app) => void (await app.register(fastifyCors, { origin: '*', credentials: true, allowedHeaders, methods }))),
  // @koa/cors 5
  '@koa/cors: origin function (correct)': koaApp(koaCors({ origin: (ctx) => (ALLOWED.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''), credentials: true, allowHeaders: allowedHeaders, allowMethods: methods, maxAge: 600 })),
  '@koa/cors: credentials, origin unset': koaApp(koaCors({ credentials: true })),
  '@koa/cors: defaults': koaApp(koaCors()),
  // hono/cors 4
  'hono/cors: origin list (correct)': honoApp(honoCors({ origin: ALLOWED, credentials: true, allowHeaders: allowedHeaders, allowMethods: methods, maxAge: 600 })),
  "hono/cors: origin '*' + credentials": honoApp(honoCors({ origin: '*', credentials: true })),
};
