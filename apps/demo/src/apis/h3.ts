import { createServer } from 'node:http';
import { cors } from '@preflight/cors-h3';
import { H3, HTTPError } from 'h3';
import { toNodeHandler } from 'h3/node';
import { ASSETS, closeServer, corsOptionsFor, ECHO_HEADERS, echoBody, nodeHeaders, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

/**
 * h3 2 with `app.use(cors(options))`, served by node:http through `toNodeHandler`. h3 answers
 * `HEAD` with the `GET` routes; thrown errors and unknown routes get h3's own JSON 500 and 404.
 */
export const startH3Api: StartApi = async (options) => {
  const log = new RequestLog();
  const app = new H3({ silent: true }); // the demo's `boom` is deliberate
  app.use(cors(corsOptionsFor(options)));
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    app.on(method, ROUTES.echo, (event) => {
      for (const [name, value] of Object.entries(ECHO_HEADERS)) event.res.headers.set(name, value);
      return echoBody('h3', event.req.method, nodeHeaders(event.req.headers));
    });
  }
  app.get(ROUTES.error, () => {
    throw new Error('boom');
  });
  app.get(ROUTES.httpError, () => {
    throw new HTTPError({ status: 400, message: 'bad request' });
  });
  app.get(ROUTES.status500, (event) => {
    event.res.status = 500;
    return 'failed';
  });
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, (event) => {
      for (const [name, value] of Object.entries(asset.headers)) event.res.headers.set(name, value);
      return new Uint8Array(asset.body);
    });
  }
  const server = createServer(toNodeHandler(app));
  return serve('h3', 'h3', server, log, options, () => closeServer(server));
};
