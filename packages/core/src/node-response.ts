/**
 * Helpers for adapters whose response is a node:http `ServerResponse` (or shaped like one):
 * node:http, Express, Connect, Fastify's `reply.raw`, NestJS.
 *
 * Keeping our Vary tokens when the application *sets* Vary after the CORS layer ran
 * (`res.setHeader('Vary', …)` replaces the value):
 * Like the `on-headers` package: wrap writeHead; Node's res.end(), res.write() and
 * flushHeaders() all go through `this.writeHead`, and Fastify passes its reply headers to
 * it. A plain response gets one own property, `writeHead`: a wrapper shared by every response
 * with the same tokens (no closure, no field per request). A response whose `writeHead` was
 * already wrapped on it gets a module-level wrapper and two symbol-keyed fields; a response
 * with a per-application prototype (Express) gets nothing of its own: see `usesPrototypeGuard`.
 */
import { applyDecision, keyOf, responseHeaders, type HeaderRecord, type NodeLikeResponse } from './apply.js';
import type { CorsDecision } from './types.js';
import { mergeVary } from './vary.js';

/** A response with node:http's `writeHead` and `headersSent` (`ServerResponse`, and anything shaped like it). */
export interface WriteHeadResponse extends NodeLikeResponse {
  readonly headersSent: boolean;
  statusCode: number;
  writeHead(statusCode: number, reason?: unknown, headers?: unknown): unknown;
  end(): unknown;
}

const kVary = Symbol('preflight.vary');
const kWriteHead = Symbol('preflight.writeHead');

type WriteHead = (this: WriteHeadResponse, statusCode: number, reason?: unknown, headers?: unknown) => unknown;

interface GuardedResponse extends WriteHeadResponse {
  [kVary]?: string;
  [kWriteHead]?: WriteHead;
}

/** Marks our per-token wrappers: which tokens they keep and which `writeHead` they call. */
const kTokens = Symbol('preflight.varyTokens');
const kOriginal = Symbol('preflight.originalWriteHead');
type TokenWriteHead = WriteHead & { readonly [kTokens]: string; readonly [kOriginal]: WriteHead };
/**
 * One wrapper per class `writeHead` and token string ("Origin", "Origin,
 * Access-Control-Request-Method"…): a handful per process.
 */
const tokenWrappers = new WeakMap<WriteHead, Map<string, TokenWriteHead>>();
const MAX_TOKEN_WRAPPERS = 64;

/**
 * The `writeHead` of a response that had none of its own: keeps `tokens` in Vary, then calls
 * `original`, its class's `writeHead` (captured once, as `on-headers` does, rather than
 * looked up through the prototype at each call: 13 ns less per response on Node 20).
 * Shared by every such response with the same class and tokens, so wrapping a response adds
 * one property and allocates nothing.
 */
function wrapperFor(original: WriteHead, tokens: string): TokenWriteHead {
  let wrappers = tokenWrappers.get(original);
  if (wrappers === undefined) tokenWrappers.set(original, (wrappers = new Map()));
  let wrapper = wrappers.get(tokens);
  if (wrapper !== undefined) return wrapper;
  const writeHead = function writeHeadKeepingTokens(this: WriteHeadResponse, statusCode: number, reason?: unknown, headers?: unknown): unknown {
    if (!this.headersSent) {
      if (reason === undefined && headers === undefined) restoreVary(this, tokens);
      else mergeIntoHead(this, tokens, reason, headers);
    }
    return original.call(this, statusCode, reason, headers);
  };
  Object.defineProperty(writeHead, kOriginal, { value: original });
  wrapper = Object.defineProperty(writeHead, kTokens, { value: tokens }) as TokenWriteHead;
  if (wrappers.size < MAX_TOKEN_WRAPPERS) wrappers.set(tokens, wrapper);
  return wrapper;
}

/**
 * The last plain response wrapped: its class prototype, that class's `writeHead`, the
 * tokens and their wrapper. The next response of the same class with the same tokens (every
 * request of a server, in practice) is wrapped after three comparisons.
 */
let lastPrototype: object | null = null;
let lastOriginal: unknown = null;
let lastTokens = '';
let lastWrapper: TokenWriteHead | null = null;

