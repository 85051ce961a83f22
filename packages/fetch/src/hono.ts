import { applyDecision, compileCors, mergeVaryInto, requestFromHeaders, type CorsDecision, type CorsOptions, type CorsRequest, type LowerCaseHeaders } from '@preflight/cors-core';
import { fetchHeaders, mutableCopy, requestView } from './fetch.js';

/**
 * The parts of a Hono `Context` the middleware touches. Hono's `Context` satisfies it, so
 * `app.use(cors(…))` type-checks without this package depending on Hono's types (Hono is an
 * optional peer dependency: the plain Fetch API helpers need no framework).
 */
export interface HonoContextLike {
  readonly req: { readonly raw: Request };
  /** The runtime's bindings: under `@hono/node-server`, `{ incoming, outgoing }` (the Node request and response). */
  readonly env?: unknown;
  /** Hono's response so far. Setting it keeps the headers already set on the context. */
  res: Response;
  /** A new response carrying the headers set so far on the context (`c.header()`), without building `c.res`. */
  body(data: null, status: number): Response;
}

/** The middleware returned by `cors()`: a Hono `MiddlewareHandler`. */
export type HonoCorsMiddleware = (c: HonoContextLike, next: () => Promise<void>) => Promise<void>;

/** The part of `@hono/node-server`'s bindings (`c.env`) read here: the Node request the `Request` was made from. */
interface NodeServerBindings {
  readonly incoming?: { readonly method?: unknown; readonly headers?: unknown } | null;
}

/**
 * The request the core reads. Under `@hono/node-server`, `c.env.incoming` is the node:http (or
 * node:http2) request itself: its headers are a plain object with lower-case names, joined as
 * the Fetch API joins them, and reading them there spares node-server building the `Request`'s
 * `Headers` (about 0.2 µs of an 11 µs request, `pnpm bench --only profile`). Anywhere else
 * (Bun, Deno, workers, `app.request()`), the Fetch `Request`.
 */
function honoRequestView(c: HonoContextLike): CorsRequest {
  const incoming = (c.env as NodeServerBindings | null | undefined)?.incoming;
  if (incoming !== undefined && incoming !== null && typeof incoming.method === 'string' && typeof incoming.headers === 'object' && incoming.headers !== null) {
    return requestFromHeaders(incoming.method, incoming.headers as LowerCaseHeaders);
  }
  return requestView(c.req.raw);
}

/**
 * Set the decision's headers on `c.res`, replacing it with a mutable copy when its headers are
 * immutable. Passed through as they are, as `applyToResponse` does: `Response.error()` and a
 * `101 Switching Protocols` WebSocket handshake (on Workers, proxied with `fetch()`).
 */
function applyToContext(c: HonoContextLike, decision: CorsDecision): void {
  if (decision.headers.length === 0 && decision.vary === '') return;
  const res = c.res;
  try {
    applyDecision(decision, res.headers, fetchHeaders);
  } catch {
    // A handler returned fetch()'s Response or Response.redirect(): headers are immutable.
    const copy = mutableCopy(res);
    if (copy === undefined) return;
    // Hono's c.res setter copies the old response's headers onto the new one: apply after it.
    c.res = copy;
    applyDecision(decision, c.res.headers, fetchHeaders);
  }
}

/**
 * CORS middleware for [Hono](https://hono.dev) 4, a drop-in replacement for `hono/cors` with
 * Preflight's options (the same as every Preflight adapter; see the core README).
 *
 * The options are validated here, once: an invalid or insecure configuration throws a
 * `CorsConfigError` from this call. Per request the middleware:
 * - answers a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`, to any path,
 *   routed or not) with `optionsSuccessStatus` (`204`) and an empty body, without calling
 *   `next` (unless `preflightContinue`), keeping headers earlier middleware set with
 *   `c.header()`;
 * - otherwise calls `next()`, then sets the CORS headers on `c.res` — whatever produced it:
 *   a route, `app.notFound`, `app.onError` (thrown errors and `HTTPException`s) — and merges
 *   its `Vary` tokens into the response's own `Vary`;
 * - when an `origin` predicate throws, rejects or times out, throws a `CorsOriginError` into
 *   Hono's error handling (`app.onError`; the default answers 500), with `Vary: Origin`
 *   already on the context.
 *
 * Register it before your routes and before anything that authenticates (preflights carry no
 * credentials).
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { cors } from '@preflight/cors-fetch';
 *
 * const app = new Hono();
 * app.use(cors({ origin: ['https://app.example.com', 'https://*.example.org'], credentials: true }));
 * app.get('/api/items', (c) => c.json([{ id: 1 }]));
 * export default app;
 * ```
 */
export function cors(options: CorsOptions): HonoCorsMiddleware {
  const policy = compileCors(options);

  /** A predicate's error: Hono's error handler builds its answer from the context, so Vary: Origin set here reaches the 500. */
  function failed(c: HonoContextLike, error: unknown): Promise<never> {
    mergeVaryInto(c.res.headers, policy.pendingVary, fetchHeaders);
    return Promise.reject(error);
  }

  // Not an `async function`: an answered preflight returns a shared resolved promise, with no
  // async frame or promise of its own per request.
  return function cors(c: HonoContextLike, next: () => Promise<void>): Promise<void> {
    let outcome: CorsDecision | Promise<CorsDecision>;
    try {
      outcome = policy.decide(honoRequestView(c));
    } catch (error) {
      return failed(c, error); // a synchronous predicate threw (a CorsOriginError)
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (decision) => proceed(c, next, decision),
        (error: unknown) => failed(c, error),
      );
    }
    return proceed(c, next, outcome);
  };
}

const DONE: Promise<void> = Promise.resolve();

/** Answer a preflight, or run the rest of the app and put the decision on its response. */
function proceed(c: HonoContextLike, next: () => Promise<void>, decision: CorsDecision): Promise<void> {
  if (decision.end) {
    // c.body() keeps headers set earlier with c.header() (a request id…) without building
    // c.res first; setting c.res then only copies headers if an earlier layer built one.
    const res = c.body(null, decision.status);
    applyDecision(decision, res.headers, fetchHeaders);
    c.res = res;
    return DONE;
  }
  // c.res is then the route's response, or the one app.notFound / app.onError produced.
  return next().then(() => applyToContext(c, decision));
}
