import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { withCors } from '@preflight/cors-fetch';
import { assetAt, closeServer, corsOptionsFor, ECHO_HEADERS, echoBody, nodeHeaders, RequestLog, ROUTES, serve, type StartApi } from './shared.js';

const ECHO_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The routes, as one plain fetch handler (no framework): what a Worker, Deno or Bun server looks like. */
function routes(request: Request): Response {
  const method = request.method;
  const path = new URL(request.url).pathname;
  if (path === ROUTES.echo && ECHO_METHODS.has(method)) {
    return Response.json(echoBody('fetch', method, nodeHeaders(request.headers)), { headers: ECHO_HEADERS });
  }
  if (method === 'GET' || method === 'HEAD') {
    if (path === ROUTES.error) throw new Error('boom');
    if (path === ROUTES.httpError) return new Response('bad request', { status: 400 });
    if (path === ROUTES.status500) return new Response('failed', { status: 500 });
    const asset = assetAt(path);
    if (asset !== undefined) return new Response(new Uint8Array(asset.body), { headers: asset.headers });
  }
  return new Response('not found', { status: 404 });
}

/** `withCors`'s default `onError` minus its `console.error`: the demo's `boom` is deliberate. */
const internalServerError = (): Response => new Response('Internal Server Error', { status: 500 });

/**
 * A plain fetch handler wrapped with `withCors(options, handler, { onError })` from
 * `@preflight/cors-fetch`, served by `@hono/node-server` with Node's own
 * `Request`/`Response`. A thrown error is answered by `onError`, with the CORS headers.
 */
export const startFetchApi: StartApi = async (options) => {
  const log = new RequestLog();
  const fetch = withCors(corsOptionsFor(options), routes, { onError: internalServerError });
  const server = createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server;
  return serve('fetch', 'Fetch handler', server, log, options, () => closeServer(server));
};
