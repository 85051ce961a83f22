/**
 * In-process drivers: each one turns a CORS layer (an incumbent or ours) into "handle this
 * request" over the shared stub objects, with the framework's own calling convention:
 * - node: a Connect/Express `(req, res, next)` middleware (`cors`, `@preflight/cors-node`);
 * - fastify: the hooks a plugin registers (`@fastify/cors`, `@preflight/cors-fastify`), run
 *   in Fastify's order over a minimal Request/Reply pair;
 * - koa: a Koa middleware over a real Koa context (`app.createContext`) built on the stubs.
 *
 * Every side of a framework gets the same objects, the same "application" (set a small
 * body and end the response) and the same per-request bookkeeping.
 */
import corsIncumbent from 'cors';
import fastifyCors from '@fastify/cors';
import koaCors from '@koa/cors';
import Koa from 'koa';
import { applyDecision, compileCors, requestFromHeaders, responseHeaders, type CorsDecision, type CorsOptions } from '@preflight/cors-core';
import oursFastify from '@preflight/cors-fastify';
import { cors as oursKoa } from '@preflight/cors-koa';
import { cors as oursNode } from '@preflight/cors-node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asyncAllow, COMMON, originList, PATH, patternList, regexpList, type Case, type RequestSpec } from '../config.js';
import { StubRequest, StubResponse } from '../stubs.js';

const BODY = '{"ok":true}';
const METHODS = COMMON.methods.join(',');

/** What a driver leaves on the response, for the correctness check. */
export interface Outcome {
  readonly status: number;
  /** True when the application ran (it writes BODY). */
  readonly appRan: boolean;
  readonly headers: Readonly<Record<string, unknown>>;
}

/** One side of one framework, ready to handle prepared requests. */
export interface Driver {
  /** Build everything one request needs (not timed). */
  prepare(spec: RequestSpec): unknown;
  /** Handle one prepared request. A Promise when the layer completes asynchronously. */
  handle(unit: unknown): void | Promise<void>;
  /** The response, once handled. */
  outcome(unit: unknown): Outcome;
}

export type Side = 'incumbent' | 'ours' | 'core' | 'floor' | 'baseline';
export type Framework = 'node' | 'fastify' | 'koa';

export const FRAMEWORKS: readonly Framework[] = ['node', 'fastify', 'koa'];

/** The incumbent's name per framework, for reports. */
export const INCUMBENT: Record<Framework, string> = { node: 'cors', fastify: '@fastify/cors', koa: '@koa/cors' };
export const OURS: Record<Framework, string> = { node: '@preflight/cors-node', fastify: '@preflight/cors-fastify', koa: '@preflight/cors-koa' };

// ---------------------------------------------------------------------------------------
// Options: the same origins and settings, in each library's own dialect.

/** Preflight's options for a case. */
export function oursOptions(c: Case): CorsOptions {
  const o = c.origins;
  const origin =
    o.kind === 'list' ? originList(o.size)
    : o.kind === 'patterns' ? patternList(o.size)
    : o.kind === 'regexps' ? regexpList(o.size)
    : asyncPredicate(o.size);
  return { origin, credentials: COMMON.credentials, methods: [...COMMON.methods], maxAge: COMMON.maxAge };
}

function asyncPredicate(size: number): (origin: string) => Promise<boolean> {
  const allow = asyncAllow(size);
  return (origin) => allow(origin);
}

/** What a `cors` (and `@fastify/cors`) user writes: the list as is, RegExps for patterns. */
function incumbentOrigin(c: Case): string[] | RegExp[] {
  const o = c.origins;
  return o.kind === 'list' ? originList(o.size) : regexpList(o.size);
}

function corsOptions(c: Case): corsIncumbent.CorsOptions {
  let origin: corsIncumbent.CorsOptions['origin'];
  if (c.origins.kind === 'async') {
    const allow = asyncAllow(c.origins.size);
    origin = (requestOrigin, callback) => {
      allow(requestOrigin).then((ok) => callback(null, ok), (error: Error) => callback(error));
    };
  } else origin = incumbentOrigin(c);
  // Strings rather than arrays: `cors` joins arrays on every preflight.
  return { origin, credentials: COMMON.credentials, methods: METHODS, maxAge: COMMON.maxAge };
}

function fastifyCorsOptions(c: Case): Record<string, unknown> {
  const origin = c.origins.kind === 'async' ? asyncAllow(c.origins.size) : incumbentOrigin(c);
  return { origin, credentials: COMMON.credentials, methods: METHODS, maxAge: COMMON.maxAge };
}

