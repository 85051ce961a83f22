/**
 * @preflight/cors-h3 — CORS middleware for h3 2 (the server under Nitro and Nuxt), right by
 * the Fetch standard.
 *
 * h3 2 is built on the Fetch API (`event.req` is a `Request`, handlers end as a `Response`),
 * so this package is `@preflight/cors-fetch`'s `createCors` as an h3 middleware: the same
 * request view, preflight answer and header application, and every decision made by
 * `@preflight/cors-core`. What it adds is h3's side: the route's result rendered with h3's own
 * `toResponse` before the headers are applied, and the headers staged on
 * `event.res.errHeaders` for errors and 404s that h3 renders itself.
 *
 * @packageDocumentation
 */
import { mergeVary, type CorsDecision, type CorsOptions } from '@preflight/cors-core';
import { createCors } from '@preflight/cors-fetch';
import { toResponse } from 'h3';

export { CorsConfigError, CorsOriginError } from '@preflight/cors-core';
export type { CorsDecision, CorsOptions, CorsRefusal } from '@preflight/cors-core';

/**
 * The parts of an h3 2 event the middleware touches (`H3Event` satisfies it), so this
 * package's types do not import h3's.
 */
export interface H3EventLike {
  readonly req: Request;
  readonly res: {
    /** Headers h3 merges into the response of the route. */
    readonly headers: Headers;
    /** Headers h3 merges into the error responses it renders (thrown errors, 404s). */
    readonly errHeaders: Headers;
  };
}

/** The middleware returned by `cors()`: an h3 2 `(event, next)` middleware. */
export type H3CorsMiddleware = (event: H3EventLike, next: () => unknown) => Promise<unknown>;

/** Stage the decision's headers for a response h3 renders itself (an error, a 404), Vary merged. */
function stageForError(event: H3EventLike, headers: CorsDecision['headers'], vary: string, error?: unknown): void {
  const staged = event.res.errHeaders;
  for (let i = 0; i < headers.length; i++) staged.set(headers[i]![0], headers[i]![1]);
  if (vary === '') return;
  // h3 sets the staged Vary over the error's own (an HTTPError's `headers`): merge both in.
  const own = error instanceof Error ? (error as { headers?: unknown }).headers : undefined;
  const ownVary = own instanceof Headers ? own.get('vary') : undefined;
  const merged = mergeVary(mergeVary(ownVary, staged.get('vary') ?? '') ?? null, vary);
  if (merged !== undefined) staged.set('vary', merged);
}

/**
 * Create the CORS middleware for h3 2.
 *
 * The options are validated here, once: an invalid or insecure configuration throws a
 * `CorsConfigError` from this call, never per request. Per request the middleware:
 * - answers a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`, to any path,
 *   routed or not) with `optionsSuccessStatus` (`204`) and an empty body, without calling
 *   `next()` (unless `preflightContinue`);
 * - otherwise calls `next()`, renders what the route returned with h3's `toResponse` (so the
 *   headers the route staged on `event.res.headers`, `Vary` included, are in it), then sets
 *   the CORS headers and merges `Vary` on that `Response` (a copy if its headers are immutable);
 * - when the route throws, or nothing matched (h3's 404), stages the CORS headers on
 *   `event.res.errHeaders` and lets h3 render the error as usual;
 * - when an `origin` predicate throws, rejects or times out, throws its `CorsOriginError`
 *   into h3's error handling (a 500), with `Vary: Origin` staged.
 *
 * Register it first, before routes and anything that authenticates (preflights carry no
 * credentials). Do not use h3's `handleCors` as well.
 *
 * @example
 * ```ts
 * import { H3, serve } from 'h3';
 * import { cors } from '@preflight/cors-h3';
 *
 * const app = new H3();
 * app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
 * app.get('/items', () => ({ items: [] }));
 * serve(app, { port: 3000 });
 * ```
 */
export function cors(options: CorsOptions): H3CorsMiddleware {
  const fetchCors = createCors(options);
  const pendingVary = fetchCors.pendingVary;
  return async function cors(event: H3EventLike, next: () => unknown): Promise<unknown> {
    let decision: CorsDecision;
    try {
      const outcome = fetchCors.decide(event.req);
      decision = outcome instanceof Promise ? await outcome : outcome;
    } catch (error) {
      stageForError(event, [], pendingVary, error);
      throw error;
    }
    const answer = fetchCors.preflight(decision);
    if (answer !== undefined) return answer;
    let result: unknown;
    try {
      result = await next();
    } catch (error) {
      stageForError(event, decision.headers, decision.vary, error);
      throw error;
    }
    // Nothing handled it (h3's 404 follows), or an error returned rather than thrown.
    if (result === undefined || typeof result === 'symbol' || result instanceof Error) {
      stageForError(event, decision.headers, decision.vary, result);
      return result;
    }
    return fetchCors.apply(decision, await toResponse(result, event as Parameters<typeof toResponse>[1]));
  };
}

export default cors;
