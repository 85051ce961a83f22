/** fastify: the hooks a plugin registers, captured from a stand-in instance and run in Fastify's order over the stubs. */
import fastifyCors from '@fastify/cors';
import oursFastify from '@preflight/cors-fastify';
import { BODY, fastifyCorsOptions, oursOptions, PATH } from '../../config.js';
import { StubRequest, StubResponse } from '../../stubs.js';
import { defineDriver, floorHook, isAsync, stubOutcome, type Driver, type SideBuilders } from './shared.js';

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

/** Runs one request's hooks in Fastify's order (built untimed); only what the two plugins call. */
class FakeReply {
  readonly raw: StubResponse;
  readonly request: FakeRequest;
  readonly log = SILENT_LOG;
  sent = false;
  /** A plain `{}`, as Fastify's reply headers are (lib/reply.js): a null-prototype object is a slower dictionary. */
  private headersMap: Record<string, unknown> = {};
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
  code(status: number): this {
    this.raw.statusCode = status;
    return this;
  }
  status(status: number): this { return this.code(status); }
  header(name: string, value: unknown): this {
    this.headersMap[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string): unknown {
    const key = name.toLowerCase();
    const value = this.headersMap[key];
    return value === undefined && this.raw.hasHeader(key) ? this.raw.getHeader(key) : value;
  }
  type(contentType: string): this { return this.header('content-type', contentType); }
  callNotFound(): void { this.code(404).send('Not Found'); }
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
  /** Start (or continue) the request lifecycle: the request hooks, then the route. */
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
    this.type('application/json').send(BODY);
  }
}

/** `request`: the onRequest, preParsing, preValidation and preHandler hooks, in order (callback or async). */
type FastifyHooks = Record<'request' | 'onSend', Hook[]>;

async function capturePlugin(plugin: Plugin, options: unknown): Promise<{ hooks: FastifyHooks; Request: typeof FakeRequest; Reply: typeof FakeReply }> {
  const byName: Record<string, Hook[]> = {};
  // Like Fastify: decorated functions go on the prototype, other values are set on every instance by the
  // constructor (so a hook assigning them changes no object shape).
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
      (byName[name] ??= []).push(fn);
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
  // Anything else (routes, not-found handler, register…) is accepted and ignored; every has…() is answered "no".
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
    request: ['onRequest', 'preParsing', 'preValidation', 'preHandler'].flatMap((name) => byName[name] ?? []),
    onSend: byName.onSend ?? [],
  };
  return { hooks, Request, Reply };
}

/** `async`: a request completes when the reply is sent. */
async function fastifyDriver(plugin: Plugin, options: unknown, async: boolean): Promise<Driver> {
  const { hooks, Request, Reply } = await capturePlugin(plugin, options);
  return defineDriver({
    prepare(spec) {
      const request = new Request(new StubRequest(spec, PATH));
      const reply: FakeReply = new Reply(new StubResponse(), request, hooks);
      const done = async ? new Promise<void>((r) => (reply.resolve = r)) : undefined;
      return { reply, done };
    },
    handle(u) {
      u.reply.next();
      return u.done;
    },
    outcome: (u) => stubOutcome(u.reply.raw),
  });
}

export const fastifySides: SideBuilders = {
  incumbent: (c) => fastifyDriver(fastifyCors as unknown as Plugin, fastifyCorsOptions(c), isAsync(c)),
  ours: (c) => fastifyDriver(oursFastify as unknown as Plugin, oursOptions(c), isAsync(c)),
  // The floor's hook, registered as a plugin would register it.
  floor: (answer, minimum) =>
    fastifyDriver((instance, _options, done) => {
      (instance as { addHook(name: string, hook: unknown): void }).addHook('onRequest', floorHook(answer, minimum));
      done();
    }, {}, false),
  baseline: () => fastifyDriver((_instance, _options, done) => done(), {}, false),
};
