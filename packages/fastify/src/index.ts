/**
 * @preflight/cors-fastify — CORS for Fastify 5, right by the Fetch standard.
 *
 * One `onRequest` hook answers preflights to any path (before authentication hooks run),
 * sets the CORS headers on every other response (errors and 404s included), and keeps
 * `Vary` merged when a route replaces it (at `reply.raw.writeHead`, no extra hook). Route
 * `config.cors` opts a route out or gives it its own policy.
 *
 * @packageDocumentation
 */
import {
  applyDecision,
  carryDecision,
  compileCors,
  mergeVaryInto,
  requestFromHeaders,
  routePolicyCompiler,
  type CorsDecision,
  type CorsOptions,
  type HeaderAccess,
  type RoutePolicy,
} from '@preflight/cors-core';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';

export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsRefusal } from '@preflight/cors-core';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Route-level CORS: `false` turns CORS off for this route (no header, no Vary, the
     * preflight is left to the application), an options object gives the route its own
     * policy, compiled once when the route is declared. Omitted: the plugin's policy.
     */
    cors?: CorsOptions | false | undefined;
  }
  interface FastifyRequest {
    /**
     * The CORS decision taken for this request by `@preflight/cors-fastify`, or `null`
     * when the plugin did not run for it (route with `cors: false`, plugin not registered
     * in this context). Read-only by convention.
     */
    corsDecision: CorsDecision | null;
  }
}

/** The plugin's name, as `fastify-plugin` and `fastify.hasPlugin` know it. */
const PLUGIN_NAME = '@preflight/cors-fastify';
/** Fastify's own registration options, which are not CORS options. */
const REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers'] as const;

/** Route policies of one URL pattern, by method: what a preflight to that URL asks about. */
type PreflightTable = Map<string, RoutePolicy>;

/** Route config keys written by `onRoute` (symbols: invisible to users and serializers). */
const kRoutePolicy = Symbol('preflight.cors.routePolicy');
const kPreflightTable = Symbol('preflight.cors.preflightTable');
const kHiddenRoute = Symbol('preflight.cors.hiddenRoute');

interface CompiledRouteConfig {
  cors?: unknown;
  [kRoutePolicy]?: RoutePolicy;
  [kPreflightTable]?: PreflightTable;
  [kHiddenRoute]?: true;
}

/** Reads and writes Fastify reply headers (set, never append). */
const replyHeaders: HeaderAccess<FastifyReply> = {
  get: (reply, name) => reply.getHeader(name),
  set: (reply, name, value) => {
    reply.header(name, value);
  },
};

/** Where a request's decision is kept: `request.corsDecision` reads it (a getter on Fastify's Request prototype). */
const kDecision = Symbol('preflight.cors.decision');
type DecisionHolder = FastifyRequest & { [kDecision]?: CorsDecision | null };

/**
 * `request.corsDecision` as a getter and setter on the prototype. A value decorator
 * (`decorateRequest('corsDecision', null)`) makes Fastify's Request constructor copy it onto
 * every request in a keyed loop: about 2 % of a whole simple request with the real framework
 * (`pnpm bench`, in-process), on every route, whether CORS runs there or not.
 */
const decisionAccessor = {
  getter(this: DecisionHolder): CorsDecision | null {
    return this[kDecision] ?? null;
  },
  setter(this: DecisionHolder, value: CorsDecision | null): void {
    this[kDecision] = value;
  },
};

/** Apply a settled decision; end answered preflights, otherwise continue the lifecycle. */
function finish(request: FastifyRequest, reply: FastifyReply, decision: CorsDecision, done: HookHandlerDoneFunction): void {
  (request as DecisionHolder)[kDecision] = decision;
  applyDecision(decision, reply, replyHeaders);
  if (decision.end) {
    // Answered preflight: empty body, the application (and later hooks) never run.
    void reply.code(decision.status).send();
    return;
  }
  // Fastify hands its reply headers to reply.raw.writeHead. There the Node response's head
  // carries the whole answer: a route that *replaces* Vary (reply.header('vary', …)) gets our
  // tokens merged back in, and a later layer that ends the Node response itself (an Express
  // middleware through @fastify/middie, a hook writing reply.raw) still sends the CORS headers.
  // Cheaper than an onSend hook on every response.
  carryDecision(reply.raw, decision);
  done();
}

/**
 * Handler of the hidden `OPTIONS` routes added for URLs with a route-level `config.cors`.
 * A preflight the policy answers never gets here; anything else (a non-preflight OPTIONS,
 * a route with `cors: false`, `preflightContinue`) gets the 404 it would have got without
 * the hidden route.
 */
