/**
 * @preflight/cors-node — CORS for node:http, Connect and Express 4/5, right by the Fetch standard.
 *
 * - `cors(options)`: a `(req, res, next)` middleware for Connect and Express.
 * - `withCors(options, listener)`: wraps a plain `http.createServer` request listener.
 *
 * Every decision is made by `@preflight/cors-core`; this package only reads `req.headers`
 * and writes the answer onto the `ServerResponse`.
 *
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import {
  applyToResponse,
  compileCors,
  keepVary,
  mergeVaryInto,
  requestFromHeaders,
  responseHeaders,
  type CorsDecision,
  type CorsOptions,
  type CorsPolicy,
  type DecisionCallback,
} from '@preflight/cors-core';

export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
/**
 * Make sure Vary tokens survive a route that *sets* `Vary` later: wraps the response's
 * `writeHead` once. Re-exported from `@preflight/cors-core`, where it lives.
 */
export { keepVary } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsRefusal } from '@preflight/cors-core';

/** A request of node:http, or of node:http2's compatibility API (`http2.createServer(listener)`). */
export type NodeRequest = IncomingMessage | Http2ServerRequest;

/** A response of node:http, or of node:http2's compatibility API. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/** The `next` callback of Connect and Express middleware. */
export type NextFunction = (err?: unknown) => void;

/** A Connect/Express-style middleware, also usable with plain node:http and node:http2's compatibility API. */
export type CorsMiddleware = (req: NodeRequest, res: NodeResponse, next: NextFunction) => void;

/** Extra settings of `withCors` (they are not CORS options). */
export interface WithCorsSettings<Req extends NodeRequest = IncomingMessage, Res extends NodeResponse = ServerResponse> {
  /**
   * Called with every error `withCors` catches: an origin predicate that throws, rejects or
   * times out (a `CorsOriginError`, with the original error in `cause`), and an exception
   * thrown by the listener or a rejection of the promise it returns. The CORS headers are
   * already on `res`. If `onError` does not answer, `withCors` sends a plain-text 500 (or
   * destroys the response when its head was already sent).
   *
   * Default: log the error with `console.error`.
   */
  onError?: ((error: unknown, req: Req, res: Res) => void) | undefined;
}

/** Before a predicate error can happen: the error response must vary on Origin too. */
function varyOnOrigin(policy: CorsPolicy, res: NodeResponse): void {
  if (policy.pendingVary === '') return;
  mergeVaryInto(res, policy.pendingVary, responseHeaders);
  keepVary(res, policy.pendingVary);
}

// ---------------------------------------------------------------------------------------
// One flow for both entry points; what "continue" and "fail" mean is a module-level table.

interface Continuation<C> {
  proceed(req: NodeRequest, res: NodeResponse, context: C): void;
  fail(req: NodeRequest, res: NodeResponse, context: C, error: unknown): void;
}

function run<C>(policy: CorsPolicy, req: NodeRequest, res: NodeResponse, context: C, then: Continuation<C>): void {
  let decision: CorsDecision | undefined;
  try {
    // Only a predicate policy can decide later: only then is a callback allocated.
    decision = policy.mayDecideLater
      ? policy.decideWith(requestFromHeaders(req.method, req.headers), later(req, res, context, then))
      : (policy.decideHeaders(req.method, req.headers) as CorsDecision);
  } catch (error) {
    // A synchronous predicate throw (a CorsOriginError).
    varyOnOrigin(policy, res);
    then.fail(req, res, context, error);
    return;
  }
  if (decision === undefined) {
    // Pending: the callback runs in the microtask that receives the predicate's answer.
    varyOnOrigin(policy, res);
    return;
  }
  if (applyToResponse(decision, res)) then.proceed(req, res, context);
}

/**
 * The callback of a decision that may come later. Built here, not in `run`: a closure there
 * would capture `run`'s parameters, and V8 would then allocate a context for them on every
 * request, a static policy's included.
 */
function later<C>(req: NodeRequest, res: NodeResponse, context: C, then: Continuation<C>): DecisionCallback {
  return (error, decision) => settled(req, res, context, then, error, decision);
}

/** A decision that came later (a predicate's Promise settled), or its error. */
function settled<C>(req: NodeRequest, res: NodeResponse, context: C, then: Continuation<C>, error: unknown, decision: CorsDecision | undefined): void {
  if (decision === undefined) {
    then.fail(req, res, context, error);
    return;
  }
  let go: boolean;
  try {
    go = applyToResponse(decision, res);
  } catch (failure) {
    then.fail(req, res, context, failure);
    return;
  }
  if (go) then.proceed(req, res, context);
}

