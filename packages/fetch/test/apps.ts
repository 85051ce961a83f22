// The standard routes of the conformance suite (packages/conformance/src/harness.ts) as Fetch
// API applications: `withCors(...)` around a plain fetch handler, and a Hono app with `cors()`.
// Nothing here needs Node: test/harness.ts serves them with @hono/node-server, and
// apps/runtimes bundles this file for Deno, Bun, workerd and a Next.js route handler.
import { HANDLER_HEADERS, STANDARD_ROUTES } from '@preflight/cors-conformance';
import { cors, withCors, type CorsOptions } from '@preflight/cors-fetch';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';

const ECHO_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

function answer(handler: string, body: string, status = 200, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'X-App-Handler': handler, ...HANDLER_HEADERS, ...extra } });
}

/**
 * The standard routes as one plain fetch handler, routed by path (no framework): what a
 * Worker, a Deno or Bun server, or a Next.js route handler looks like.
 */
function routes(request: Request): Response {
  const method = request.method;
  const path = new URL(request.url).pathname;
  if ((path === STANDARD_ROUTES.echo && ECHO_METHODS.has(method)) || (path === STANDARD_ROUTES.nestedEcho && method === 'GET')) {
    return answer('echo', 'ok');
  }
  if (path === STANDARD_ROUTES.options && method === 'OPTIONS') return answer('options', 'app-options');
  // Sets Vary on its own response; the CORS layer merges Origin in after the handler returned.
  if (path === STANDARD_ROUTES.varyAfter && method === 'GET') return answer('vary-after', 'ok', 200, { Vary: 'Accept-Encoding' });
  if (path === STANDARD_ROUTES.varyBefore && method === 'GET') return answer('vary-before', 'ok');
  if (path === STANDARD_ROUTES.error && method === 'GET') throw new Error('boom');
  // The Fetch API's idiomatic HTTP error: a Response with that status.
  if (path === STANDARD_ROUTES.httpError && method === 'GET') return new Response('Bad Request', { status: 400, headers: { 'X-App-Handler': 'http-error' } });
  if (path === STANDARD_ROUTES.status500 && method === 'GET') return answer('status-500', 'failed', 500);
  return new Response('Not Found', { status: 404 });
}

/**
 * A layer outside the CORS layer: in the Fetch API a wrapper can only touch the response
 * after the inner handler returned it, so "a Vary set before the CORS layer" is an outer
 * wrapper that appends its token to the response `withCors` returned.
 */
function varyLanguage(inner: (request: Request) => Response | Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const res = await inner(request);
    if (new URL(request.url).pathname === STANDARD_ROUTES.varyBefore) res.headers.append('Vary', 'Accept-Language');
    return res;
  };
}

/** The default onError minus its console.error: the suite throws on purpose. */
const quietError = (): Response => new Response('Internal Server Error', { status: 500 });

/** `withCors(options, routes)` inside the outer /vary-before wrapper: a fetch handler as a Worker, Deno, Bun or Next.js serves it. */
export function fetchApp(options: CorsOptions): (request: Request) => Promise<Response> {
  return varyLanguage(withCors(options, routes, { onError: quietError }));
}

/** Hono 4: a middleware before `cors()` for /vary-before, `cors()`, the routes, a sub-app under /prefix. */
export function honoApp(options: CorsOptions): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    if (c.req.path === STANDARD_ROUTES.varyBefore) c.header('Vary', 'Accept-Language');
    await next();
  });
  app.use(cors(options));
  const echo = (c: { header: (name: string, value: string) => void; text: (body: string) => Response }): Response => {
    c.header('X-App-Handler', 'echo');
    for (const [name, value] of Object.entries(HANDLER_HEADERS)) c.header(name, value);
    return c.text('ok');
  };
  app.on(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], STANDARD_ROUTES.echo, echo); // Hono answers HEAD with the GET route
  const nested = new Hono();
  nested.get('/nested/echo', echo);
  app.route('/prefix', nested);
  app.options(STANDARD_ROUTES.options, (c) => {
    c.header('X-App-Handler', 'options');
    return c.text('app-options');
  });
  app.get(STANDARD_ROUTES.varyAfter, (c) => {
    c.header('X-App-Handler', 'vary-after');
    c.header('Vary', 'Accept-Encoding'); // sets, replacing any Vary already on the context
    return c.text('ok');
  });
  app.get(STANDARD_ROUTES.varyBefore, (c) => {
    c.header('X-App-Handler', 'vary-before');
    return c.text('ok');
  });
  app.get(STANDARD_ROUTES.error, (c) => {
    c.header('X-App-Handler', 'error');
    throw new Error('boom');
  });
  app.get(STANDARD_ROUTES.httpError, (c) => {
    c.header('X-App-Handler', 'http-error');
    throw new HTTPException(400);
  });
  app.get(STANDARD_ROUTES.status500, (c) => {
    c.header('X-App-Handler', 'status-500');
    return c.text('failed', 500);
  });
  // Hono's default error handler, without its console.error (the suite throws on purpose).
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      const res = err.getResponse();
      return c.newResponse(res.body, res);
    }
    return c.text('Internal Server Error', 500);
  });
  return app;
}