function koaCorsOptions(c: Case): koaCors.Options {
  // @koa/cors has no list option: users write a function of the context. This is the
  // straightforward one (a linear scan, like the other incumbents).
  const o = c.origins;
  let origin: koaCors.Options['origin'];
  if (o.kind === 'async') {
    const allow = asyncAllow(o.size);
    origin = async (ctx) => {
      const requestOrigin = ctx.get('Origin');
      return (await allow(requestOrigin)) ? requestOrigin : '';
    };
  } else if (o.kind === 'list') {
    const list = originList(o.size);
    origin = (ctx) => {
      const requestOrigin = ctx.get('Origin');
      return list.includes(requestOrigin) ? requestOrigin : '';
    };
  } else {
    const regexps = regexpList(o.size);
    origin = (ctx) => {
      const requestOrigin = ctx.get('Origin');
      for (let i = 0; i < regexps.length; i++) if (regexps[i]!.test(requestOrigin)) return requestOrigin;
      return '';
    };
  }
  return { origin, credentials: COMMON.credentials, allowMethods: METHODS, maxAge: COMMON.maxAge };
}

// ---------------------------------------------------------------------------------------
// node: (req, res, next) middleware.

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

interface NodeUnit {
  readonly req: StubRequest;
  readonly res: StubResponse;
  readonly next: (err?: unknown) => void;
  readonly done: Promise<void> | undefined;
}

function nodeDriver(middleware: NodeMiddleware, async: boolean): Driver {
  return {
    prepare(spec) {
      const req = new StubRequest(spec, PATH);
      const res = new StubResponse();
      let resolve: (() => void) | undefined;
      const done = async ? new Promise<void>((r) => (resolve = r)) : undefined;
      // The application: a tiny JSON body. A preflight answered by the layer never gets here.
      const next = (err?: unknown): void => {
        if (err !== undefined) throw err;
        res.setHeader('Content-Type', 'application/json');
        res.end(BODY);
      };
      res.onEnd = resolve;
      return { req, res, next, done } satisfies NodeUnit;
    },
    handle(unit) {
      const u = unit as NodeUnit;
      middleware(u.req.asNode(), u.res.asNode(), u.next);
      return u.done;
    },
    outcome(unit) {
      const res = (unit as NodeUnit).res;
      return { status: res.statusCode, appRan: res.body === BODY, headers: res.getHeaders() };
    },
  };
}

/**
 * The core alone, as an adapter uses it minus the adapter's own care (keeping Vary when a
 * route replaces it, error handling): the core's own view and header helpers, decide,
 * apply, end or continue.
 */
function coreMiddleware(options: CorsOptions): NodeMiddleware {
  const policy = compileCors(options);
  const finish = (decision: CorsDecision, res: ServerResponse, next: (err?: unknown) => void): void => {
    applyDecision(decision, res, responseHeaders);
    if (decision.end) {
      res.statusCode = decision.status;
      res.end();
    } else next();
  };
  return (req, res, next) => {
    const outcome = policy.decide(requestFromHeaders(req.method, req.headers));
    if (outcome instanceof Promise) void outcome.then((decision) => finish(decision, res, next), next);
    else finish(outcome, res, next);
  };
}

// ---------------------------------------------------------------------------------------
// fastify: the hooks a plugin registers, over a minimal Request/Reply.

type Done = (err?: unknown) => void;
type Hook = (...args: unknown[]) => unknown;
type Plugin = (instance: unknown, options: unknown, done: Done) => unknown;

const ROUTE_OPTIONS = Object.freeze({ config: Object.freeze({}), method: 'GET', url: PATH });

class FakeRequest {
  readonly raw: StubRequest;
  readonly headers: StubRequest['headers'];
  readonly method: string;
  readonly url: string;
  readonly routeOptions = ROUTE_OPTIONS;
  readonly id = 'req-1';
  readonly log = SILENT_LOG;
  constructor(raw: StubRequest) {
    this.raw = raw;
    this.headers = raw.headers;
    this.method = raw.method;
    this.url = raw.url;
  }
}

const noop = (): void => {};
const SILENT_LOG = { info: noop, warn: noop, error: noop, debug: noop, trace: noop, fatal: noop, child: () => SILENT_LOG };

/** Runs the hooks of one request in Fastify's order; one per request, built untimed. */
class FakeReply {
  readonly raw: StubResponse;
  readonly request: FakeRequest;
  readonly log = SILENT_LOG;
  sent = false;
  private headersMap: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private readonly hooks: FastifyHooks;
  private index = 0;
  private readonly step: Done;
  resolve: (() => void) | undefined;

