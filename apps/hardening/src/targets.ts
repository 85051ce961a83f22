/**
 * Every adapter as a target the hardening suites can start: the adapter packages' own
 * conformance harnesses (real servers with the standard routes, reused by import), plus a
 * variant per adapter that records what reaches the framework's error handling.
 */
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { LoggerService } from '@nestjs/common';
import type { ConformanceHarness, RunningServer } from '@preflight/cors-conformance';
import type { CorsOptions } from '@preflight/cors-core';
import { cors as fastifyCors } from '@preflight/cors-fastify';
import { cors as honoCors, withCors as withFetchCors } from '@preflight/cors-fetch';
import { cors as koaCors } from '@preflight/cors-koa';
import { CorsModule } from '@preflight/cors-nestjs';
import { withCors } from '@preflight/cors-node';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { harness as fetchHarness, honoHarness } from '../../../packages/fetch/test/harness.js';
import { serveFetch } from '../../../packages/fetch/test/helpers.js';
import { addStandardRoutes, harness as fastifyHarness, listen as listenFastify } from '../../../packages/fastify/test/harness.js';
import { harness as koaHarness } from '../../../packages/koa/test/harness.js';
import { cors as hapiCors } from '@preflight/cors-hapi';
import { cors as h3Cors } from '@preflight/cors-h3';
import { createServer as createHapiServer, harness as hapiHarness, listen as listenHapi } from '../../../packages/hapi/test/harness.js';
import { createApp as createH3App, harness as h3Harness, listen as listenH3 } from '../../../packages/h3/test/harness.js';
import { listen as listenKoa } from '../../../packages/koa/test/helpers.js';
import { harnessFor, listen as listenNest, platforms, standardApp } from '../../../packages/nestjs/test/harness.js';
import { expressApp, harness as expressHarness } from '../../../packages/node/test/harness-express.js';
import { harness as nodeHarness } from '../../../packages/node/test/harness.js';
import { listen as listenNode } from '../../../packages/node/test/helpers.js';

/** One adapter on one framework. */
export interface Target {
  /** Short id used in test names, soak output and `--adapters`. */
  readonly id: string;
  /** The adapter package it runs (every adapter package must have a target: see test/targets.test.ts). */
  readonly package: string;
  /** The adapter package's own conformance harness (standard routes). */
  readonly harness: ConformanceHarness;
  /**
   * A server with the adapter and a route `GET /echo` (200 `ok`, `X-App-Handler: echo`), in
   * which every error that reaches the framework's error handling is pushed onto `errors`
   * (node:http: `withCors`'s `onError`; Express: an error middleware; Fastify: an `onError`
   * hook; Koa: the app's `error` event; NestJS: the application logger). The framework still
   * answers the error itself.
   */
  startCapturing(options: CorsOptions, errors: unknown[]): Promise<RunningServer>;
}

const expressErrorRecorder =
  (errors: unknown[]) =>
  (err: unknown, _req: Request, _res: Response, next: NextFunction): void => {
    errors.push(err);
    next(err);
  };

/** A NestJS logger that keeps what `error()` receives (the ExceptionsHandler logs there). */
function recordingLogger(errors: unknown[]): LoggerService {
  return {
    log: () => {},
    warn: () => {},
    debug: () => {},
    verbose: () => {},
    fatal: () => {},
    error: (message: unknown, ...rest: unknown[]) => {
      errors.push(message instanceof Error ? message : [message, ...rest].map(String).join(' '));
    },
  };
}

const nodeTarget: Target = {
  id: 'node',
  package: '@preflight/cors-node',
  harness: nodeHarness,
  startCapturing: (options, errors) =>
    listenNode(
      withCors(
        options,
        (req, res) => {
          res.setHeader('X-App-Handler', 'echo');
          res.end('ok');
        },
        { onError: (error) => errors.push(error) },
      ),
    ),
};

const expressTarget: Target = {
  id: 'express',
  package: '@preflight/cors-node',
  harness: expressHarness,
  startCapturing: (options, errors) => {
    const app = expressApp(express, options);
    app.use(expressErrorRecorder(errors));
    return listenNode(app);
  },
};

const fastifyTarget: Target = {
  id: 'fastify',
  package: '@preflight/cors-fastify',
  harness: fastifyHarness,
  async startCapturing(options, errors) {
    const app = Fastify();
    app.addHook('onError', (_request, _reply, error, done) => {
      errors.push(error);
      done();
    });
    await app.register(fastifyCors, options);
    await addStandardRoutes(app);
    return listenFastify(app);
  },
};

const koaTarget: Target = {
  id: 'koa',
  package: '@preflight/cors-koa',
  harness: koaHarness,
  startCapturing(options, errors) {
    const app = new Koa();
    app.on('error', (error: unknown) => errors.push(error));
    app.use(koaCors(options));
    app.use((ctx) => {
      if (ctx.path !== '/echo') return;
      ctx.set('X-App-Handler', 'echo');
      ctx.body = 'ok';
    });
    return listenKoa(app);
  },
};