function passToNotFound(_request: FastifyRequest, reply: FastifyReply): void {
  reply.callNotFound();
}

/** The options without Fastify's own registration options (`prefix`, `logLevel`, `logSerializers`). */
function corsOptionsOf(options: CorsOptions): CorsOptions {
  if (options === null || typeof options !== 'object' || !REGISTER_OPTIONS.some((key) => key in options)) return options;
  const rest: Record<string, unknown> = { ...options };
  for (const key of REGISTER_OPTIONS) delete rest[key];
  return rest as unknown as CorsOptions;
}

function doubleCorsError(): Error {
  return new Error(
    `${PLUGIN_NAME}: @fastify/cors is registered on the same Fastify instance. Two CORS layers overwrite each ` +
      "other's Access-Control-Allow-Origin and both answer preflights, so browsers see whichever ran last. " +
      'Fix: remove @fastify/cors (see "Migrating from @fastify/cors" in the README).',
  );
}

const preflightCors: FastifyPluginAsync<CorsOptions> = async (fastify, registered) => {
  if (fastify.hasRequestDecorator('corsDecision')) {
    throw new Error(
      `${PLUGIN_NAME}: the plugin is already registered in this context or a parent one. Register it once ` +
        '(at the root), and give routes their own policy with `config: { cors: { … } }` or turn CORS off with `config: { cors: false }`.',
    );
  }
  if (fastify.hasPlugin('@fastify/cors')) throw doubleCorsError();

  // Compile now: an invalid configuration fails `register()` / `ready()`, never a request.
  const base = compileCors(corsOptionsOf(registered));

  // Route policies, compiled once per options object (GET and its HEAD share one).
  const compileRouteValue = routePolicyCompiler({ option: 'config.cors', off: 'config: { cors: false }', own: 'config: { cors: { origin: … } }' });
  // For preflights: route policies by URL pattern, then by method.
  const tables = new Map<string, PreflightTable>();
  // URL patterns that got a hidden OPTIONS route, or will when their plugin finishes loading.
  const scheduled = new Set<string>();
  const hidden = new Set<string>();
  // True once a route declared `config.cors`: only then is the route config read per request.
  let routeLevel = false;

  function tableOf(url: string): PreflightTable {
    let table = tables.get(url);
    if (table === undefined) tables.set(url, (table = new Map()));
    return table;
  }

  function compileRoute(value: unknown, route: RouteOptions): RoutePolicy {
    return compileRouteValue(value, `route ${String(route.method)} ${route.url}`);
  }

  /** Add `OPTIONS url` (same plugin, same prefix) once the declaring plugin has loaded, unless the app has one. */
  function schedulePreflightRoute(instance: FastifyInstance, route: RouteOptions): void {
    const url = route.url;
    if (scheduled.has(url)) return;
    scheduled.add(url);
    // `routePath` is the path without the plugin prefix; '' is how Fastify stores '/' under a prefix.
    const options = route as RouteOptions & { routePath?: string; prefix?: string };
    const path = options.routePath === '' && options.prefix !== '' ? '/' : (options.routePath ?? url);
    instance.after((err) => {
      if (err != null) throw err; // an earlier plugin failed: keep the error going
      if (instance.hasRoute({ method: 'OPTIONS', url })) return;
      hidden.add(url);
      instance.route({
        method: 'OPTIONS',
        url: path,
        handler: passToNotFound,
        config: { [kHiddenRoute]: true, [kPreflightTable]: tableOf(url) } as CompiledRouteConfig,
        schema: { hide: true },
        ...(route.prefixTrailingSlash === undefined ? {} : { prefixTrailingSlash: route.prefixTrailingSlash }),
      } as RouteOptions);
    });
  }

  fastify.decorateRequest('corsDecision', decisionAccessor);

  fastify.addHook('onRoute', function onRoute(this: FastifyInstance, route) {
    const config = (route.config ?? {}) as CompiledRouteConfig;
    if (config[kHiddenRoute] === true) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const isOptionsRoute = methods.includes('OPTIONS');
    if (!isOptionsRoute && config.cors === undefined) return;
    // A new config object: the user's may be shared between routes.
    const next: CompiledRouteConfig = { ...config };
    if (isOptionsRoute) {
      // The app's own OPTIONS route receives this URL's preflights: give it the table.
      if (hidden.has(route.url)) {
        throw new Error(
          `${PLUGIN_NAME}: OPTIONS ${route.url} is declared after ${PLUGIN_NAME} added a hidden OPTIONS route for the ` +
            'route-level cors config of the same URL. Declare your OPTIONS route before (or in the same plugin as) the other methods of that URL.',
        );
      }
      next[kPreflightTable] = tableOf(route.url);
    }
    if (config.cors !== undefined) {
      const policy = compileRoute(config.cors, route);
      routeLevel = true;
      next[kRoutePolicy] = policy;
      const table = tableOf(route.url);
      for (const method of methods) if (method !== 'OPTIONS' && !table.has(method)) table.set(method, policy);
      if (!isOptionsRoute) schedulePreflightRoute(this, route);
    }
    route.config = next as NonNullable<RouteOptions['config']>;
  });

  /** The policy for this request: the route's own, the one of the route a preflight asks about, or the plugin's. */
  function policyFor(request: FastifyRequest): RoutePolicy {
    if (!routeLevel) return base;
    const config = request.routeOptions.config as CompiledRouteConfig | undefined;
    if (config === undefined) return base;
    const table = config[kPreflightTable];
    if (table !== undefined && table.size > 0 && request.raw.method === 'OPTIONS') {
      // A preflight asks about another method of this URL: use that route's policy.
      const headers = request.raw.headers;
      const acrm = headers['access-control-request-method'];
      if (headers.origin !== undefined && typeof acrm === 'string') {
        const policy = table.get(acrm);
        if (policy !== undefined) return policy;
      }
    }
    return config[kRoutePolicy] ?? base;
  }

  fastify.addHook('onRequest', function preflightCorsOnRequest(request, reply, done) {
    const policy = policyFor(request);
    if (policy === false) {
      done();
      return;
    }
    const raw = request.raw;
    let decision: CorsDecision | undefined;
    try {
      // Only a predicate policy can decide later: only then is a callback allocated, and it
      // runs in the microtask that receives the predicate's answer (one promise hop).
      decision = policy.mayDecideLater
        ? policy.decideWith(requestFromHeaders(raw.method, raw.headers), (error, later) => {
          if (later !== undefined) {
            finish(request, reply, later, done);
            return;
          }
          // The lookup failed: the 500 Fastify sends for it depends on Origin too. Merged here,
          // before done(error) lets Fastify answer, rather than on every pending request.
          mergeVaryInto(reply, policy.pendingVary, replyHeaders);
          done(error as Error);
        })
        : (policy.decideHeaders(raw.method, raw.headers) as CorsDecision);
    } catch (err) {
      // A synchronous predicate threw: a CorsOriginError (500) for Fastify's error handling.
      mergeVaryInto(reply, policy.pendingVary, replyHeaders);
      done(err as Error);
      return;
    }
    // Otherwise pending: the callback continues (an allowed or refused decision carries its Vary).
    if (decision !== undefined) finish(request, reply, decision, done);
  });

  // @fastify/cors registered after this plugin, in the same context.
  fastify.addHook('onReady', function checkDoubleCors(done) {
    done(fastify.hasPlugin('@fastify/cors') ? doubleCorsError() : undefined);
  });
};

