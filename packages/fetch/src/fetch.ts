import { applyDecision, compileCors, writeDecision, type CorsDecision, type CorsOptions, type CorsRequest, type HeaderAccess } from '@preflight/cors-core';

/**
 * A WHATWG Fetch API handler: takes a `Request` (and whatever the platform passes after it:
 * Workers' `env` and `ctx`, Next.js' `{ params }`, Bun's `server`, Deno's `info`…) and returns
 * a `Response`.
 *
 * `Result` is `Response` unless the handler may return nothing: Bun's handler returns
 * `undefined` once `server.upgrade(request)` took the request over (a WebSocket), and a wrapped
 * handler passes that through.
 */
export type FetchHandler<Rest extends unknown[] = [], Result extends Response | undefined = Response> = (request: Request, ...rest: Rest) => Result | Promise<Result>;

/** Settings of `withCors` and `FetchCors.wrap` (they are not CORS options). */
export interface FetchCorsSettings {
  /**
   * Turn an error into the `Response` to send: an exception the handler throws, a promise it
   * returns that rejects, or a failing `origin` predicate (a `CorsOriginError`, the cause in
   * `cause`). The returned response gets the CORS headers, so the page can read the error
   * status instead of seeing a network error. Rethrow to let the platform handle it instead
   * (its own 500 then carries no CORS headers).
   *
   * Default: log with `console.error` and answer `500 Internal Server Error` (plain text).
   */
  onError?: ((error: unknown, request: Request) => Response | Promise<Response>) | undefined;
}

/**
 * CORS for Fetch API code, compiled once by `createCors`. Use `wrap` for a whole handler,
 * `handle` for frameworks with a `next()`/`resolve()` that returns the `Response`, or
 * `decide` + `preflight` + `apply` when your code builds the response itself.
 */
export interface FetchCors {
  /**
   * Wrap a handler: preflights are answered without calling it, every `Response` it returns
   * gets the CORS headers. Errors it throws, and origin predicate failures, become the
   * response of `settings.onError` (default: a 500), with the CORS headers too.
   */
  wrap<Rest extends unknown[]>(handler: FetchHandler<Rest>, settings?: FetchCorsSettings): FetchHandler<Rest>;
  /** A handler that may return nothing (Bun's, after `server.upgrade(request)`): so may the wrapped one. */
  wrap<Rest extends unknown[]>(handler: FetchHandler<Rest, Response | undefined>, settings?: FetchCorsSettings): FetchHandler<Rest, Response | undefined>;
  /**
   * Decide for `request`, answer a preflight, or call `next()` and add the CORS headers to
   * the `Response` it resolves to. For Astro's `onRequest(context, next)`, SvelteKit's
   * `handle({ event, resolve })` and similar.
   */
  handle(request: Request, next: () => Response | Promise<Response>): Response | Promise<Response>;
  /**
   * The decision for one request: synchronous, unless the `origin` option is an async
   * predicate. A failing predicate throws (or rejects with) a `CorsOriginError`.
   * Call it once per request, then `preflight` and `apply` with its result.
   */
  decide(request: Request): CorsDecision | Promise<CorsDecision>;
  /** The answer to send when `decision.end` (an answered preflight: status, headers, no body); otherwise `undefined`. */
  preflight(decision: CorsDecision): Response | undefined;
  /**
   * Add the decision's headers to `response` and merge its `Vary`. Returns `response` itself,
   * or, when its headers are immutable (a `Response` from `fetch()` or `Response.redirect()`),
   * a copy with the same status, status text, headers and body stream. `Response.error()` is
   * returned unchanged.
   */
  apply(decision: CorsDecision, response: Response): Response;
  /**
   * The Vary tokens an error response must carry when `decide` failed (a `CorsOriginError`)
   * or has not settled yet: `'Origin'` unless the policy is a plain `'*'` (the core's
   * `policy.pendingVary`). For integrations that render such errors themselves.
   */
  readonly pendingVary: string;
}

/** `Headers` through the core's `HeaderAccess` (module-level: no closure per request). */
export const fetchHeaders: HeaderAccess<Headers> = {
  get: (headers, name) => headers.get(name) ?? undefined,
  set: (headers, name, value) => {
    headers.set(name, value);
  },
};

/**
 * The request view the core reads. The preflight headers only matter to `OPTIONS`
 * requests, so other requests cost a single `Headers` lookup.
 */
export function requestView(request: Request): CorsRequest {
  const method = request.method;
  const headers = request.headers;
  const origin = headers.get('origin') ?? undefined;
  if (method !== 'OPTIONS') return { method, origin };
  return new PreflightView(method, origin, headers);
}

/**
 * The view of an OPTIONS request. `Headers.get` costs 100–150 ns in undici (argument checks
 * and a ByteString conversion per call), so the Private Network Access header, which the core
 * reads only when `privateNetworkAccess` is on, is read on demand.
 */
