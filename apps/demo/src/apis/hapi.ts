import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import { cors } from '@preflight/cors-hapi';
import { ASSETS, corsOptionsFor, ECHO_HEADERS, echoBody, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

/**
 * hapi 21 with `server.register({ plugin: cors, options })`. hapi answers `HEAD` with the `GET`
 * routes; thrown errors become hapi's own 500 (a `Boom`), unknown routes hapi's 404.
 */
export const startHapiApi: StartApi = async (options) => {
  const log = new RequestLog();
  // Started by hapi itself (a server that is only initialized answers with `Connection: close`).
  const server = Hapi.server({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, debug: false });
  await server.register({ plugin: cors, options: corsOptionsFor(options) });
  server.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    path: ROUTES.echo,
    // hapi lower-cases request.method: the method as received is on the node:http request.
    handler: (request, h) => {
      const response = h.response(echoBody('hapi', request.raw.req.method ?? '', request.raw.req.headers));
      for (const [name, value] of Object.entries(ECHO_HEADERS)) response.header(name, value);
      return response;
    },
  });
  server.route({
    method: 'GET',
    path: ROUTES.error,
    handler: () => {
      throw new Error('boom');
    },
  });
  server.route({
    method: 'GET',
    path: ROUTES.httpError,
    handler: () => {
      throw Boom.badRequest('bad request');
    },
  });
  server.route({ method: 'GET', path: ROUTES.status500, handler: (_request, h) => h.response('failed').code(500) });
  for (const [path, asset] of Object.entries(ASSETS)) {
    server.route({
      method: 'GET',
      path,
      handler: (_request, h) => {
        const response = h.response(asset.body);
        for (const [name, value] of Object.entries(asset.headers)) response.header(name, value);
        return response;
      },
    });
  }
  await server.start();
  return serve('hapi', 'hapi', server.listener, log, options, () => server.stop({ timeout: 0 }));
};