/**
 * The Preflight CORS plugin for Fastify 5. Register it once, at the root, before your
 * routes and before any authentication hook; its options are the core's `CorsOptions`
 * and are validated at registration (an invalid configuration makes `register()` and
 * `ready()` reject with a `CorsConfigError`).
 *
 * - Preflights to any path are answered in `onRequest` (unknown routes, prefixed plugins,
 *   routes without an OPTIONS handler); other OPTIONS requests reach the application.
 * - CORS headers stay on errors and 404s; `Vary` is merged, never overwritten.
 * - `config: { cors: false }` turns CORS off for a route; `config: { cors: { … } }` gives
 *   it its own policy (compiled when the route is declared).
 * - `request.corsDecision` holds the decision taken for the request.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import cors from '@preflight/cors-fastify';
 *
 * const app = Fastify();
 * await app.register(cors, { origin: ['https://app.example.com'], credentials: true });
 *
 * app.get('/api/items', async () => [{ id: 1 }]);
 * app.get('/health', { config: { cors: false } }, async () => 'ok');
 * app.get('/public', { config: { cors: { origin: '*' } } }, async () => 'hello');
 *
 * await app.listen({ port: 3000 });
 * ```
 */
export const cors: FastifyPluginAsync<CorsOptions> = fp(preflightCors, { fastify: '5.x', name: PLUGIN_NAME });

export default cors;
