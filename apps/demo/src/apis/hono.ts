import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { cors } from '@preflight/cors-fetch';
import { ASSETS, closeServer, corsOptionsFor, ECHO_HEADERS, echoBody, nodeHeaders, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

function echo(c: Context): Response {
  return c.json(echoBody('hono', c.req.method, nodeHeaders(c.req.raw.headers)), 200, ECHO_HEADERS);
}

/**
 * Hono 4 with `app.use(cors(options))` from `@preflight/cors-fetch`, served by
 * `@hono/node-server` with Node's own `Request`/`Response`. Hono answers `HEAD` with the
 * `GET` route; thrown errors go to `app.onError`, unknown routes to Hono's own 404.
 */
export const startHonoApi: StartApi = async (options) => {
  const log = new RequestLog();
  const app = new Hono();
  app.use(cors(corsOptionsFor(options)));
  app.on(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], ROUTES.echo, echo);
  app.get(ROUTES.error, () => {
    throw new Error('boom');
  });
  app.get(ROUTES.httpError, () => {
    throw new HTTPException(400, { message: 'bad request' });
  });
  app.get(ROUTES.status500, (c) => c.text('failed', 500));
  for (const [path, asset] of Object.entries(ASSETS)) app.get(path, (c) => c.body(new Uint8Array(asset.body), 200, asset.headers));
  // Hono's default error handler, without its console.error (the demo's `boom` is deliberate).
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      const res = error.getResponse();
      return c.newResponse(res.body, res);
    }
    return c.text('Internal Server Error', 500);
  });
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  return serve('hono', 'Hono', server, log, options, () => closeServer(server));
};
