/**
 * @preflight/cors-hapi — CORS for hapi 21, right by the Fetch standard.
 *
 * A hapi plugin with two extension points: `onRequest` (before routing and authentication)
 * answers preflights to any path (and, with an origin predicate, decides every request);
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
    // Without an origin predicate a decision can neither wait nor fail, and only a preflight
    // must be decided before routing: every other request is decided in onPreResponse, with
    // nothing to remember in between. With a predicate, every request is decided in
    // onRequest, so that a failing predicate fails the request before its route runs.
    const decidesEveryRequestEarly = policy.mayDecideLater;
    const decide = (request: Request): CorsDecision | Promise<CorsDecision> => policy.decide(requestFromHeaders(request.method, request.raw.req.headers));

    /** What onRequest does with a decision: answer a preflight, or remember it for onPreResponse. */
    const settle = (request: Request, h: ResponseToolkit, decision: CorsDecision): symbol => {
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
    /** The predicate failed: hapi answers the error (500) through onPreResponse, which adds Vary: Origin. */
    const fail = (request: Request, error: unknown): never => {
      known.set(request, FAILED);
      throw error;
    };

    // Not `async`: a decision known at once (cached, or without predicate) costs hapi no promise.
    const onRequest: Lifecycle.Method = (request: Request, h: ResponseToolkit) => {
      if (!decidesEveryRequestEarly && request.method !== 'options') return h.continue;
      let outcome: CorsDecision | Promise<CorsDecision>;
      try {
        outcome = decide(request);
      } catch (error) {
        return fail(request, error);
      }
      if (outcome instanceof Promise) return outcome.then((decision) => settle(request, h, decision), (error: unknown) => fail(request, error));
      return settle(request, h, outcome);
    };

    /** Write what is known onto the response's headers. */
    const finish = (h: ResponseToolkit, headers: HeaderRecord, state: CorsDecision | typeof FAILED): symbol => {
      if (state === FAILED) mergeVaryInto(headers, pendingVary, recordHeaders);
      // A preflight answered by someone else (an earlier onRequest extension) is not granted.
      else if (state.end) mergeVaryInto(headers, state.vary, recordHeaders);
      else applyDecision(state, headers, recordHeaders);
      return h.continue;
    };

    const onPreResponse: Lifecycle.Method = (request: Request, h: ResponseToolkit) => {
      const headers = headersOf(request.response);
      if (headers === undefined) return h.continue;
      const state = known.get(request);
      if (state === ANSWERED) return h.continue;
      if (state !== undefined) return finish(h, headers, state);
      // Not decided yet: a request onRequest leaves to this point (no predicate, not OPTIONS),
      // or one an onRequest extension registered before ours answered or failed — its
      // response (a 429, a 401…) carries CORS headers too.
      let outcome: CorsDecision | Promise<CorsDecision>;
      try {
        outcome = decide(request);
      } catch {
        return finish(h, headers, FAILED); // that extension's response stands; it still varies on Origin
      }
      if (outcome instanceof Promise) return outcome.then((decision) => finish(h, headers, decision), () => finish(h, headers, FAILED));
      return finish(h, headers, outcome);
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
