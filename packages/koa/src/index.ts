/**
 * @preflight/cors-koa — CORS middleware for Koa 2 and 3, right by the Fetch standard.
 *
 * Every decision is made by `@preflight/cors-core`; this package reads four request headers,
 * writes the answer onto the response, and makes sure the CORS headers survive Koa's error
 * handling (which removes every header before it writes an error response).
 *
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { format } from 'node:util';
import {
  applyDecision,
  compileCors,
  keepVary,
  mergeVary,
  mergeVaryInto,
  responseHeaders,
  type CorsDecision,
  type CorsOptions,
  type HeaderEntry,
} from '@preflight/cors-core';

export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsRefusal } from '@preflight/cors-core';

/**
 * The parts of a Koa context the middleware touches. Koa 2 and Koa 3 contexts (and
 * `@types/koa` 2 or 3) all satisfy it, so `app.use(cors(…))` and `router.use(cors(…))`
 * type-check without this package depending on Koa's types.
 */
export interface CorsContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  status: number;
  body: unknown;
}

/** The middleware returned by `cors()`: a Koa 2/3 `async (ctx, next)` function. */
export type CorsMiddleware = (ctx: CorsContext, next: () => Promise<unknown>) => Promise<void>;

const NO_HEADERS: readonly HeaderEntry[] = Object.freeze([]);

/** Merge Vary tokens into the response's own Vary, unless its head is already out. */
function varyUnlessSent(res: ServerResponse, tokens: string): void {
  if (!res.headersSent) mergeVaryInto(res, tokens, responseHeaders);
}

/**
 * Koa's error handler (`ctx.onerror`) removes every response header, then sets the
 * error's own `headers`. Put the CORS headers and our Vary tokens there — in a new object,
 * since `ctx.throw(401, { headers })` may share one object between requests — so the error
 * response keeps them. Error handlers in front of this middleware that answer themselves
 * keep the headers already on the response.
 */
function keepOnError(error: unknown, res: ServerResponse, headers: readonly HeaderEntry[], vary: string): void {
  varyUnlessSent(res, vary);
  // Nothing to carry headers on. (`onerrorKeepingCors` gives Koa's own handler an Error instead.)
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return;
  const own: unknown = (error as { headers?: unknown }).headers;
  const merged: Record<string, unknown> = {};
  let ownVary: unknown;
  if (own !== null && typeof own === 'object') {
    for (const name of Object.keys(own)) {
      const lower = name.toLowerCase();
      if (lower === 'vary') ownVary = (own as Record<string, unknown>)[name];
      else if (!headers.some((h) => h[0].toLowerCase() === lower)) merged[name] = (own as Record<string, unknown>)[name];
    }
  }
  for (const [name, value] of headers) merged[name] = value;
  const varyValue = mergeVary(typeof ownVary === 'string' || Array.isArray(ownVary) ? (ownVary as string | string[]) : undefined, vary);
  if (varyValue !== undefined) merged.Vary = varyValue;
  // Reflect.set: a frozen error keeps its headers instead of turning into a TypeError.
  Reflect.set(error, 'headers', merged);
}

/**
 * Answer a preflight: the decision's status with an empty body. Koa would turn an empty
 * body into `204`, or write the status text as the body; an explicit `null` body with an
 * explicit status is sent as is. The decision's headers come last because setting the body
 * removes `Content-Length` (the core sends `Content-Length: 0` on non-204 answers).
 */
function answerPreflight(ctx: CorsContext, decision: CorsDecision): void {
  const res = ctx.res;
  if (decision.status === 204) {
    // The usual answer. Status first: a null body on a 204 only removes the entity headers
    // (no Content-Type check, no second status change).
    ctx.status = 204;
    ctx.body = null;
  } else {
    // Koa 3 turns a null body into the string "null" when Content-Type is JSON, and a null
    // body on a non-empty status sets 204: remove the type, then set the status after.
    res.removeHeader('Content-Type');
    ctx.body = null;
    ctx.status = decision.status;
  }
  applyDecision(decision, res, responseHeaders);
}