/** The wrapper of a response whose writeHead was already its own (someone wrapped it before us). */
function writeHeadKeepingVary(this: GuardedResponse, statusCode: number, reason?: unknown, headers?: unknown): unknown {
  if (!this.headersSent) {
    // res.end() without an explicit writeHead passes no fields: the common case.
    if (reason === undefined && headers === undefined) restoreVary(this, this[kVary]!);
    else mergeIntoHead(this, this[kVary]!, reason, headers);
  }
  return this[kWriteHead]!.call(this, statusCode, reason, headers);
}

/**
 * Put `tokens` back into the response's own Vary if a route replaced it. Calls the
 * response's methods directly rather than through `mergeVaryInto`'s `HeaderAccess`: this
 * runs for every response, and the direct calls measured 20–35 ns faster per request in the
 * in-process node benchmark (about 0.02× of `cors`'s time, alternating runs).
 */
function restoreVary(res: WriteHeadResponse, tokens: string): void {
  const current = res.getHeader('vary');
  // Usually still exactly what the CORS layer wrote: one comparison.
  if (current === tokens) return;
  const merged = mergeVary(current, tokens);
  if (merged !== undefined && merged !== current) res.setHeader('vary', merged);
}

/** Merge `tokens` into the Vary of the head about to be written (writeHead's fields, or the response's). */
function mergeIntoHead(res: WriteHeadResponse, tokens: string, reason: unknown, headers: unknown): void {
  const fields = typeof reason === 'string' ? headers : reason;
  // Fields passed to writeHead take precedence over those already set: merge into a Vary
  // there, in place (other fields, repeated Set-Cookie lines included, stay untouched).
  let inFields = false;
  if (Array.isArray(fields)) {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (typeof fields[i] === 'string' && (fields[i] as string).toLowerCase() === 'vary') {
        fields[i + 1] = mergeVary(fields[i + 1] as string, tokens);
        inFields = true;
      }
    }
  } else if (fields !== null && typeof fields === 'object') {
    const record = fields as Record<string, string | number | readonly string[] | undefined>;
    // Fastify (and most code) passes lower-case names: no key list to build then.
    if (Object.hasOwn(record, 'vary')) {
      record.vary = mergeVary(record.vary, tokens);
      inFields = true;
    } else {
      // for…in, not Object.keys: no array built for a head that has no Vary (the usual case).
      for (const name in record) {
        if (name.length === 4 && Object.hasOwn(record, name) && name.toLowerCase() === 'vary') {
          record[name] = mergeVary(record[name], tokens);
          inFields = true;
        }
      }
    }
  }
  if (!inFields) restoreVary(res, tokens);
}

/**
 * Responses whose prototype is swapped per request (Express does
 * `Object.setPrototypeOf(res, app.response)`) are slow to touch: measured on Node 20, adding
 * a property to such a response, looking up one it lacks, or `Object.hasOwn` on its
 * prototype costs 2–5 µs each, against ~0.1 µs on a plain `ServerResponse`. For them
 * `writeHead` is wrapped once on that per-application prototype (Express documents
 * `app.response` as the place to extend responses), and the tokens go under a symbol key in
 * Express's `res.locals` (its per-request object, a null-prototype dictionary: no map change,
 * invisible to code that reads string keys). A WeakMap, used when there is no `res.locals`,
 * cost about 0.8 µs more per Express request on Node 20 (its entries for short-lived
 * responses weigh on every garbage collection). A response nobody asked to keep Vary for
 * passes straight through the wrapper.
 */
const pendingVary = new WeakMap<object, string>();
/** The tokens' key in `res.locals`. */
const kLocalsVary = Symbol('preflight.vary');
type Locals = Record<symbol, string | undefined>;

/** Express's `res.locals`, when the response has one. */
function localsOf(res: object): Locals | undefined {
  const locals = (res as { locals?: unknown }).locals;
  return locals !== null && typeof locals === 'object' ? (locals as Locals) : undefined;
}

/** The tokens kept for a response with a per-application prototype. */
function tokensOf(res: object): string | undefined {
  const locals = localsOf(res);
  return locals !== undefined ? locals[kLocalsVary] : pendingVary.get(res);
}

/** Keep `tokens` for a response with a per-application prototype. */
function keepTokens(res: object, tokens: string): void {
  const locals = localsOf(res);
  if (locals !== undefined) locals[kLocalsVary] = tokens;
  else pendingVary.set(res, tokens);
}

