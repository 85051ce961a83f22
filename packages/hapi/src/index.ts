/**
 * @preflight/cors-hapi — CORS for hapi 21, right by the Fetch standard.
 *
 * A hapi plugin with two extension points: `onRequest` (before routing and authentication)
 * answers preflights to any path (and, with an origin predicate, decides every request);
 * `onPreResponse` writes the CORS headers and merges `Vary` into whatever response goes out —
 * the route's, a `Boom` error's, hapi's own 404 and 500. A route's plugin settings
 * (`options.plugins['@preflight/cors-hapi']`) turn CORS off there or give it its own policy.
 * Every decision is made by `@preflight/cors-core`.
 *
 * @packageDocumentation
 */
import {
  applyDecision,
  applyToResponse,
  compileCors,
  CorsConfigError,
  mergeVaryInto,
  recordHeaders,
  routePolicyCompiler,
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type HeaderRecord,
  type RoutePolicy,
} from '@preflight/cors-core';
import type { HTTP_METHODS, Lifecycle, Plugin, Request, RequestRoute, ResponseToolkit, Server } from '@hapi/hapi';

export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsRefusal } from '@preflight/cors-core';

/** The plugin's name, as `server.registrations`, `dependencies` and route `plugins` settings know it. */
const PLUGIN_NAME = '@preflight/cors-hapi';

/**
 * A route's own CORS setting, under its plugin settings:
 * `options: { plugins: { '@preflight/cors-hapi': false | { …options } } }`.
 * `false` turns CORS off for the route (no CORS header, no `Vary`, preflights asking about it
 * are left to hapi's routing); an options object is the route's own policy, which replaces the
 * plugin's (it is not merged with it), validated when the route is added.
 */
export type CorsRouteSetting = CorsOptions | false;

declare module '@hapi/hapi' {
  interface PluginSpecificConfiguration {
    /**
     * Route-level CORS of `@preflight/cors-hapi`: `false` turns CORS off for the route, an
     * options object gives it its own policy. Omitted: the plugin's policy.
     */
    '@preflight/cors-hapi'?: CorsRouteSetting | undefined;
  }
}

/**
 * What is known about a request between `onRequest` and `onPreResponse`: its decision;
 * `ANSWERED` for a preflight this plugin answered (its headers are already on the response);
 * `OFF` when the route it is for (or, for a preflight, asks about) has CORS turned off; or a
 * `Failed` when the origin predicate threw, rejected or timed out (the error response still
 * varies on `Origin`, and the predicate is not asked again).
 */
const ANSWERED = Symbol('preflight.answered');
const OFF = Symbol('preflight.off');
interface Failed {
  /** The failing policy's `pendingVary`. */
  readonly failedVary: string;
}
type Known = CorsDecision | typeof ANSWERED | typeof OFF | Failed;

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
 * Per route, `options: { plugins: { '@preflight/cors-hapi': false } }` turns CORS off (no
 * CORS header, no `Vary`; a preflight asking about the route goes on to hapi's routing, like
 * any `OPTIONS` request), and an options object gives the route its own policy, which replaces
 * the plugin's. Settings are compiled when the route is added (routes added before the plugin
 * when it is registered): an invalid one throws a `CorsConfigError` naming the route. A
 * preflight uses the policy of the route that serves the method it asks about, at its path.
 *
 * Keep hapi's own `cors` route option off (the default) everywhere: on a route where it is
 * on, hapi writes its own CORS headers after this plugin's, replacing Preflight's answer.
 * An `onPreResponse` extension registered *after* this plugin that replaces the response
 * (returns a new `h.response()`) sends it without CORS headers: register such extensions
 * before the plugin, or change `request.response` in place.
 *
 * @example
 * ```ts
 * import Hapi from '@hapi/hapi';
 * import { cors } from '@preflight/cors-hapi';
 *
 * const server = Hapi.server({ port: 3000 });
 * await server.register({ plugin: cors, options: { origin: ['https://app.example.com'], credentials: true } });
 * server.route({ method: 'GET', path: '/items', handler: () => ({ items: [] }) });
 * server.route({ method: 'POST', path: '/webhook', options: { plugins: { '@preflight/cors-hapi': false } }, handler: () => 'ok' });
 * server.route({ method: 'GET', path: '/status', options: { plugins: { '@preflight/cors-hapi': { origin: '*' } } }, handler: () => 'up' });
 * await server.start();
 * ```
 */