const AS_MIDDLEWARE: Continuation<NextFunction> = {
  proceed: (_req, _res, next) => next(),
  fail: (_req, _res, next, error) => next(error),
};

/**
 * Create a CORS middleware for Connect, Express 4 and Express 5 (or any `(req, res, next)`
 * stack over node:http).
 *
 * The options are validated here, once: an invalid or insecure configuration throws a
 * `CorsConfigError` from this call, never later. Per request the middleware sets the CORS
 * headers and merges `Vary` (a route that later *sets* `Vary` keeps our tokens), then:
 * - answers a preflight itself (`204` by default, empty body) without calling `next`;
 * - otherwise calls `next()`;
 * - when an `origin` predicate throws, rejects or times out, calls `next(err)` with a
 *   `CorsOriginError` (`status` 500, `expose` false), `Vary: Origin` already set.
 *
 * Register it before your routes and before anything that authenticates: preflights carry
 * no credentials.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { cors } from '@preflight/cors-node';
 *
 * const app = express();
 * app.use(cors({ origin: ['https://app.example.com', 'https://*.example.org'], credentials: true }));
 * app.get('/api/items', (req, res) => res.json([]));
 * app.listen(3000);
 * ```
 */
export function cors(options: CorsOptions): CorsMiddleware {
  const policy = compileCors(options);
  return function preflightCors(req: NodeRequest, res: NodeResponse, next: NextFunction): void {
    run(policy, req, res, next, AS_MIDDLEWARE);
  };
}

/** What `withCors` carries through one request: the listener and the error hook. */
interface ListenerContext {
  readonly listener: (req: NodeRequest, res: NodeResponse) => unknown;
  readonly onError: (error: unknown, req: NodeRequest, res: NodeResponse) => void;
}

function logError(error: unknown): void {
  console.error('@preflight/cors-node: request failed', error);
}

function failRequest(req: NodeRequest, res: NodeResponse, context: ListenerContext, error: unknown): void {
  try {
    context.onError(error, req, res);
  } catch (hookError) {
    logError(hookError);
  }
  if (res.writableEnded) return;
  if (res.headersSent) {
    // Half a response is out: the only honest signal left is to cut the connection.
    res.destroy();
    return;
  }
  // The CORS headers stay, so the page sees this 500 instead of a network error.
  res.removeHeader('Content-Encoding');
  res.removeHeader('Content-Language');
  res.removeHeader('Content-Range');
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', '21');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method === 'HEAD') res.end();
  else res.end('Internal Server Error');
}

const AS_LISTENER: Continuation<ListenerContext> = {
  proceed(req, res, context) {
    let result: unknown;
    try {
      result = context.listener(req, res);
    } catch (error) {
      failRequest(req, res, context, error);
      return;
    }
    if (result instanceof Promise) result.catch((error: unknown) => failRequest(req, res, context, error));
  },
  fail: failRequest,
};

/**
 * Wrap a plain `http.createServer` request listener with CORS.
 *
 * The options are validated here, once (an invalid configuration throws `CorsConfigError`
 * from this call). Per request, preflights are answered without running `listener`; every
 * other request gets its CORS headers and runs `listener`.
 *
 * Errors never crash the process and are never swallowed silently: an origin predicate
 * that throws, rejects or times out, an exception thrown synchronously by `listener`, and a
 * rejection of the promise `listener` returns all go to `settings.onError` (default:
 * `console.error`), then get a plain-text `500 Internal Server Error` that still carries the
 * CORS headers (or, if `listener` had already sent the head, the response is destroyed).
 *
 * It also wraps node:http2 listeners (`http2.createServer`, `createSecureServer`): annotate
 * the listener's parameters as `Http2ServerRequest` and `Http2ServerResponse`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { withCors } from '@preflight/cors-node';
 *
 * const server = createServer(
 *   withCors({ origin: 'https://app.example.com' }, (req, res) => {
 *     res.setHeader('Content-Type', 'application/json');
 *     res.end(JSON.stringify({ hello: 'world' }));
 *   }),
 * );
 * server.listen(3000);
 * ```
 */
export function withCors<Req extends NodeRequest = IncomingMessage, Res extends NodeResponse = ServerResponse>(
  options: CorsOptions,
  listener: (req: Req, res: Res) => unknown,
  settings?: WithCorsSettings<Req, Res>,
): (req: Req, res: Res) => void {
  const policy = compileCors(options);
  const context = {
    listener,
    onError: settings?.onError ?? logError,
  } as ListenerContext;
  return function corsListener(req: Req, res: Res): void {
    run(policy, req, res, context, AS_LISTENER);
  };
}