class PreflightView implements CorsRequest {
  readonly accessControlRequestMethod: string | undefined;
  readonly accessControlRequestHeaders: string | undefined;
  constructor(readonly method: string, readonly origin: string | undefined, private readonly headers: Headers) {
    this.accessControlRequestMethod = origin === undefined ? undefined : headers.get('access-control-request-method') ?? undefined;
    this.accessControlRequestHeaders = origin === undefined ? undefined : headers.get('access-control-request-headers') ?? undefined;
  }
  get accessControlRequestPrivateNetwork(): string | undefined {
    return this.headers.get('access-control-request-private-network') ?? undefined;
  }
}

/**
 * An answered preflight: the decision's status and headers, no body. The headers are set on
 * the new response's own `Headers`: building a `Headers` first and passing it costs a copy.
 */
export function preflightResponse(decision: CorsDecision): Response {
  const response = new Response(null, { status: decision.status });
  // A response of our own has no Vary to merge with: written without reading it first (a
  // `Headers.get` costs about as much as a `set`; 0.1 µs of a 2.4 µs preflight on Node 20).
  writeDecision(decision, response.headers, fetchHeaders);
  return response;
}

/**
 * A copy of `response` whose headers can be changed, or `undefined` for responses that
 * cannot be rebuilt (`Response.error()`, status 0; a `101 Switching Protocols` handshake).
 */
export function mutableCopy(response: Response): Response | undefined {
  const status = response.status;
  if (status < 200 || status > 599) return undefined;
  return new Response(response.body, response);
}

/**
 * `FetchCors.apply`: set the headers in place, or on a copy when they are immutable. Passed
 * through as they are: `undefined` (Bun, after `server.upgrade()`), and the responses no copy
 * can stand for — `Response.error()` (a network error, CORS or not) and a `101 Switching
 * Protocols` WebSocket handshake (outside CORS; on Workers, proxied with `fetch()`, its headers
 * are immutable and a copy would lose the socket).
 */
