/** What the in-process drivers share: the Driver interface, the floor (also used by the server parts), the check before timing. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import { carryDecision, compileCors, keepVary, requestFromHeaders, type CorsDecision } from '@preflight/cors-core';
import { BODY, oursOptions, type Case, type RequestSpec } from '../../config.js';
import type { StubResponse } from '../../stubs.js';

/** What a driver leaves on the response, for the correctness check; header names in lower case. */
export type Outcome = { readonly status: number; readonly appRan: boolean; readonly headers: Readonly<Record<string, unknown>> };

/** One side of one framework: `prepare` builds what one request needs (not timed), `handle` runs it (a Promise if async). */
export interface Driver<U = unknown> {
  prepare(spec: RequestSpec): U;
  handle(unit: U): void | Promise<void>;
  outcome(unit: U): Outcome;
}

/** A Driver over units of type `U` (the cast from `unknown` done once, here; the methods are used as given). */
export const defineDriver = <U>(driver: Driver<U>): Driver => driver as Driver;

/** core: the core alone (node only); floor: the answer written by hand; minimum: the framework minimum; baseline: a no-op. */
export type Side = 'incumbent' | 'ours' | 'core' | 'floor' | 'minimum' | 'baseline';

type Build = (c: Case) => Driver | Promise<Driver>;
/** How a framework builds the driver of each side for a case; a side it lacks does not apply. */
export interface SideBuilders {
  readonly incumbent?: Build;
  readonly ours: Build;
  readonly core?: Build;
  /** Given the case's answer (`floorAnswer`); `minimum`: the framework minimum. */
  readonly floor: (answer: CorsDecision, minimum: boolean, c: Case) => Driver | Promise<Driver>;
  readonly baseline: Build;
}

/** The framework minimum's reads of the CORS request headers, kept in an exported object so that they are never dead code. */
export const seen: { origin: unknown; method: unknown; headers: unknown } = { origin: undefined, method: undefined, headers: undefined };
export function readRecord(headers: Readonly<Record<string, unknown>>, preflight: boolean): void {
  seen.origin = headers.origin;
  if (!preflight) return;
  seen.method = headers['access-control-request-method'];
  seen.headers = headers['access-control-request-headers'];
}
export function readFetch(headers: Headers, preflight: boolean): void {
  seen.origin = headers.get('origin');
  if (!preflight) return;
  seen.method = headers.get('access-control-request-method');
  seen.headers = headers.get('access-control-request-headers');
}

/** Whether a case has a floor: one fixed answer (one synchronous request), which the floor knows in advance. */
export function hasFloor(c: Case): boolean {
  return c.origins.kind !== 'async' && c.requests.length === 1;
}

/** The core's decision for the request of a case with a floor (`hasFloor`: it is synchronous), computed at setup. */
export function floorAnswer(c: Case): CorsDecision {
  const spec = c.requests[0]!;
  return compileCors(oursOptions(c)).decide(requestFromHeaders(spec.method, spec.headers)) as CorsDecision;
}

export const appendVary = (current: unknown, tokens: string): string => (current === undefined ? tokens : `${String(current)}, ${tokens}`);

/** The floor's whole work on a node:http-style response. */
function writeAnswer(res: { getHeader(name: string): unknown; setHeader(name: string, value: string): unknown }, answer: CorsDecision): void {
  const { headers, vary } = answer;
  for (let i = 0; i < headers.length; i++) res.setHeader(headers[i]![0], headers[i]![1]);
  if (vary !== '') res.setHeader('vary', appendVary(res.getHeader('vary'), vary));
}

/** The floor (with `minimum`: the framework minimum) as a `(req, res, next)` middleware: node, NestJS on Express. */
export function floorMiddleware(answer: CorsDecision, minimum: boolean): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const { end, status, vary } = answer;
  return (req, res, next) => {
    if (minimum) readRecord(req.headers, end);
    writeAnswer(res, answer);
    if (end) {
      res.statusCode = status;
      res.end();
      return;
    }
    if (minimum && vary !== '') keepVary(res, vary);
    next();
  };
}

/**
 * The floor as a Koa middleware. Koa's `ctx.onerror` removes every header before it answers an error, so a correct layer
 * puts its answer back on that path: the minimum installs such a handler on each context (never called here).
 */
