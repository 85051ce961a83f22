import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { ConformanceHarness, RunningServer } from '@preflight/cors-conformance';
import { HANDLER_HEADERS, listen as listenOn, STANDARD_ROUTES } from '@preflight/cors-conformance';
import { cors, type CorsOptions } from '@preflight/cors-h3';
import { H3, HTTPError, type H3Event } from 'h3';
import { toNodeHandler } from 'h3/node';

/** Mark the response as coming from the application: `X-App-Handler` plus the standard headers. */
function mark(event: H3Event, handler: string): void {
  event.res.headers.set('X-App-Handler', handler);
  for (const [name, value] of Object.entries(HANDLER_HEADERS)) event.res.headers.set(name, value);
}

/** The standard routes of the conformance contract. h3 answers `HEAD` with the `GET` route. */
export function addStandardRoutes(app: H3): void {
  const echo = (event: H3Event): string => {
    mark(event, 'echo');
    return 'ok';
  };
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) app.on(method, STANDARD_ROUTES.echo, echo);
  app.get(STANDARD_ROUTES.nestedEcho, echo);
  app.options(STANDARD_ROUTES.options, (event) => {
    mark(event, 'options');
    return 'app-options';
  });
  app.get(STANDARD_ROUTES.varyAfter, (event) => {
    mark(event, 'vary-after');
    event.res.headers.set('Vary', 'Accept-Encoding'); // sets, replacing any staged Vary
    return 'ok';
  });
  app.get(STANDARD_ROUTES.varyBefore, (event) => {
    mark(event, 'vary-before');
    return 'ok';
  });
  app.get(STANDARD_ROUTES.error, (event) => {
    mark(event, 'error');
    throw new Error('boom');
  });
  app.get(STANDARD_ROUTES.httpError, (event) => {
    mark(event, 'http-error');
    throw new HTTPError({ status: 400 });
  });
  app.get(STANDARD_ROUTES.status500, (event) => {
    mark(event, 'status-500');
    event.res.status = 500;
    return 'failed';
  });
}

/** An h3 app as the harness builds it: `silent`, since `/error` fails on purpose. */
export function createApp(): H3 {
  return new H3({ silent: true });
}

/** Serve an h3 app with node:http on 127.0.0.1:0 (`toNodeHandler` from `h3/node`). */
export function listen(app: H3): Promise<RunningServer> {
  return listenOn(createServer(toNodeHandler(app)) as Server);
}

/** h3 2: a middleware of the app's own, `cors()`, the standard routes. */
export const harness: ConformanceHarness = {
  name: 'h3',
  start(options: CorsOptions) {
    const app = createApp();
    // Registered before the CORS layer: a Vary of its own for /vary-before.
    app.use((event) => {
      if (event.url.pathname === STANDARD_ROUTES.varyBefore) event.res.headers.set('Vary', 'Accept-Language');
    });
    app.use(cors(options));
    addStandardRoutes(app);
    return listen(app);
  },
};