const [nestExpress, nestFastify] = platforms;

function nestTarget(id: string, platform: typeof nestExpress | typeof nestFastify): Target {
  return {
    id,
    package: '@preflight/cors-nestjs',
    harness: harnessFor(platform),
    startCapturing: (options, errors) => listenNest(platform, standardApp(CorsModule.forRoot(options)), { logger: recordingLogger(errors) }),
  };
}

const fetchTarget: Target = {
  id: 'fetch',
  package: '@preflight/cors-fetch',
  harness: fetchHarness,
  startCapturing: (options, errors) =>
    serveFetch(
      withFetchCors(options, () => new Response('ok', { headers: { 'X-App-Handler': 'echo' } }), {
        // What the default onError does, minus the console.error: a plain 500 (CORS headers added by withCors).
        onError: (error) => {
          errors.push(error);
          return new Response('Internal Server Error', { status: 500 });
        },
      }),
      true,
    ),
};

/** The part of Hono's API the capturing server uses. */
interface HonoApp {
  use(middleware: unknown): unknown;
  get(path: string, handler: (c: { header(name: string, value: string): void; text(body: string, status?: number): Response }) => Response): unknown;
  onError(handler: (error: unknown, c: { text(body: string, status?: number): Response }) => Response): unknown;
  fetch: Parameters<typeof serveFetch>[0];
}

/**
 * Hono as the fetch adapter's own tests resolve it: `hono` is a dependency of
 * packages/fetch, not of this package (whose dependencies were fixed before that adapter
 * existed), so it is resolved from there at run time.
 */
async function loadHono(): Promise<new () => HonoApp> {
  const fromFetch = createRequire(new URL('../../../packages/fetch/package.json', import.meta.url));
  const mod = (await import(pathToFileURL(fromFetch.resolve('hono')).href)) as { Hono: new () => HonoApp };
  return mod.Hono;
}

const honoTarget: Target = {
  id: 'hono',
  package: '@preflight/cors-fetch',
  harness: honoHarness,
  async startCapturing(options, errors) {
    const Hono = await loadHono();
    const app = new Hono();
    app.use(honoCors(options));
    app.get('/echo', (c) => {
      c.header('X-App-Handler', 'echo');
      return c.text('ok');
    });
    // Hono's default error handler (a plain-text 500), recording the error instead of logging it.
    app.onError((error, c) => {
      errors.push(error);
      return c.text('Internal Server Error', 500);
    });
    return serveFetch(app.fetch);
  },
};

const hapiTarget: Target = {
  id: 'hapi',
  package: '@preflight/cors-hapi',
  harness: hapiHarness,
  async startCapturing(options, errors) {
    const server = createHapiServer();
    // hapi logs the error of each 500 it answers on the request's `error` channel.
    server.events.on({ name: 'request', channels: 'error' }, (_request, event) => errors.push(event.error));
    await server.register({ plugin: hapiCors, options });
    server.route({ method: 'GET', path: '/echo', handler: (_request, h) => h.response('ok').header('X-App-Handler', 'echo') });
    return listenHapi(server);
  },
};

const h3Target: Target = {
  id: 'h3',
  package: '@preflight/cors-h3',
  harness: h3Harness,
  startCapturing(options, errors) {
    const app = createH3App();
    // h3 hands onError an HTTPError wrapping what was thrown (returning nothing keeps its 500).
    app.config.onError = (error) => {
      errors.push(error.cause ?? error);
    };
    app.use(h3Cors(options));
    app.get('/echo', (event) => {
      event.res.headers.set('X-App-Handler', 'echo');
      return 'ok';
    });
    return listenH3(app);
  },
};

/** Every adapter, in a fixed order. */
export const targets: readonly Target[] = [
  nodeTarget,
  expressTarget,
  fastifyTarget,
  koaTarget,
  nestTarget('nestjs-express', nestExpress),
  nestTarget('nestjs-fastify', nestFastify),
  fetchTarget,
  honoTarget,
  hapiTarget,
  h3Target,
];

/** The targets named in a comma-separated list (all when the list is empty or undefined). */
export function selectTargets(list: string | undefined): readonly Target[] {
  if (list === undefined || list.trim() === '') return targets;
  const wanted = list.split(',').map((s) => s.trim());
  const unknown = wanted.filter((id) => !targets.some((t) => t.id === id));
  if (unknown.length > 0) throw new Error(`unknown adapter(s) ${unknown.join(', ')}; known: ${targets.map((t) => t.id).join(', ')}`);
  return targets.filter((t) => wanted.includes(t.id));
}
