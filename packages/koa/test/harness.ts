import type { ConformanceHarness, Protocol } from '@preflight/cors-conformance';
import { HANDLER_HEADERS, STANDARD_ROUTES } from '@preflight/cors-conformance';
import { cors, type CorsOptions } from '@preflight/cors-koa';
import Koa from 'koa';
import Koa2 from 'koa2';
import { listen, type KoaClass } from './helpers.js';

const ECHO_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The standard routes, routed by `ctx.path` in plain middleware (no router package). */
function routes(ctx: Koa.Context): void {
  const method = ctx.method;
  const path = ctx.path;
  const answer = (handler: string, body: string, status = 200): void => {
    ctx.set('X-App-Handler', handler);
    ctx.set(HANDLER_HEADERS);
    ctx.status = status;
    ctx.body = body;
  };
  if ((path === STANDARD_ROUTES.echo && ECHO_METHODS.has(method)) || (path === STANDARD_ROUTES.nestedEcho && method === 'GET')) {
    answer('echo', 'ok');
  } else if (path === STANDARD_ROUTES.options && method === 'OPTIONS') {
    answer('options', 'app-options');
  } else if (path === STANDARD_ROUTES.varyAfter && method === 'GET') {
    answer('vary-after', 'ok');
    ctx.set('Vary', 'Accept-Encoding'); // sets, replacing what the CORS layer put there
  } else if (path === STANDARD_ROUTES.varyBefore && method === 'GET') {
    answer('vary-before', 'ok');
  } else if (path === STANDARD_ROUTES.error && method === 'GET') {
    ctx.set('X-App-Handler', 'error');
    throw new Error('boom');
  } else if (path === STANDARD_ROUTES.httpError && method === 'GET') {
    ctx.set('X-App-Handler', 'http-error');
    ctx.throw(400);
  } else if (path === STANDARD_ROUTES.status500 && method === 'GET') {
    answer('status-500', 'failed', 500);
  }
  // anything else: Koa's own 404
}

/**
 * A conformance harness for one Koa major: cors() first, the standard routes after it, over
 * the given protocols (node:http, node:http2's compatibility API without TLS).
 */
export function createHarness(name: string, KoaApp: KoaClass, protocols: readonly Protocol[]): ConformanceHarness {
  return {
    name,
    protocols,
    async start(options: CorsOptions, { protocol = 'http/1.1' } = {}) {
      const app = new KoaApp();
      app.silent = true; // /error is expected to fail; keep the test output clean
      // Registered before the CORS layer: a Vary of its own for /vary-before.
      app.use(async (ctx, next) => {
        if (ctx.path === STANDARD_ROUTES.varyBefore) ctx.set('Vary', 'Accept-Language');
        await next();
      });
      app.use(cors(options));
      app.use(routes);
      return listen(app, protocol);
    },
  };
}

/** Koa 3 (the `koa` package), over HTTP/1.1 and HTTP/2. */
export const harness = createHarness('koa 3', Koa, ['http/1.1', 'h2c']);
/**
 * Koa 2 (installed as the `koa2` alias of koa@2), over HTTP/1.1 only: Koa 2 never answers a
 * HEAD request over HTTP/2 (koajs/koa#1547, fixed in Koa 3; `test/http2.test.ts` shows it).
 */
export const harnessKoa2 = createHarness('koa 2', Koa2, ['http/1.1']);
