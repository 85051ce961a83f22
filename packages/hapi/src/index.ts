/**
 * @preflight/cors-hapi — CORS for hapi 21, right by the Fetch standard.
 *
 * A hapi plugin with two extension points: `onRequest` (before routing and authentication)
 * answers preflights to any path and takes the decision for every other request;
 * `onPreResponse` writes the CORS headers and merges `Vary` into whatever response goes out —
 * the route's, a `Boom` error's, hapi's own 404 and 500. Every decision is made by
 * `@preflight/cors-core`.
 *
 * @packageDocumentation
 */
import {
  applyDecision,
  applyToResponse,
  compileCors,
  mergeVaryInto,
  recordHeaders,
  requestFromHeaders,
  type CorsDecision,
  type CorsOptions,
  type HeaderRecord,
} from '@preflight/cors-core';
import type { Lifecycle, Plugin, Request, ResponseToolkit, Server } from '@hapi/hapi';

export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsRefusal } from '@preflight/cors-core';

/** The plugin's name, as `server.registrations` and `dependencies` know it. */
const PLUGIN_NAME = '@preflight/cors-hapi';

/**
 * What is known about a request between `onRequest` and `onPreResponse`: its decision;
 * `ANSWERED` for a preflight this plugin answered (its headers are already on the response);
 * or `FAILED` when the origin predicate threw, rejected or timed out (the error response
 * still varies on `Origin`, and the predicate is not asked again).
 */
const ANSWERED = Symbol('preflight.answered');
const FAILED = Symbol('preflight.failed');
type Known = CorsDecision | typeof ANSWERED | typeof FAILED;

/** The headers object of whatever response hapi is about to send (a `Boom` keeps them in `output`). */
function headersOf(response: Request['response']): HeaderRecord | undefined {
  if (response === null || typeof response !== 'object') return undefined;
  if ('isBoom' in response && response.isBoom) return response.output.headers as HeaderRecord;
  return (response as { headers?: HeaderRecord }).headers;
}

/**
 * Register the CORS plugin on a hapi 21 server.
 *
 * The plugin's options are the CORS options, validated at registration: an invalid or
 * insecure configuration makes `server.register` reject with a `CorsConfigError`, never a
 * request. Per request:
 * - `onRequest` (before routing, authentication and payload parsing) answers a preflight
 *   (`OPTIONS` + `Origin` + `Access-Control-Request-Method`, to any path, routed or not) with
 *   `optionsSuccessStatus` (`204` by default) and an empty body, written on the node:http
 *   response (`h.abandon`: hapi adds nothing of its own), so no
 *   route, auth strategy or later `onRequest` extension runs (unless `preflightContinue`);
 * - `onPreResponse` sets the CORS headers and merges its `Vary` tokens into the response's
 *   own `Vary` on every response: the route's, a thrown `Boom` or plain `Error` (hapi's 500),
 *   hapi's 404, and responses of `onRequest` extensions registered before this plugin;
 * - a failing `origin` predicate (throw, rejection, `originTimeout`) fails the request with
 *   a `CorsOriginError`, which hapi answers 500, with `Vary: Origin` and no grant.
 *
 * Keep hapi's own `cors` route option off (the default) everywhere: on a route where it is
 * on, hapi writes its own CORS headers after this plugin's, replacing Preflight's answer. An `onPreResponse` extension registered *after* this
 * plugin that replaces the response (returns a new `h.response()`) sends it without CORS
 * headers: register such extensions before the plugin, or change `request.response` in place.
 *
 * @example
 * ```ts
 * import Hapi from '@hapi/hapi';
 * import { cors } from '@preflight/cors-hapi';
 *
 * const server = Hapi.server({ port: 3000 });
 * await server.register({ plugin: cors, options: { origin: ['https://app.example.com'], credentials: true } });
 * server.route({ method: 'GET', path: '/items', handler: () => ({ items: [] }) });
 * await server.start();
 * ```
 */
export const cors: Plugin<CorsOptions> = {
  name: PLUGIN_NAME,
  register(server: Server, options: CorsOptions): void {
    const policy = compileCors(options);
    const pendingVary = policy.pendingVary;
    // One entry per request in flight, dropped with the request object.
    const known = new WeakMap<Request, Known>();

    const onRequest: Lifecycle.Method = async (request: Request, h: ResponseToolkit) => {
      let decision: CorsDecision;
      try {
        const outcome = policy.decide(requestFromHeaders(request.method, request.raw.req.headers));
        decision = outcome instanceof Promise ? await outcome : outcome;
      } catch (error) {
        // hapi answers it (500) through onPreResponse, which adds Vary: Origin.
        known.set(request, FAILED);
        throw error;
      }
      if (!decision.end) {
        known.set(request, decision);
        return h.continue;
      }
      // An answered preflight: no route, auth strategy or later onRequest extension runs.
      // Written on the node:http response and abandoned by hapi, so that it is exactly the
      // core's answer (hapi would add `Vary: accept-encoding` and `Cache-Control` to an empty
      // response of its own).
      known.set(request, ANSWERED);
      applyToResponse(decision, request.raw.res);
      return h.abandon;
    };

    const onPreResponse: Lifecycle.Method = async (request: Request, h: ResponseToolkit) => {
      const headers = headersOf(request.response);
      let state = known.get(request);
      if (headers === undefined || state === ANSWERED) return h.continue;
      if (state === undefined) {
        // An onRequest extension registered before ours answered or failed: decide now, so
        // its response (a 429, a 401…) carries CORS headers too.
        try {
          const outcome = policy.decide(requestFromHeaders(request.method, request.raw.req.headers));
          state = outcome instanceof Promise ? await outcome : outcome;
        } catch {
          state = FAILED; // that extension's response stands; it still varies on Origin
        }
        // A preflight answered by someone else is not granted (and gets no Content-Length).
        if (state !== FAILED && state.end) {
          mergeVaryInto(headers, state.vary, recordHeaders);
          return h.continue;
        }
      }
      if (state === FAILED) mergeVaryInto(headers, pendingVary, recordHeaders);
      else applyDecision(state, headers, recordHeaders);
      return h.continue;
    };

    server.ext('onRequest', onRequest);
    server.ext('onPreResponse', onPreResponse);
  },
};

/**
 * The same plugin under hapi's conventional module export name, so the module itself can be
 * registered: `server.register({ plugin: await import('@preflight/cors-hapi'), options })`.
 */
export const plugin: Plugin<CorsOptions> = cors;

export default cors;