/** On a per-application prototype: `true` once its `writeHead` is wrapped. */
const kPrototypeGuard = Symbol('preflight.prototypeWriteHead');

interface GuardedPrototype {
  [kPrototypeGuard]?: boolean;
}

/** The last class prototype seen (`ServerResponse.prototype`, most of the time). */
let lastClassPrototype: object | null = null;

/**
 * Whether the response's prototype is a per-application one (not a class's: no own
 * `writeHead` or `constructor`), wrapping its `writeHead` the first time it is seen.
 */
function usesPrototypeGuard(proto: GuardedPrototype | null): boolean {
  if (proto === lastClassPrototype || proto === null) return false;
  if (proto[kPrototypeGuard] === true) return true;
  if (Object.hasOwn(proto, 'writeHead') || Object.hasOwn(proto, 'constructor')) {
    lastClassPrototype = proto; // one comparison for the next plain ServerResponse
    return false;
  }
  guardPrototype(proto);
  return true;
}

/** Wrap `writeHead` once on a per-application prototype (the original is looked up above it at each call). */
function guardPrototype(proto: GuardedPrototype): void {
  const parent = Object.getPrototypeOf(proto) as { writeHead: WriteHead };
  function writeHead(this: WriteHeadResponse, statusCode: number, reason?: unknown, headers?: unknown): unknown {
    const tokens = tokensOf(this);
    // No `this.headersSent` check here: on an Express response that accessor lookup cost
    // about 0.6 µs (CPU profile, Node 20). A head already sent makes the `writeHead` below
    // throw ERR_HTTP_HEADERS_SENT anyway (and `setHeader` the same error, should the merge
    // need one).
    if (tokens !== undefined) mergeIntoHead(this, tokens, reason, headers);
    return parent.writeHead.call(this, statusCode, reason, headers);
  }
  Object.defineProperty(proto, 'writeHead', { value: writeHead, writable: true, configurable: true });
  Object.defineProperty(proto, kPrototypeGuard, { value: true });
}

/**
 * Make sure Vary `tokens` are still in this response's `Vary` when its head is written,
 * even if the application *sets* `Vary` after the CORS layer ran (`res.setHeader`,
 * Express's `res.set`, Fastify's `reply.header`, NestJS's `@Header`). Wraps this response's
 * `writeHead` once (the way the `on-headers` package does); later calls only merge tokens.
 * On Express (a per-application response prototype), the wrapper is installed once on that
 * prototype and the tokens are kept in a WeakMap: no property is added to the response.
 *
 * For adapters built on node:http responses (`@preflight/cors-node`, `@preflight/cors-fastify`
 * on `reply.raw`, `@preflight/cors-nestjs`).
 *
 * @example
 * ```ts
 * applyDecision(decision, res, responseHeaders);
 * if (!decision.end && decision.vary !== '') keepVary(res, decision.vary);
 * ```
 */
export function keepVary(res: WriteHeadResponse, tokens: string): void {
  const proto = Object.getPrototypeOf(res) as (GuardedPrototype & Partial<WriteHeadResponse>) | null;
  if (proto === lastPrototype && tokens === lastTokens && res.writeHead === lastOriginal) {
    res.writeHead = lastWrapper!;
    return;
  }
  if (usesPrototypeGuard(proto)) {
    const kept = tokensOf(res);
    keepTokens(res, kept === undefined || kept === tokens ? tokens : mergeVary(kept, tokens)!);
    return;
  }
  const current = res.writeHead as Partial<TokenWriteHead> | undefined;
  // Not a node:http-like response (a stand-in without writeHead): nothing to wrap.
  if (typeof current !== 'function') return;
  const ours = current[kTokens];
  if (ours !== undefined) {
    // Our shared wrapper is the response's writeHead: swap it for the merged tokens' one.
    if (ours !== tokens) res.writeHead = wrapperFor(current[kOriginal]!, mergeVary(ours, tokens)!);
    return;
  }
  if (proto !== null && current === proto.writeHead) {
    // The common case: one property added, the shared wrapper of this class and these tokens.
    const wrapper = wrapperFor(current as WriteHead, tokens);
    lastPrototype = proto;
    lastOriginal = current;
    lastTokens = tokens;
    lastWrapper = wrapper;
    res.writeHead = wrapper;
    return;
  }
  // writeHead is the response's own (wrapped there by something else, or by keepVaryOwn).
  keepVaryOwn(res as GuardedResponse, tokens);
}

