import { createServer } from 'node:http';
import Koa, { type Context, type Next } from 'koa';
import { cors } from '@preflight/cors-koa';
import { assetAt, closeServer, corsOptionsFor, ECHO_HEADERS, echoBody, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

const ECHO_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The routes, as one Koa middleware (no router dependency). */
async function routes(ctx: Context, next: Next): Promise<void> {
  if (ctx.path === ROUTES.echo && ECHO_METHODS.has(ctx.method)) {
    ctx.set(ECHO_HEADERS);
    ctx.body = echoBody('koa', ctx.method, ctx.headers);
    return;
  }
  if (ctx.method === 'GET' || ctx.method === 'HEAD') {
    if (ctx.path === ROUTES.error) throw new Error('boom');
    if (ctx.path === ROUTES.httpError) ctx.throw(400);
    if (ctx.path === ROUTES.status500) {
      ctx.status = 500;
      ctx.body = 'failed';
      return;
    }
    const asset = assetAt(ctx.path);
    if (asset !== undefined) {
      ctx.set(asset.headers);
      ctx.body = asset.body;
      return;
    }
  }
  await next(); // Koa's own 404
}

/**
 * Koa 3 with `app.use(cors(options))`. Thrown errors go through Koa's own error handler,
 * which removes every header it did not set itself: the adapter must keep the CORS headers.
 */
export const startKoaApi: StartApi = async (options) => {
  const log = new RequestLog();
  const app = new Koa();
  app.silent = true; // the demo's `boom` is deliberate
  app.use(cors(corsOptionsFor(options)));
  app.use(routes);
  const server = createServer(app.callback());
  return serve('koa', 'Koa', server, log, options, () => closeServer(server));
};
