import Fastify from 'fastify';
import preflightCors from '@preflight/cors-fastify';
import { ASSETS, corsOptionsFor, ECHO_HEADERS, echoBody, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

/**
 * Fastify 5 with `app.register(preflightCors, options)`. Thrown errors and unknown routes get
 * Fastify's own 500 and 404.
 */
export const startFastifyApi: StartApi = async (options) => {
  const log = new RequestLog();
  const app = Fastify({ logger: false });
  await app.register(preflightCors, corsOptionsFor(options));
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: ROUTES.echo,
    handler: (req, reply) => {
      void reply.headers(ECHO_HEADERS);
      return echoBody('fastify', req.method, req.headers);
    },
  });
  app.get(ROUTES.error, () => {
    throw new Error('boom');
  });
  app.get(ROUTES.httpError, (_req, reply) => reply.code(400).send('bad request'));
  app.get(ROUTES.status500, (_req, reply) => reply.code(500).send('failed'));
  for (const [path, asset] of Object.entries(ASSETS)) app.get(path, (_req, reply) => reply.headers(asset.headers).send(asset.body));
  await app.ready();
  return serve('fastify', 'Fastify', app.server, log, options, () => app.close());
};