  constructor(raw: StubResponse, request: FakeRequest, hooks: FastifyHooks) {
    this.raw = raw;
    this.request = request;
    this.hooks = hooks;
    this.step = (err?: unknown) => this.next(err);
  }
  get statusCode(): number {
    return this.raw.statusCode;
  }
  set statusCode(code: number) {
    this.raw.statusCode = code;
  }
  code(status: number): this {
    this.raw.statusCode = status;
    return this;
  }
  status(status: number): this {
    return this.code(status);
  }
  header(name: string, value: unknown): this {
    this.headersMap[name.toLowerCase()] = value;
    return this;
  }
  headers(values: Record<string, unknown>): this {
    for (const name of Object.keys(values)) this.header(name, values[name]);
    return this;
  }
  getHeader(name: string): unknown {
    const key = name.toLowerCase();
    const value = this.headersMap[key];
    return value === undefined && this.raw.hasHeader(key) ? this.raw.getHeader(key) : value;
  }
  getHeaders(): Record<string, unknown> {
    return { ...this.raw.getHeaders(), ...this.headersMap };
  }
  hasHeader(name: string): boolean {
    return this.headersMap[name.toLowerCase()] !== undefined;
  }
  removeHeader(name: string): this {
    delete this.headersMap[name.toLowerCase()];
    return this;
  }
  type(contentType: string): this {
    return this.header('content-type', contentType);
  }
  hijack(): this {
    this.sent = true;
    return this;
  }
  callNotFound(): void {
    this.code(404).send('Not Found');
  }
  /** Like Fastify: onSend hooks, then the head (reply headers win) and the body. */
  send(payload?: unknown): this {
    if (this.sent) return this;
    this.sent = true;
    this.resolve?.();
    const onSend = this.hooks.onSend;
    for (let i = 0; i < onSend.length; i++) onSend[i]!(this.request, this, payload, noop);
    this.raw.writeHead(this.raw.statusCode, this.headersMap);
    this.raw.end(payload);
    return this;
  }
  /** Start (or continue) the request lifecycle: onRequest … preHandler hooks, then the route. */
  next(err?: unknown): void {
    if (err !== undefined && err !== null) throw err;
    if (this.sent) return;
    const hooks = this.hooks.request;
    if (this.index < hooks.length) {
      const hook = hooks[this.index++]!;
      const result = hook(this.request, this, this.step);
      if (result instanceof Promise) void result.then(() => this.step(), this.step);
      return;
    }
    // The route handler.
    this.type('application/json').send(BODY);
  }
}

interface FastifyHooks {
  /** onRequest, preParsing, preValidation, preHandler, in order (callback or async). */
  readonly request: Hook[];
  readonly onSend: Hook[];
}

/** Registers a plugin on a stand-in instance and returns the hooks it added. */
async function capturePlugin(plugin: Plugin, options: unknown): Promise<{ hooks: FastifyHooks; Request: typeof FakeRequest; Reply: typeof FakeReply }> {
  const byName = new Map<string, Hook[]>();
  // Like Fastify: decorated functions go on the prototype, other values are set on every
  // instance by the constructor (so a hook assigning them changes no object shape).
  const requestFields: [string, unknown][] = [];
  const replyFields: [string, unknown][] = [];
  class Request extends FakeRequest {
    constructor(raw: StubRequest) {
      super(raw);
      for (const [name, value] of requestFields) (this as unknown as Record<string, unknown>)[name] = value;
    }
  }
  class Reply extends FakeReply {
    constructor(raw: StubResponse, request: FakeRequest, hooks: FastifyHooks) {
      super(raw, request, hooks);
      for (const [name, value] of replyFields) (this as unknown as Record<string, unknown>)[name] = value;
    }
  }
  const decorate = (prototype: object, fields: [string, unknown][]) => (name: string, value: unknown) => {
    if (typeof value === 'function') Object.defineProperty(prototype, name, { value, writable: true, configurable: true });
    else fields.push([name, value]);
    return instance;
  };
  const known: Record<string, unknown> = {
    addHook: (name: string, fn: Hook) => {
      const list = byName.get(name) ?? [];
      list.push(fn);
      byName.set(name, list);
      return instance;
    },
    decorateRequest: decorate(Request.prototype, requestFields),
    decorateReply: decorate(Reply.prototype, replyFields),
    decorate: (name: string, value: unknown) => {
      known[name] = value;
      return instance;
    },
    log: SILENT_LOG,
    version: '5.0.0',
  };
  // Anything else (routes, not-found handler, register…) is accepted and ignored; every
  // has…() question (decorators, plugins, routes) is answered "no".
  const instance: unknown = new Proxy(known, {
    get: (target, prop) => {
      if (typeof prop !== 'string') return undefined;
      if (prop in target) return target[prop];
      return prop.startsWith('has') ? () => false : () => instance;
    },
  });
  await new Promise<void>((resolve, reject) => {
    const result = plugin(instance, options, (err?: unknown) => (err ? reject(err as Error) : resolve()));
    if (result instanceof Promise) result.then(() => resolve(), reject);
  });
  const hooks: FastifyHooks = {
    request: ['onRequest', 'preParsing', 'preValidation', 'preHandler'].flatMap((name) => byName.get(name) ?? []),
    onSend: byName.get('onSend') ?? [],
  };
  return { hooks, Request, Reply };
}

