import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import {
  applyDecision,
  applyToResponse,
  carryDecision,
  mergeVaryInto,
  responseHeaders,
  type CorsDecision,
  type CorsPolicy,
  type HeaderAccess,
} from '@preflight/cors-core';
import type { PolicyResolver } from './route-policies.js';

type Done = (error?: unknown) => void;

/** What the Fastify platform hands a request hook (only what the hook uses). */
interface FastifyRequestLike {
  readonly raw: IncomingMessage;
}
interface FastifyReplyLike {
  readonly raw: ServerResponse;
  code(status: number): { send(): unknown };
  header(name: string, value: string): unknown;
  getHeader(name: string): string | number | readonly string[] | undefined;
}

/**
 * Fastify reply headers (set, never append). The decision's headers go there, not on
 * `reply.raw`: a header set on the raw response makes Node re-set every header Fastify passes
 * to `writeHead` one by one through `setHeader`, with its checks (the slow path of `writeHead`).
 */
const replyHeaders: HeaderAccess<FastifyReplyLike> = {
  get: (reply, name) => reply.getHeader(name),
  set: (reply, name, value) => {
    reply.header(name, value);
  },
};

/** A request hook as the Express (`req, res, next`) or Fastify (`request, reply, done`) platform calls it. */
type RequestHook<Req, Res> = (this: unknown, req: Req, res: Res, done: Done) => unknown;

/** The request-hook slot of Nest's HTTP adapters (`setOnRequestHook`, platform-express and platform-fastify ≥ 10.2). */
interface HookableAdapter {
  onRequestHook?: RequestHook<unknown, unknown>;
  setOnRequestHook(hook: RequestHook<unknown, unknown>): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * The CORS layer of `CorsModule`: pick the request's policy (the module's, or the one of its
 * route: `@Cors()`), decide, write the headers (below), and either end an
 * answered preflight or continue with `done()`. A route with `@Cors(false)` continues untouched.
 *
 * Every response carries the headers, including one a Nest middleware ends itself (on
 * Fastify, middleware gets the raw response through @fastify/middie): on Express they are
 * set on the Node response, on Fastify on the reply, and the Node response adds them to a
 * head written without them (`carryDecision`). An origin predicate that fails passes its
 * `CorsOriginError` to `done(error)`: the platform hands it to Nest's exception layer
 * (global filters), and the error response varies on Origin.
 */
export function corsRequestHook(policyFor: PolicyResolver, platform: 'express' | 'fastify'): RequestHook<unknown, unknown> {
  /**
   * Apply a settled decision; end an answered preflight, otherwise continue. Express: on the
   * Node response. Fastify (`reply`): on the reply, so that Fastify's lifecycle (onSend,
   * onResponse, logging) sees them and Fastify's `writeHead` keeps its fast path; the Node
   * response is made to carry them too (`carryDecision`), for a Nest middleware (which gets
   * `reply.raw` through @fastify/middie) that ends the response itself.
   */
  function settle(decision: CorsDecision, res: ServerResponse, reply: FastifyReplyLike | undefined, done: Done): void {
    if (reply === undefined) {
      if (applyToResponse(decision, res)) done();
      return;
    }
    applyDecision(decision, reply, replyHeaders);
    if (decision.end) {
      void reply.code(decision.status).send();
      return;
    }
    carryDecision(res, decision);
    done();
  }

  function fail(policy: CorsPolicy, error: unknown, res: ServerResponse, done: Done): void {
    mergeVaryInto(res, policy.pendingVary, responseHeaders);
    done(error);
  }

  function run(req: IncomingMessage, res: ServerResponse, reply: FastifyReplyLike | undefined, done: Done): unknown {
    const policy = policyFor(req);
    if (policy === false) {
      done();
      return undefined;
    }
    let decision: CorsDecision | Promise<CorsDecision>;
    try {
      decision = policy.decideHeaders(req.method, req.headers);
    } catch (error) {
      fail(policy, error, res, done); // a synchronous predicate threw (CorsOriginError)
      return undefined;
    }
    if (!isThenable(decision)) {
      settle(decision, res, reply, done);
      return undefined;
    }
    return settleLater(decision, policy, res, reply, done);
  }

  /**
   * Settles after `done` was called (or the preflight answered); never rejects. Its own
   * function, not closures in `run`: those would capture `run`'s variables, and V8 would then
   * allocate a context for them on every request, a static policy's included.
   */
  function settleLater(decision: Promise<CorsDecision>, policy: CorsPolicy, res: ServerResponse, reply: FastifyReplyLike | undefined, done: Done): Promise<void> {
    return decision.then(
      (settled) => {
        try {
          settle(settled, res, reply, done);
        } catch (error) {
          done(error);
        }
      },
      (error: unknown) => fail(policy, error, res, done),
    );
  }

  if (platform === 'express') return (req, res, next) => run(req as IncomingMessage, res as ServerResponse, undefined, next);
  return (request, reply, done) => run((request as FastifyRequestLike).raw, (reply as FastifyReplyLike).raw, reply as FastifyReplyLike, done);
}

/** A promise that never settles: what `installFirst` returns when nothing may continue the request. */
const NEVER: Promise<never> = new Promise<never>(() => undefined);
const NOT_CALLED = Symbol('not called');

/**
 * Run `hook` first on every request, through the adapter's request-hook slot (the first
 * thing both platforms run: on Express ahead of the body parsers and every middleware, on
 * Fastify ahead of @fastify/middie and so of every Nest middleware). A hook already in the
 * slot, or one set later (`setOnRequestHook`, used by instrumentation), runs after it.
 *
 * The adapters differ in what a hook's returned promise means (NestJS 12 on Fastify
 * continues the request when it resolves), so the CORS hook itself returns nothing, and the
 * next hook's result is handed back to the adapter as the adapter would have received it.
 */
export function installFirst(adapter: AbstractHttpAdapter, hook: RequestHook<unknown, unknown>): void {
  const slot = adapter as unknown as HookableAdapter;
  let after = slot.onRequestHook;
  function first(this: unknown, req: unknown, res: unknown, done: Done): unknown {
    const next = after;
    if (next === undefined) {
      void hook.call(this, req, res, done);
      return undefined;
    }
    let continued: unknown = NOT_CALLED;
    const pending = hook.call(this, req, res, (error) => {
      if (error !== undefined) done(error);
      else continued = next.call(this, req, res, done);
    });
    // Synchronous decision: the next hook (if the request went on) has already returned.
    if (!isThenable(pending)) return continued === NOT_CALLED ? undefined : continued;
    // Asynchronous decision: follow the next hook's promise, if it returns one.
    return Promise.resolve(pending).then(() => (isThenable(continued) ? continued : NEVER));
  }
  slot.setOnRequestHook(first);
  // The platform packages store the hook and run it on every request from 11.1.4 on; before,
  // setOnRequestHook was the base adapter's no-op and CORS would silently be missing.
  if (slot.onRequestHook !== first) {
    throw new Error(
      `@preflight/cors-nestjs: this application's HTTP adapter (${adapter.getType()}) does not run request hooks (setOnRequestHook), ` +
        'so CorsModule cannot run first on every request. Upgrade @nestjs/platform-express or @nestjs/platform-fastify to 11.1.4 or later (or 12).',
    );
  }
  slot.setOnRequestHook = (next) => {
    after = next;
  };
}