export function floorKoa(answer: CorsDecision, minimum: boolean): Koa.Middleware {
  const { end, status, vary } = answer;
  const carried: Record<string, string> = Object.fromEntries(vary === '' ? answer.headers : [...answer.headers, ['Vary', vary]]);
  function onerror(this: Koa.Context, error: unknown): void {
    if (error !== null && typeof error === 'object') Reflect.set(error, 'headers', { ...(error as { headers?: object }).headers, ...carried });
    (Object.getPrototypeOf(this) as Koa.Context).onerror.call(this, error as Error);
  }
  return (ctx, next) => {
    if (minimum) readRecord(ctx.req.headers, end);
    writeAnswer(ctx.res, answer);
    if (end) {
      ctx.status = status;
      ctx.body = null;
      return Promise.resolve();
    }
    if (minimum) {
      if (vary !== '') keepVary(ctx.res, vary);
      ctx.onerror = onerror;
    }
    return next();
  };
}

/** What the floor's hook uses of a Fastify reply (Fastify's, or that of the Fastify NestJS pins: their types differ). */
interface FastifyReplyLike {
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
  code(status: number): { send(): unknown };
  readonly raw?: unknown;
}

/**
 * The floor as a Fastify `onRequest` hook (Fastify, NestJS on Fastify). The minimum carries the whole answer to the Node
 * response's head (`carryDecision`): a middleware (`@fastify/middie`) or a hook may end it past the reply's headers.
 */
export function floorHook(answer: CorsDecision, minimum: boolean): (request: unknown, reply: FastifyReplyLike, done: () => void) => void {
  const { headers, vary, end, status } = answer;
  return (request, reply, done) => {
    if (minimum) readRecord((request as { headers: Record<string, unknown> }).headers, end);
    for (let i = 0; i < headers.length; i++) reply.header(headers[i]![0], headers[i]![1]);
    if (vary !== '') reply.header('vary', appendVary(reply.getHeader('vary'), vary));
    if (end) reply.code(status).send();
    else {
      if (minimum) carryDecision(reply.raw as ServerResponse, answer);
      done();
    }
  };
}

/** The outcome left on a stub response (node, Fastify, Koa): the application ran if it wrote the body. */
export function stubOutcome(res: StubResponse): Outcome {
  return { status: res.statusCode, appRan: res.body === BODY, headers: res.getHeaders() };
}

/** What a correct CORS layer would have done differently with a request from `origin` (undefined: nothing). */
export function checkOutcome(expect: Case['expect'], origin: string | undefined, outcome: Outcome): string | undefined {
  const acao = outcome.headers['access-control-allow-origin'];
  if (expect === 'refused' || expect === 'not-cors') {
    if (acao !== undefined) return `expected no Access-Control-Allow-Origin, got ${String(acao)}`;
  } else if (acao !== origin) return `expected Access-Control-Allow-Origin: ${origin}, got ${String(acao)}`;
  if (expect !== 'preflight-allowed') return outcome.appRan ? undefined : 'the application did not run';
  if (outcome.appRan) return 'the preflight reached the application';
  if (outcome.status < 200 || outcome.status > 299) return `preflight status ${outcome.status}`;
  return outcome.headers['access-control-allow-methods'] === undefined ? 'no Access-Control-Allow-Methods' : undefined;
}

export const isAsync = (c: Case): boolean => c.origins.kind === 'async';

/** Fill `units` with freshly prepared requests of `c`, its requests in turn from `cursor` on (not timed); the next cursor. */
export function prepareBatch(driver: Driver, c: Case, units: unknown[], cursor: number): number {
  for (let i = 0; i < units.length; i++) units[i] = driver.prepare(c.requests[cursor++ % c.requests.length]!);
  return cursor;
}

/** Handle a prepared batch: one request after another, or all in flight at once (`pending` given: an asynchronous side). */
export function handleBatch(driver: Driver, units: readonly unknown[], pending?: (void | Promise<void>)[]): void | Promise<unknown> {
  if (pending === undefined) {
    for (let i = 0; i < units.length; i++) driver.handle(units[i]);
    return;
  }
  for (let i = 0; i < units.length; i++) pending[i] = driver.handle(units[i]);
  return Promise.all(pending);
}
