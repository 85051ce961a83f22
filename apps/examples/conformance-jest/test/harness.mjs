import { HANDLER_HEADERS, STANDARD_ROUTES, listen } from '@preflight/cors-conformance';
import { cors } from '@preflight/cors-koa';
import Koa from 'koa';

const ECHO = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The standard routes in one Koa middleware (no router package). */
function routes(ctx) {
  const answer = (handler, body, status = 200) => {
    ctx.set('X-App-Handler', handler);
    ctx.set(HANDLER_HEADERS);
    ctx.status = status;
    ctx.body = body;
  };
  const { method, path } = ctx;
  if ((path === STANDARD_ROUTES.echo && ECHO.has(method)) || (path === STANDARD_ROUTES.nestedEcho && method === 'GET')) return answer('echo', 'ok');
  if (path === STANDARD_ROUTES.options && method === 'OPTIONS') return answer('options', 'app-options');
  if (method !== 'GET') return; // Koa's own 404
  if (path === STANDARD_ROUTES.varyAfter) {
    answer('vary-after', 'ok');
    ctx.set('Vary', 'Accept-Encoding'); // sets, replacing what the CORS layer put there
  } else if (path === STANDARD_ROUTES.varyBefore) answer('vary-before', 'ok');
  else if (path === STANDARD_ROUTES.error) {
    ctx.set('X-App-Handler', 'error');
    throw new Error('boom');
  } else if (path === STANDARD_ROUTES.httpError) {
    ctx.set('X-App-Handler', 'http-error');
    ctx.throw(400);
  } else if (path === STANDARD_ROUTES.status500) answer('status-500', 'failed', 500);
}

/** Koa with a middleware before the CORS layer (for /vary-before), the CORS layer, the routes. */
export const harness = {
  name: 'koa (example)',
  start(options) {
    const app = new Koa();
    app.silent = true; // /error fails on purpose
    app.use(async (ctx, next) => {
      if (ctx.path === STANDARD_ROUTES.varyBefore) ctx.set('Vary', 'Accept-Language');
      await next();
    });
    app.use(cors(options));
    app.use(routes);
    return listen(app.callback());
  },
};

/** A harness whose framework refuses to start: every case must fail with this error. */
export const startThrows = { name: 'start-throws', start: () => Promise.reject(new Error('the framework refused a route')) };

/** A wrong CORS layer (reflects every origin with credentials, answers every OPTIONS): the suite must fail it. */
export const naive = {
  name: 'naive',
  start() {
    const app = new Koa();
    app.use((ctx) => {
      const origin = ctx.get('Origin');
      if (origin) ctx.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
      if (ctx.method === 'OPTIONS') {
        ctx.status = 204;
        return;
      }
      ctx.set('X-App-Handler', 'echo');
      ctx.body = 'ok';
    });
    return listen(app.callback());
  },
};