export function applyToResponse<R extends Response | undefined>(decision: CorsDecision, response: R): R {
  if (response === undefined) return response;
  if (response === null || typeof response !== 'object') {
    throw new TypeError(`@preflight/cors-fetch: the handler returned ${response === null ? 'null' : typeof response}, not a Response`);
  }
  if (decision.headers.length === 0 && decision.vary === '') return response;
  try {
    // Response objects from fetch(), Response.redirect() and Response.error() have immutable
    // headers: set() throws a TypeError before changing anything.
    applyDecision(decision, response.headers, fetchHeaders);
    return response;
  } catch {
    const copy = mutableCopy(response);
    if (copy === undefined) return response;
    applyDecision(decision, copy.headers, fetchHeaders);
    return copy as R;
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** What a wrapped handler returns: a `Response`, or nothing (Bun, after `server.upgrade()`). */
type Result = Response | undefined;

async function applyWhenReady<R extends Result>(decision: CorsDecision, pending: Promise<R>): Promise<R> {
  return applyToResponse(decision, await pending);
}

/** The default `onError`: log, then a plain 500 (which then gets the CORS headers). */
function internalServerError(error: unknown): Response {
  console.error('@preflight/cors-fetch: request failed', error);
  return new Response('Internal Server Error', { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

type OnError = (error: unknown, request: Request) => Response | Promise<Response>;

/** The error's response, through `onError`, with the decision's CORS headers. */
function recover(decision: CorsDecision, error: unknown, request: Request, onError: OnError): Response | Promise<Response> {
  const result = onError(error, request);
  return isPromise(result) ? applyWhenReady(decision, result) : applyToResponse(decision, result);
}

async function settle(decision: CorsDecision, pending: Promise<Result>, request: Request, onError: OnError): Promise<Result> {
  let response: Result;
  try {
    response = await pending;
  } catch (error) {
    return recover(decision, error, request, onError);
  }
  return applyToResponse(decision, response);
}

/** Answer the preflight, or run the handler and apply the decision to its response (or to its error's). */
function run<Rest extends unknown[]>(decision: CorsDecision, handler: FetchHandler<Rest, Result>, request: Request, rest: Rest, onError: OnError): Result | Promise<Result> {
  if (decision.end) return preflightResponse(decision);
  let result: Result | Promise<Result>;
  try {
    result = handler(request, ...rest);
  } catch (error) {
    return recover(decision, error, request, onError);
  }
  return isPromise(result) ? settle(decision, result, request, onError) : applyToResponse(decision, result);
}

/** Same as `run` for `handle`: `next` is called without arguments (Astro's `next(x)` would rewrite to `x`). */
function runNext(decision: CorsDecision, next: () => Response | Promise<Response>): Response | Promise<Response> {
  if (decision.end) return preflightResponse(decision);
  const result = next();
  return isPromise(result) ? applyWhenReady(decision, result) : applyToResponse(decision, result);
}

/**
 * Compile CORS options once for Fetch API code (Cloudflare Workers, Deno, Bun, Next.js
 * route handlers, Astro, SvelteKit, or any `Request → Response` function).
 *
 * The options are validated here: an invalid or insecure configuration throws a
 * `CorsConfigError` from this call, never per request.
 *
 * @example
 * ```ts
 * // app/api/items/route.ts (Next.js): one policy, shared by every method of the route
 * import { createCors } from '@preflight/cors-fetch';
 *
 * const cors = createCors({ origin: 'https://app.example.com', credentials: true });
 * export const GET = cors.wrap(async () => Response.json(await listItems()));
 * export const POST = cors.wrap(async (request) => Response.json(await addItem(await request.json()), { status: 201 }));
 * export const OPTIONS = cors.wrap(() => new Response(null, { status: 204, headers: { Allow: 'GET, POST, OPTIONS' } }));
 * ```
 *
 * @example
 * ```ts
 * // Astro middleware (src/middleware.ts)
 * const cors = createCors({ origin: 'https://app.example.com' });
 * export const onRequest = (context, next) => cors.handle(context.request, next);
 * ```
 */
export function createCors(options: CorsOptions): FetchCors {
  const policy = compileCors(options);
  const decide = (request: Request): CorsDecision | Promise<CorsDecision> => policy.decide(requestView(request));
  // What an error response carries when the decision itself failed (a predicate error).
  const failed: CorsDecision = Object.freeze({ kind: 'actual', allowed: false, headers: Object.freeze([]), vary: policy.pendingVary, end: false, status: 0, refusal: undefined });
  function wrap<Rest extends unknown[]>(handler: FetchHandler<Rest, Result>, settings?: FetchCorsSettings): FetchHandler<Rest, Result> {
    if (typeof handler !== 'function') throw new TypeError('@preflight/cors-fetch: the handler to wrap must be a function (request, ...rest) => Response');
    const onError: OnError = settings?.onError ?? internalServerError;
    function corsHandler(request: Request, ...rest: Rest): Result | Promise<Result> {
      let outcome: CorsDecision | Promise<CorsDecision>;
      try {
        outcome = decide(request);
      } catch (error) {
        return recover(failed, error, request, onError); // a synchronous predicate threw
      }
      // Only an async origin predicate takes this path (and allocates callbacks).
      if (isPromise(outcome)) {
        return outcome.then(
          (decision) => run(decision, handler, request, rest, onError),
          (error: unknown) => recover(failed, error, request, onError),
        );
      }
      return run(outcome, handler, request, rest, onError);
    }
    return corsHandler;
  }

  return Object.freeze({
    decide,
    preflight: (decision: CorsDecision) => (decision.end ? preflightResponse(decision) : undefined),
    apply: applyToResponse,
    pendingVary: policy.pendingVary,
    handle(request: Request, next: () => Response | Promise<Response>): Response | Promise<Response> {
      const outcome = decide(request);
      if (isPromise(outcome)) return outcome.then((decision) => runNext(decision, next));
      return runNext(outcome, next);
    },
    // Typed by `FetchCors.wrap`'s overloads: the wrapped handler returns `undefined` only where `handler` may.
    wrap: wrap as FetchCors['wrap'],
  });
}

/**
 * Wrap a Fetch API handler with CORS: `withCors(options, handler)` is
 * `createCors(options).wrap(handler)`.
 *
 * Per request: a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`) is
 * answered with `optionsSuccessStatus` (`204`) and an empty body, **without calling the
 * handler** (unless `preflightContinue`); any other request runs the handler, and the CORS
 * headers are set on the `Response` it returns, error statuses included, with `Vary` merged
 * into the response's own. A response with immutable headers (from `fetch()`,
 * `Response.redirect()`) is copied first. Errors the handler throws (or rejects with), and a
 * `CorsOriginError` from a failing `origin` predicate, go to `settings.onError` (default: log
 * and answer a plain 500); its response gets the CORS headers too.
 *
 * @example
 * ```ts
 * // Cloudflare Workers, Bun (`export default`) or Deno (`Deno.serve(handler)`)
 * import { withCors } from '@preflight/cors-fetch';
 *
 * export default {
 *   fetch: withCors({ origin: ['https://app.example.com', 'https://*.example.org'] }, (request) =>
 *     Response.json({ hello: 'world' }),
 *   ),
 * };
 * ```
 */
export function withCors<Rest extends unknown[]>(options: CorsOptions, handler: FetchHandler<Rest>, settings?: FetchCorsSettings): FetchHandler<Rest>;
/** A handler that may return nothing (Bun's, after `server.upgrade(request)`): so may the wrapped one. */
export function withCors<Rest extends unknown[]>(
  options: CorsOptions,
  handler: FetchHandler<Rest, Response | undefined>,
  settings?: FetchCorsSettings,
): FetchHandler<Rest, Response | undefined>;
export function withCors<Rest extends unknown[]>(options: CorsOptions, handler: FetchHandler<Rest, Result>, settings?: FetchCorsSettings): FetchHandler<Rest, Result> {
  return createCors(options).wrap(handler, settings);
}
