import { HANDLER_HEADERS, STANDARD_ROUTES, listen, type ConformanceHarness } from '@preflight/cors-conformance';
import cors from '@preflight/cors-fastify';
import Fastify, { type FastifyReply } from 'fastify';

const mark = (reply: FastifyReply, handler: string): FastifyReply => reply.header('X-App-Handler', handler).headers(HANDLER_HEADERS);

/** Fastify 5 with the CORS plugin and the standard routes of the conformance kit. */
export const harness: ConformanceHarness = {
  name: 'fastify 5 (example)',
  async start(options) {
    const app = Fastify();
    // A hook registered before the plugin: it runs before the CORS layer.
    app.addHook('onRequest', async (request, reply) => {
      if (request.url === STANDARD_ROUTES.varyBefore) reply.header('Vary', 'Accept-Language');
    });
    await app.register(cors, options);
    app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], url: STANDARD_ROUTES.echo, handler: async (_req, reply) => mark(reply, 'echo').send('ok') });
    await app.register(async (prefix) => prefix.get('/nested/echo', async (_req, reply) => mark(reply, 'echo').send('ok')), { prefix: '/prefix' });
    app.options(STANDARD_ROUTES.options, async (_req, reply) => mark(reply, 'options').send('app-options'));
    app.get(STANDARD_ROUTES.varyAfter, async (_req, reply) => mark(reply, 'vary-after').header('Vary', 'Accept-Encoding').send('ok'));
    app.get(STANDARD_ROUTES.varyBefore, async (_req, reply) => mark(reply, 'vary-before').send('ok'));
    app.get(STANDARD_ROUTES.error, async (_req, reply) => {
      mark(reply, 'error');
      throw new Error('boom');
    });
    app.get(STANDARD_ROUTES.httpError, async (_req, reply) => mark(reply, 'http-error').code(400).send('Bad Request'));
    app.get(STANDARD_ROUTES.status500, async (_req, reply) => mark(reply, 'status-500').code(500).send('failed'));
    await app.ready();
    return listen(app.server);
  },
};