interface FastifyUnit {
  readonly reply: FakeReply;
  readonly done: Promise<void> | undefined;
}

async function fastifyDriver(plugin: Plugin, options: unknown, async: boolean): Promise<Driver> {
  const { hooks, Request, Reply } = await capturePlugin(plugin, options);
  return {
    prepare(spec) {
      const request = new Request(new StubRequest(spec, PATH));
      const reply = new Reply(new StubResponse(), request, hooks);
      const done = async ? new Promise<void>((r) => (reply.resolve = r)) : undefined;
      return { reply, done } satisfies FastifyUnit;
    },
    handle(unit) {
      const u = unit as FastifyUnit;
      u.reply.next();
      return u.done;
    },
    outcome(unit) {
      const res = (unit as FastifyUnit).reply.raw;
      return { status: res.statusCode, appRan: res.body === BODY, headers: res.getHeaders() };
    },
  };
}

// ---------------------------------------------------------------------------------------
// koa: a middleware over a real Koa context.

interface KoaUnit {
  readonly ctx: Koa.Context;
  readonly res: StubResponse;
}

const koaApp = new Koa();
const koaNext: Koa.Next = () => Promise.resolve();

function koaDriver(middleware: Koa.Middleware): Driver {
  const respond = (unit: KoaUnit): void => {
    // What Koa's respond() does for a string body or an empty one.
    const { ctx, res } = unit;
    if (res.writableEnded) return;
    res.end(ctx.body === undefined || ctx.body === null ? undefined : (ctx.body as string));
  };
  return {
    prepare(spec) {
      const res = new StubResponse();
      const ctx = koaApp.createContext(new StubRequest(spec, PATH).asNode(), res.asNode());
      res.statusCode = 404; // as Koa's handleRequest does
      const unit: KoaUnit & { next: Koa.Next; then: () => void } = {
        ctx,
        res,
        // The route: sets the body. Koa's respond() writes it after the middleware chain.
        next: () => {
          ctx.body = BODY;
          return koaNext();
        },
        then: () => respond(unit),
      };
      return unit;
    },
    handle(unit) {
      const u = unit as KoaUnit & { next: Koa.Next; then: () => void };
      return (middleware(u.ctx, u.next) as Promise<void>).then(u.then);
    },
    outcome(unit) {
      const res = (unit as KoaUnit).res;
      return { status: res.statusCode, appRan: res.body === BODY, headers: res.getHeaders() };
    },
  };
}

// ---------------------------------------------------------------------------------------
// floor: the least any correct CORS layer can cost here. It knows the answer in advance (the
// core's decision for the case's one request, computed at setup) and per request only writes
// those headers, the way the cheapest hand-written layer would: set each header, append the
// Vary tokens to what is there, end a preflight. No decision, no validation, no care for a
// route that replaces Vary. Defined for cases with one synchronous request.

/** The answer the floor layer writes, or undefined when the case has no single fixed answer. */
function floorAnswer(c: Case): CorsDecision | undefined {
  if (c.origins.kind === 'async' || c.requests.length !== 1) return undefined;
  const spec = c.requests[0]!;
  const decision = compileCors(oursOptions(c)).decide(requestFromHeaders(spec.method, spec.headers));
  return decision instanceof Promise ? undefined : decision;
}

/** Whether the floor layer is defined for a case. */
export function hasFloor(c: Case): boolean {
  return c.origins.kind !== 'async' && c.requests.length === 1;
}

function appendVary(current: unknown, tokens: string): string {
  return current === undefined ? tokens : `${String(current)}, ${tokens}`;
}