export const cors: Plugin<CorsOptions> = {
  name: PLUGIN_NAME,
  register(server: Server, options: CorsOptions): void {
    const base = compileCors(options);
    // One entry per request in flight, dropped with the request object.
    const known = new WeakMap<Request, Known>();
    // Without an origin predicate a decision can neither wait nor fail, and only a preflight
    // must be decided before routing: every other request is decided in onPreResponse, with
    // nothing to remember in between. With a predicate (the plugin's or a route's), requests
    // are decided in onRequest, so that a failing predicate fails the request before its route runs.
    let decidesEarly = base.mayDecideLater;
    const decide = (policy: CorsPolicy, request: Request): CorsDecision | Promise<CorsDecision> =>
      policy.decideHeaders(request.method, request.raw.req.headers);

    // Route-level settings, compiled when the route is added, by the route's `settings` object
    // (the same for `request.route`, the 'route' event and `server.table()`).
    const option = `options.plugins['${PLUGIN_NAME}']`;
    const compileRouteValue = routePolicyCompiler({
      option,
      off: `options: { plugins: { '${PLUGIN_NAME}': false } }`,
      own: `options: { plugins: { '${PLUGIN_NAME}': { origin: … } } }`,
    });
    const routePolicies = new WeakMap<object, RoutePolicy>();
    // True once a route declared a setting: only then is a route looked up per request.
    let routeLevel = false;
    const addRoute = (route: RequestRoute): void => {
      const value: unknown = route.settings.plugins?.[PLUGIN_NAME]; // as given: checked below
      if (value === undefined) return;
      routeLevel = true;
      // hapi has already added the route when it tells plugins about it: should the setting
      // be invalid (server.route throws the CorsConfigError), the route stays, without CORS.
      routePolicies.set(route.settings, false);
      const where = `route ${route.method.toUpperCase()} ${route.path}`;
      const cache = value === null ? undefined : (value as { originCache?: unknown }).originCache;
      if (cache !== undefined) {
        throw new CorsConfigError(
          'ORIGIN_CACHE_INVALID', `${option}.originCache`, cache,
          `hapi deep-copies route settings, so ${where} would use a copy of the cache, which invalidate() on your handle never reaches`,
          "set originCache in the plugin's options (hapi passes those as they are), or cache inside the route's origin predicate",
        );
      }
      const policy = compileRouteValue(value, where);
      routePolicies.set(route.settings, policy);
      if (policy !== false && policy.mayDecideLater) decidesEarly = true;
    };
    for (const route of server.table()) addRoute(route); // routes added before the plugin
    server.events.on('route', addRoute);

    /** The policy of a route (hapi's 404 and unrouted requests: the plugin's). */
    const policyOf = (route: RequestRoute | null): RoutePolicy => (route === null ? base : (routePolicies.get(route.settings) ?? base));
    /**
     * Before routing: the policy of the route that will serve this request, or — for a
     * preflight — the route that serves the method it asks about, at the same path and host.
     */
    const policyBefore = (request: Request): RoutePolicy => {
      if (!routeLevel) return base;
      const headers = request.headers;
      const asked = headers['access-control-request-method'];
      const method = request.method === 'options' && headers.origin !== undefined && typeof asked === 'string' && asked !== '' ? asked : request.method;
      try {
        return policyOf(server.match(method as HTTP_METHODS, request.path, request.info.hostname));
      } catch {
        return base; // a path hapi's router refuses (hapi answers it 400)
      }
    };

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
    const fail = (request: Request, policy: CorsPolicy, error: unknown): never => {
      known.set(request, { failedVary: policy.pendingVary });
      throw error;
    };

    // Not `async`: a decision known at once (cached, or without predicate) costs hapi no promise.
    const onRequest: Lifecycle.Method = (request: Request, h: ResponseToolkit) => {
      const isOptions = request.method === 'options';
      if (!isOptions && !decidesEarly) return h.continue;
      const policy = policyBefore(request);
      if (policy === false) {
        // CORS is off there: a preflight goes on to hapi's routing like any OPTIONS request.
        known.set(request, OFF);
        return h.continue;
      }
      if (!isOptions && !policy.mayDecideLater) return h.continue; // decided in onPreResponse
      let outcome: CorsDecision | Promise<CorsDecision>;
      try {
        outcome = decide(policy, request);
      } catch (error) {
        return fail(request, policy, error);
      }
      if (outcome instanceof Promise) return outcome.then((decision) => settle(request, h, decision), (error: unknown) => fail(request, policy, error));
      return settle(request, h, outcome);
    };

    /** Write what is known onto the response's headers. */
    const finish = (h: ResponseToolkit, headers: HeaderRecord, state: CorsDecision | Failed): symbol => {
      if ('failedVary' in state) mergeVaryInto(headers, state.failedVary, recordHeaders);
      // A preflight answered by someone else (an earlier onRequest extension) is not granted.
      else if (state.end) mergeVaryInto(headers, state.vary, recordHeaders);
      else applyDecision(state, headers, recordHeaders);
      return h.continue;
    };

    const onPreResponse: Lifecycle.Method = (request: Request, h: ResponseToolkit) => {
      const headers = headersOf(request.response);
      if (headers === undefined) return h.continue;
      const state = known.get(request);
      if (state === ANSWERED || state === OFF) return h.continue;
      if (state !== undefined) return finish(h, headers, state);
      // Not decided yet: a request onRequest leaves to this point (no predicate, not OPTIONS),
      // or one an onRequest extension registered before ours answered or failed — its
      // response (a 429, a 401…) carries CORS headers too.
      const policy = routeLevel ? policyOf(request.route) : base;
      if (policy === false) return h.continue;
      let outcome: CorsDecision | Promise<CorsDecision>;
      try {
        outcome = decide(policy, request);
      } catch {
        return finish(h, headers, { failedVary: policy.pendingVary }); // that response stands; it still varies on Origin
      }
      if (outcome instanceof Promise) return outcome.then((decision) => finish(h, headers, decision), () => finish(h, headers, { failedVary: policy.pendingVary }));
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