/**
 * Create the CORS middleware for Koa 2 and Koa 3.
 *
 * The options are validated here, once: an invalid or insecure configuration throws a
 * `CorsConfigError` from this call, never per request. Per request the middleware:
 * - answers a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`, to any
 *   path, known route or not) itself with `optionsSuccessStatus` (`204` by default) and an
 *   empty body, without calling `next` (unless `preflightContinue`);
 * - otherwise sets the CORS headers, merges its `Vary` tokens into the response's `Vary`,
 *   and returns `next()`; the tokens are merged again when the head is written, so a route
 *   that *sets* `Vary` keeps `Origin`;
 * - keeps the CORS headers on errors: when an error reaches Koa's error handling
 *   (`ctx.onerror`, which removes every header and then writes the error's `headers`), the
 *   CORS headers are added to the error's `headers` first, and the error is otherwise unchanged
 *   (a thrown value that is not an `Error` is first replaced by the `Error` Koa's own handler
 *   would make of it: `non-error thrown: …`, answered `500`);
 * - when an `origin` predicate throws, rejects or times out, throws a `CorsOriginError`
 *   (`status` 500, `expose` false, the cause in `cause`) into Koa's error handling, with
 *   `Vary: Origin`.
 *
 * Register it first (before routers, body parsers and anything that authenticates:
 * preflights carry no credentials).
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { cors } from '@preflight/cors-koa';
 *
 * const app = new Koa();
 * app.use(cors({ origin: ['https://app.example.com', 'https://*.example.org'], credentials: true }));
 * app.use((ctx) => {
 *   ctx.body = { hello: 'world' };
 * });
 * app.listen(3000);
 * ```
 */
export function cors(options: CorsOptions): CorsMiddleware {
  const policy = compileCors(options);
  const pendingVary = policy.pendingVary;
  const failBeforeDecision = (error: unknown, res: ServerResponse): never => {
    // A CorsOriginError from the predicate: into Koa's error handling, varying on Origin.
    keepOnError(error, res, NO_HEADERS, pendingVary);
    throw error;
  };

  // Not an `async` function: a cached decision continues with `next()` directly, without the
  // extra promise and microtask an `async` wrapper costs on every request.
  return function cors(ctx: CorsContext, next: () => Promise<unknown>): Promise<void> {
    const res = ctx.res;
    let outcome: CorsDecision | Promise<CorsDecision>;
    try {
      outcome = policy.decideHeaders(ctx.req.method, ctx.req.headers);
    } catch (error) {
      // A synchronous predicate throw: Koa's error handling gets it as a rejection.
      keepOnError(error, res, NO_HEADERS, pendingVary);
      return Promise.reject(error as Error);
    }
    if (!(outcome instanceof Promise)) return proceed(ctx, next, outcome);
    // Whatever the predicate answers, or if it fails, the response depends on Origin.
    varyUnlessSent(res, pendingVary);
    return outcome.then(
      (decision) => proceed(ctx, next, decision),
      (error: unknown) => failBeforeDecision(error, res),
    );
  };
}

const DONE: Promise<void> = Promise.resolve();

/** What `proceed` adds to a Koa context: Koa's error handler, taken over, and the decision it keeps. */
const kDecision = Symbol('preflight.koa.decision');
interface ErrorHandlingContext extends CorsContext {
  onerror?: (this: ErrorHandlingContext, error: unknown) => unknown;
  [kDecision]?: CorsDecision;
}

