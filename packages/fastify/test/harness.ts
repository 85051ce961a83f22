import type { AddressInfo } from 'node:net';
import type { ConformanceHarness, RunningServer } from '@preflight/cors-conformance';
import { HANDLER_HEADERS, STANDARD_ROUTES } from '@preflight/cors-conformance';
import { cors, type CorsOptions } from '@preflight/cors-fastify';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

/** Mark the reply as coming from the application: `X-App-Handler` plus the standard headers. */
function mark(reply: FastifyReply, handler: string): FastifyReply {
  return reply.header('X-App-Handler', handler).headers(HANDLER_HEADERS);
}

/** The standard routes of the conformance contract (see `ConformanceHarness`). */
export async function addStandardRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: STANDARD_ROUTES.echo,
    handler: async (_request, reply) => mark(reply, 'echo').send('ok'),
  });
  // A route inside an encapsulated plugin with a prefix.
  await app.register(
    async (plugin) => {
      plugin.get('/nested/echo', async (_request, reply) => mark(reply, 'echo').send('ok'));
    },
    { prefix: '/prefix' },
  );
  app.options(STANDARD_ROUTES.options, async (_request, reply) => mark(reply, 'options').send('app-options'));
  app.get(STANDARD_ROUTES.varyAfter, async (_request, reply) => {
    mark(reply, 'vary-after').header('Vary', 'Accept-Encoding'); // sets, replacing what the hook put there
    return reply.send('ok');
  });
  app.get(STANDARD_ROUTES.varyBefore, async (_request, reply) => mark(reply, 'vary-before').send('ok'));
  app.get(STANDARD_ROUTES.error, async (_request, reply) => {
    mark(reply, 'error');
    throw new Error('boom');
  });
  app.get(STANDARD_ROUTES.httpError, async (_request, reply) => {
    mark(reply, 'http-error');
    // Fastify's idiom for an HTTP error: an error carrying its statusCode.
    throw Object.assign(new Error('Bad Request'), { statusCode: 400 });
  });
  app.get(STANDARD_ROUTES.status500, async (_request, reply) => mark(reply, 'status-500').code(500).send('failed'));
}

/** Listen on 127.0.0.1 on a free port. */
export async function listen(app: FastifyInstance): Promise<RunningServer> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * Fastify 5 with the plugin registered at the root, after a hook of the app's own: over
 * HTTP/1.1, and over HTTP/2 without TLS (`Fastify({ http2: true })`).
 */
export const harness: ConformanceHarness = {
  name: 'fastify',
  protocols: ['http/1.1', 'h2c'],
  async start(options: CorsOptions, { protocol = 'http/1.1' } = {}) {
    // The same routes either way (Fastify's types tell the two server kinds apart).
    const app = (protocol === 'h2c' ? Fastify({ http2: true }) : Fastify()) as unknown as FastifyInstance;
    // Registered before the CORS layer: a Vary of its own for /vary-before.
    app.addHook('onRequest', (request, reply, done) => {
      if (request.url === STANDARD_ROUTES.varyBefore) reply.header('Vary', 'Accept-Language');
      done();
    });
    await app.register(cors, options);
    await addStandardRoutes(app);
    return listen(app);
  },
};