/**
 * keepVary on a response whose writeHead is its own (wrapped on the response by something
 * else): the tokens and the current writeHead go in two symbol-keyed fields, the marker of
 * this path (whatever wraps writeHead afterwards), and `writeHeadKeepingVary` calls it.
 */
function keepVaryOwn(guarded: GuardedResponse, tokens: string): void {
  const kept = guarded[kVary];
  if (kept === undefined) {
    guarded[kWriteHead] = guarded.writeHead as WriteHead;
    guarded[kVary] = tokens;
    guarded.writeHead = writeHeadKeepingVary;
  } else if (kept !== tokens) {
    guarded[kVary] = mergeVary(kept, tokens)!;
  }
}

/** The decision a response must carry (`carryDecision`), under a symbol key on the response. */
const kCarry = Symbol('preflight.decision');
interface CarryingResponse extends WriteHeadResponse {
  [kCarry]?: CorsDecision;
}
/** One `writeHeadCarryingDecision` per class `writeHead` (a handful per process), and the set of them. */
const carryWrappers = new WeakMap<WriteHead, WriteHead>();
const isCarryWrapper = new WeakSet<object>();
let lastCarryOriginal: unknown = null;
let lastCarryWrapper: WriteHead | null = null;

/** Whether `fields` (writeHead's header object or flat array) has a field `name` (lower case). */
function hasField(fields: unknown, name: string): boolean {
  if (Array.isArray(fields)) {
    for (let i = 0; i < fields.length; i += 2) {
      if (typeof fields[i] === 'string' && (fields[i] as string).toLowerCase() === name) return true;
    }
    return false;
  }
  // Fastify passes lower-case names: keyOf finds them with one lookup.
  return fields !== null && typeof fields === 'object' && keyOf(fields as HeaderRecord, name) !== undefined;
}

/**
 * Whether a head's `fields` (a header object) already hold every header of `decision` with
 * its value and, when it has Vary tokens, exactly those as their Vary, while the response
 * itself has no Vary of its own to fold in: then the head carries the decision as it is.
 * Anything else (another case, another value, a Vary set by a route or a middleware) takes
 * the full merge.
 */
function carriedAlready(res: WriteHeadResponse, fields: unknown, decision: CorsDecision): boolean {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return false;
  const record = fields as Record<string, unknown>;
  const entries = decision.headers;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (record[entry[0]] !== entry[1]) return false;
  }
  return decision.vary === '' || (record.vary === decision.vary && res.getHeader('vary') === undefined);
}

function carryWrapperFor(original: WriteHead): WriteHead {
  let wrapper = carryWrappers.get(original);
  if (wrapper !== undefined) return wrapper;
  wrapper = function writeHeadCarryingDecision(this: CarryingResponse, statusCode: number, reason?: unknown, headers?: unknown): unknown {
    const decision = this[kCarry];
    if (decision !== undefined && !this.headersSent) {
      const fields = typeof reason === 'string' ? headers : reason;
      // The usual head: Fastify's reply headers, holding exactly what the CORS layer wrote
      // there, and no Vary on the Node response itself. Nothing to add: no more is looked at.
      if (carriedAlready(this, fields, decision)) return original.call(this, statusCode, reason, headers);
      const entries = decision.headers;
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!;
        // Written through the framework (Fastify's reply headers): the fields have it already.
        // Written by code that had only the Node response (a middleware ending it): add it.
        if (!hasField(fields, entry[0]) && this.getHeader(entry[0]) === undefined) this.setHeader(entry[0], entry[1]);
      }
      if (decision.vary !== '') {
        // Fastify's fields replace the response's own: a Vary set on the Node response (by a
        // middleware) would be lost under the reply's, so it joins the tokens merged there.
        const own = this.getHeader('vary');
        if (own !== undefined && fields !== null && typeof fields === 'object' && Object.hasOwn(fields, 'vary')) {
          const record = fields as Record<string, unknown>;
          if (typeof record.vary === 'string') record.vary = mergeVary(own, record.vary);
        }
        mergeIntoHead(this, decision.vary, reason, headers);
      }
    }
    return original.call(this, statusCode, reason, headers);
  };
  carryWrappers.set(original, wrapper);
  isCarryWrapper.add(wrapper);
  return wrapper;
}