/** The floor's whole work on a node:http-style response: set each header, append the Vary tokens. */
function writeAnswer(res: { getHeader(name: string): unknown; setHeader(name: string, value: string): unknown }, answer: CorsDecision): void {
  const { headers, vary } = answer;
  for (let i = 0; i < headers.length; i++) res.setHeader(headers[i]![0], headers[i]![1]);
  if (vary !== '') res.setHeader('vary', appendVary(res.getHeader('vary'), vary));
}

function floorNode(answer: CorsDecision): NodeMiddleware {
  const { end, status } = answer;
  return (_req, res, next) => {
    writeAnswer(res, answer);
    if (end) {
      res.statusCode = status;
      res.end();
    } else next();
  };
}

function floorFastify(answer: CorsDecision): Plugin {
  const { headers, vary, end, status } = answer;
  return (instance, _options, done) => {
    (instance as { addHook(name: string, hook: Hook): void }).addHook('onRequest', (_request: unknown, reply: unknown, next: unknown) => {
      const r = reply as FakeReply;
      for (let i = 0; i < headers.length; i++) r.header(headers[i]![0], headers[i]![1]);
      if (vary !== '') r.header('vary', appendVary(r.getHeader('vary'), vary));
      if (end) r.code(status).send();
      else (next as Done)();
    });
    done();
  };
}

function floorKoa(answer: CorsDecision): Koa.Middleware {
  const { end, status } = answer;
  return (ctx, next) => {
    writeAnswer(ctx.res, answer);
    if (end) {
      ctx.status = status;
      ctx.body = null;
      return Promise.resolve();
    }
    return next();
  };
}

/** Build the driver of one side of one framework for a case; undefined when that side does not apply to the case. */
export async function createDriver(framework: Framework, side: Side, c: Case): Promise<Driver | undefined> {
  const async = c.origins.kind === 'async';
  const ours = oursOptions(c);
  if (side === 'floor') {
    const answer = floorAnswer(c);
    if (answer === undefined) return undefined;
    if (framework === 'node') return nodeDriver(floorNode(answer), false);
    if (framework === 'fastify') return fastifyDriver(floorFastify(answer), {}, false);
    return koaDriver(floorKoa(answer));
  }
  if (framework === 'node') {
    if (side === 'incumbent') return nodeDriver(corsIncumbent(corsOptions(c)) as NodeMiddleware, async);
    if (side === 'ours') return nodeDriver(oursNode(ours), async);
    if (side === 'core') return nodeDriver(coreMiddleware(ours), async);
    return nodeDriver((_req, _res, next) => next(), false);
  }
  if (framework === 'fastify') {
    if (side === 'incumbent') return fastifyDriver(fastifyCors as unknown as Plugin, fastifyCorsOptions(c), async);
    if (side === 'ours') return fastifyDriver(oursFastify as unknown as Plugin, ours, async);
    if (side === 'baseline') return fastifyDriver((instance, _options, done) => done(), {}, false);
    return undefined;
  }
  if (side === 'incumbent') return koaDriver(koaCors(koaCorsOptions(c)) as unknown as Koa.Middleware);
  if (side === 'ours') return koaDriver(oursKoa(ours) as unknown as Koa.Middleware);
  if (side === 'baseline') return koaDriver((_ctx, next) => next());
  return undefined;
}

/** Whether the outcome is what a correct CORS layer does; a reason when it is not. */
export function checkOutcome(c: Case, spec: RequestSpec, outcome: Outcome): string | undefined {
  const acao = outcome.headers['access-control-allow-origin'];
  const origin = spec.headers.origin;
  switch (c.expect) {
    case 'allowed':
      if (acao !== origin) return `expected Access-Control-Allow-Origin: ${origin}, got ${String(acao)}`;
      if (!outcome.appRan) return 'the application did not run';
      return undefined;
    case 'refused':
    case 'not-cors':
      if (acao !== undefined) return `expected no Access-Control-Allow-Origin, got ${String(acao)}`;
      if (!outcome.appRan) return 'the application did not run';
      return undefined;
    case 'preflight-allowed':
      if (acao !== origin) return `expected Access-Control-Allow-Origin: ${origin}, got ${String(acao)}`;
      if (outcome.appRan) return 'the preflight reached the application';
      if (outcome.status < 200 || outcome.status > 299) return `preflight status ${outcome.status}`;
      if (outcome.headers['access-control-allow-methods'] === undefined) return 'no Access-Control-Allow-Methods';
      return undefined;
  }
}