/**
 * What Koa's own `ctx.onerror` (Koa 2 and 3, lib/context.js) first does with a thrown value
 * that is not an Error (`throw { status: 400 }`, `throw 'text'`, `throw 42`): replace it with
 * `new Error(util.format('non-error thrown: %j', value))` — dropping any headers put on the
 * value. Doing the same replacement before adding our headers keeps them, and Koa then takes
 * the Error as it is: same 500, body, message and `app.emit('error')` as without us.
 * (`null` and `undefined`, which Koa ignores, never get here: `onerrorKeepingCors` passes them on first.)
 */
function asKoaError(error: unknown): unknown {
  if (Object.prototype.toString.call(error) === '[object Error]' || error instanceof Error) return error;
  return new Error(format('non-error thrown: %j', error));
}

/**
 * `ctx.onerror` of a context whose CORS headers are set: Koa calls it with any error the
 * middleware chain (or the response) fails with; it removes every header, then sets
 * `err.headers`. Put ours there first, then hand over to the handler the context inherits
 * (Koa's, or one an application installed on `app.context`, as koa-onerror does).
 */
function onerrorKeepingCors(this: ErrorHandlingContext, error: unknown): unknown {
  const appContext = Object.getPrototypeOf(this) as ErrorHandlingContext;
  // Koa calls `ctx.onerror(null)` once every response has finished (on-finished): nothing to
  // keep then, and the handler the context inherits gets the call as it would without us.
  if (error == null) return appContext.onerror!.call(this, error);
  const decision = this[kDecision]!;
  // Koa's own handler (app.context inherits it) would swap a non-Error for a new Error: do it
  // first. A handler installed on app.context gets the value itself (koa-onerror, for one,
  // wraps it its own way, keeping its `status` and `headers`).
  const value = Object.hasOwn(appContext, 'onerror') ? error : asKoaError(error);
  keepOnError(value, this.res, decision.headers, decision.vary);
  return appContext.onerror!.call(this, value);
}

/** Apply a settled decision: answer a preflight, or set the headers and run the rest of the chain. */
function proceed(ctx: CorsContext, next: () => Promise<unknown>, decision: CorsDecision): Promise<void> {
  if (decision.end) {
    answerPreflight(ctx, decision);
    return DONE;
  }
  const res = ctx.res;
  applyDecision(decision, res, responseHeaders);
  // A route may *set* Vary (replacing ours): the response's writeHead merges our tokens back in.
  if (decision.vary !== '') keepVary(res, decision.vary);
  const context = ctx as ErrorHandlingContext;
  // Koa's error handling puts the headers back through `ctx.onerror`: no promise of ours on the
  // way. A context with an error handler of its own (or none) is caught here instead. The handler
  // is taken as inherited when it is the prototype's: the answer of `Object.hasOwn` (an own handler
  // that is the inherited function behaves as it), for less (the bench's Koa simple request:
  // ours ÷ framework minimum 1.03× → 1.01–1.02×).
  const current = context.onerror;
  const viaOnerror =
    current === onerrorKeepingCors ||
    (typeof current === 'function' && current === (Object.getPrototypeOf(context) as ErrorHandlingContext | null)?.onerror);
  if (viaOnerror) {
    context[kDecision] = decision;
    context.onerror = onerrorKeepingCors;
  }
  let downstream: Promise<unknown>;
  try {
    downstream = next();
  } catch (error) {
    keepOnError(error, res, decision.headers, decision.vary);
    return Promise.reject(error as Error);
  }
  if (viaOnerror) return downstream as Promise<void>;
  return keepingOnRejection(downstream, res, decision);
}

/**
 * The rest of the chain, with the CORS headers put on the error it may fail with. Its own
 * function, not closures in `proceed`: those would capture `proceed`'s variables, and V8 would
 * then allocate a context for them on every request, this path taken or not.
 */
function keepingOnRejection(downstream: Promise<unknown>, res: ServerResponse, decision: CorsDecision): Promise<void> {
  return downstream.then(
    () => undefined,
    (error: unknown) => {
      keepOnError(error, res, decision.headers, decision.vary);
      throw error;
    },
  );
}