/**
 * Make sure the head of this node:http response carries `decision`'s headers and Vary tokens
 * when the CORS headers themselves were written somewhere else: on a framework's reply object
 * whose headers reach `res.writeHead` as its fields (Fastify's `reply.header`, passed to
 * `reply.raw.writeHead`). A head written through the framework already has them (only Vary is
 * merged back, as `keepVary` does, should the route have replaced it); a head written by code
 * that had only the Node response — a middleware on Fastify (`@fastify/middie`, which also runs
 * NestJS middleware), a hook writing `reply.raw`, a hijacked reply — gets the missing ones added.
 *
 * Why not set them on `res` directly: a header set on the Node response makes Node re-set
 * every field Fastify passes to `writeHead` one by one through `setHeader` (the slow path of
 * `writeHead`): about 1.5 µs per response on Node 20, against a few comparisons here.
 * Unlike headers set on `res`, they are not visible to `res.getHeader` before the head is
 * written (nor are Fastify's own reply headers).
 *
 * Wraps `writeHead` on the response once with a wrapper shared per class (no closure per
 * request); the decision goes under a symbol key. A decision without headers (a refusal) only
 * has Vary tokens to keep: that is `keepVary`'s job, done by it. Only for a response whose `writeHead` is its
 * class's: otherwise (wrapped on the response already, or an Express per-application prototype)
 * the decision's headers are set on the response, as `applyDecision` would.
 *
 * @example
 * ```ts
 * // Fastify: the headers on the reply, the Node response made to carry them too.
 * applyDecision(decision, reply, fastifyReplyHeaders);
 * if (!decision.end) carryDecision(reply.raw, decision);
 * ```
 */
export function carryDecision(res: WriteHeadResponse, decision: CorsDecision): void {
  // No headers to carry (a refused origin, a request without Origin): only Vary, which keepVary
  // keeps more cheaply — unless an earlier decision is carried here, which this one replaces.
  if (decision.headers.length === 0 && (res as CarryingResponse)[kCarry] === undefined) {
    if (decision.vary !== '') keepVary(res, decision.vary);
    return;
  }
  const current = res.writeHead as unknown;
  if (current === lastCarryOriginal) {
    (res as CarryingResponse)[kCarry] = decision;
    res.writeHead = lastCarryWrapper!;
    return;
  }
  const proto = Object.getPrototypeOf(res) as Partial<WriteHeadResponse> | null;
  if (typeof current === 'function' && proto !== null && current === proto.writeHead && !usesPrototypeGuard(proto as GuardedPrototype)) {
    const wrapper = carryWrapperFor(current as WriteHead);
    lastCarryOriginal = current;
    lastCarryWrapper = wrapper;
    (res as CarryingResponse)[kCarry] = decision;
    res.writeHead = wrapper;
    return;
  }
  if (typeof current === 'function' && isCarryWrapper.has(current)) {
    // Carried already (a second CORS decision for the same response): the last one wins.
    (res as CarryingResponse)[kCarry] = decision;
    return;
  }
  // Anything else: the headers on the response itself.
  applyDecision(decision, res, responseHeaders);
  if (decision.vary !== '') keepVary(res, decision.vary);
}

/**
 * Write a decision onto a node:http response: set its headers and merge its Vary tokens,
 * then either end an answered preflight (`decision.status`, empty body) or keep the Vary
 * tokens for a route that may replace `Vary` later (`keepVary`). Returns `true` when the
 * application should run, `false` when the response was ended.
 *
 * @example
 * ```ts
 * const outcome = policy.decide(requestFromHeaders(req.method, req.headers));
 * if (!(outcome instanceof Promise) && applyToResponse(outcome, res)) next();
 * ```
 */
export function applyToResponse(decision: CorsDecision, res: WriteHeadResponse): boolean {
  applyDecision(decision, res, responseHeaders);
  if (decision.end) {
    res.statusCode = decision.status;
    res.end();
    return false;
  }
  if (decision.vary !== '') keepVary(res, decision.vary);
  return true;
}
