import type { ConformanceHarness, RunningServer } from '@preflight/cors-conformance';
import { HANDLER_HEADERS, STANDARD_ROUTES } from '@preflight/cors-conformance';
import Boom from '@hapi/boom';
import Hapi, { type ResponseObject, type ResponseToolkit, type Server } from '@hapi/hapi';
import { cors, type CorsOptions } from '@preflight/cors-hapi';

/** A response from the application: `X-App-Handler` plus the standard headers. */
function answer(h: ResponseToolkit, handler: string, body: string, status = 200): ResponseObject {
  const response = h.response(body).code(status).header('X-App-Handler', handler);
  for (const [name, value] of Object.entries(HANDLER_HEADERS)) response.header(name, value);
  return response;
}

/**
 * The standard routes of the conformance contract. hapi answers `HEAD` with the `GET` route
 * (it refuses an explicit `HEAD` route), and gives errors no headers of the handler's: the
 * error routes throw, and hapi builds the 500 / 400 itself.
 */
export function addStandardRoutes(server: Server): void {
  server.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], path: STANDARD_ROUTES.echo, handler: (_request, h) => answer(h, 'echo', 'ok') });
  server.route({ method: 'GET', path: STANDARD_ROUTES.nestedEcho, handler: (_request, h) => answer(h, 'echo', 'ok') });
  server.route({ method: 'OPTIONS', path: STANDARD_ROUTES.options, handler: (_request, h) => answer(h, 'options', 'app-options') });
  // hapi's header setter for Vary appends (response.vary); the route runs before onPreResponse.
  server.route({ method: 'GET', path: STANDARD_ROUTES.varyAfter, handler: (_request, h) => answer(h, 'vary-after', 'ok').header('Vary', 'Accept-Encoding') });
  server.route({ method: 'GET', path: STANDARD_ROUTES.varyBefore, handler: (_request, h) => answer(h, 'vary-before', 'ok') });
  server.route({
    method: 'GET',
    path: STANDARD_ROUTES.error,
    handler: () => {
      throw new Error('boom');
    },
  });
  server.route({
    method: 'GET',
    path: STANDARD_ROUTES.httpError,
    handler: () => {
      throw Boom.badRequest();
    },
  });
  server.route({ method: 'GET', path: STANDARD_ROUTES.status500, handler: (_request, h) => answer(h, 'status-500', 'failed', 500) });
}

/** Start a hapi server on 127.0.0.1, port 0. */
export async function listen(server: Server): Promise<RunningServer> {
  await server.start();
  return {
    url: `http://127.0.0.1:${server.info.port}`,
    close: async () => {
      server.listener.closeAllConnections();
      await server.stop({ timeout: 0 });
    },
  };
}

/** A hapi server as the harness builds it (no logging of deliberate errors). */
export function createServer(): Server {
  return Hapi.server({ host: '127.0.0.1', port: 0, debug: false });
}

/** hapi 21: an onPreResponse extension registered before the plugin, the plugin, the standard routes. */
export const harness: ConformanceHarness = {
  name: 'hapi',
  async start(options: CorsOptions) {
    const server = createServer();
    // Registered before the CORS layer: a Vary of its own for /vary-before.
    server.ext('onPreResponse', (request, h) => {
      const response = request.response;
      if (request.path === STANDARD_ROUTES.varyBefore && !Boom.isBoom(response)) response.vary('Accept-Language');
      return h.continue;
    });
    await server.register({ plugin: cors, options });
    addStandardRoutes(server);
    return listen(server);
  },
};
