import { afterEach, describe, expect, it, vi } from 'vitest';
import { cors, CorsConfigError, CorsOriginError, type CorsContext, type CorsOptions } from '@preflight/cors-koa';
import type { ServerResponse } from 'node:http';
import type Koa from 'koa';
import { delay, KOA_MAJORS, listen, preflight, send, values, type KoaClass, type Listening } from './helpers.js';

const ORIGIN = 'https://app.example.com';
const OTHER = 'https://evil.example.net';
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('cors() factory', () => {
  it('validates the options once, when the middleware is created', () => {
    expect(() => cors({ origin: '*', credentials: true })).toThrow(CorsConfigError);
    expect(() => cors({} as CorsOptions)).toThrow(/origin/);
    expect(() => cors({ origin: 'https://app.example.com/' })).toThrow(CorsConfigError);
    expect(() => cors({ origin: ORIGIN, optionsSuccessStatus: 302 })).toThrow(/optionsSuccessStatus/);
  });

  it('returns a named (ctx, next) middleware that always returns a promise, never throws synchronously', async () => {
    const middleware = cors({ origin: ORIGIN });
    expect(middleware.name).toBe('cors');
    expect(middleware.length).toBe(2);
    const res = { getHeader: () => undefined, setHeader: () => undefined, headersSent: false } as unknown as ServerResponse;
    const ctx = { req: { method: 'GET', headers: { origin: ORIGIN } }, res, status: 404, body: undefined } as unknown as CorsContext;
    const failing = (): Promise<unknown> => {
      throw new Error('downstream threw synchronously');
    };
    const result = middleware(ctx, failing);
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toThrow('downstream threw synchronously');
    await expect(middleware(ctx, () => Promise.resolve())).resolves.toBeUndefined();
  });
});

describe.each(KOA_MAJORS)('%s', (_name, KoaApp: KoaClass) => {
  /**
   * Start `cors(options)` on a real Koa app, with optional middleware before it and a
   * handler after it (default: answer `ok` with `X-App-Handler: echo`). Returns the URL, the
   * paths the handler saw and the errors Koa emitted on the app.
   */
  async function start(
    options: CorsOptions,
    handler?: Koa.Middleware,
    before: Koa.Middleware[] = [],
    setup?: (app: Koa) => void,
  ) {
    const app = new KoaApp();
    const calls: string[] = [];
    const errors: unknown[] = [];
    app.on('error', (err: unknown) => errors.push(err));
    setup?.(app);
    for (const middleware of before) app.use(middleware);
    app.use(cors(options));
    app.use(async (ctx, next) => {
      calls.push(`${ctx.method} ${ctx.path}`);
      if (handler) return handler(ctx, next);
      ctx.set('X-App-Handler', 'echo');
      ctx.body = 'ok';
      return undefined;
    });
    server = await listen(app);
    return { url: server.url, calls, errors };
  }

  describe('preflights', () => {
    it('are answered 204 with an empty body; the application does not run', async () => {
      const { url, calls } = await start({ origin: ORIGIN, methods: ['PUT'], maxAge: 600 });
      const reply = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(ORIGIN, 'PUT', 'content-type,x-custom') });
      expect(reply.status).toBe(204);
      expect(reply.body).toBe('');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers['access-control-allow-methods']).toBe('PUT');
      expect(reply.headers['access-control-allow-headers']).toBe('content-type,x-custom');
      expect(reply.headers['access-control-max-age']).toBe('600');
      expect(reply.headers.vary).toBe(PREFLIGHT_VARY);
      expect(reply.headers['content-type']).toBeUndefined();
      expect(calls).toEqual([]);
    });

    it('are answered on paths no route knows', async () => {
      const { url } = await start({ origin: ORIGIN }, (ctx) => {
        if (ctx.path === '/known') ctx.body = 'known';
        // everything else: Koa's 404
      });
      const reply = await send(`${url}/nobody/here`, { method: 'OPTIONS', headers: preflight(ORIGIN, 'DELETE') });
      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      const actual = await send(`${url}/nobody/here`, { headers: { Origin: ORIGIN } });
      expect(actual.status).toBe(404);
      expect(actual.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(actual.headers.vary).toBe('Origin');
    });

    it('optionsSuccessStatus 200 answers 200 with an empty body and Content-Length: 0 (not 204, not "OK")', async () => {
      const { url, calls } = await start({ origin: ORIGIN, optionsSuccessStatus: 200 });
      const reply = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(ORIGIN) });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('');
      expect(values(reply, 'content-length')).toEqual(['0']);
      expect(reply.headers['content-type']).toBeUndefined();
      expect(reply.headers['transfer-encoding']).toBeUndefined();
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(calls).toEqual([]);
    });

    it('stay empty when a middleware before cors declared a JSON Content-Type', async () => {
      const json: Koa.Middleware = async (ctx, next) => {
        ctx.type = 'application/json';
        await next();
      };
      const { url } = await start({ origin: ORIGIN, optionsSuccessStatus: 200 }, undefined, [json]);
      const reply = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(ORIGIN) });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('');
      expect(values(reply, 'content-length')).toEqual(['0']);
    });

    it('from a refused origin grant nothing, still vary, and the application does not run', async () => {
      const { url, calls } = await start({ origin: ORIGIN });
      const reply = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(OTHER, 'PUT', 'x-custom') });
      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(reply.headers['access-control-allow-headers']).toBeUndefined();
      expect(reply.headers.vary).toBe(PREFLIGHT_VARY);
      expect(calls).toEqual([]);
    });

    it('reach the application with their headers when preflightContinue is on, and keep them if it throws', async () => {
      const { url, calls, errors } = await start({ origin: ORIGIN, preflightContinue: true }, (ctx) => {
        if (ctx.path === '/fails') throw new Error('options handler failed');
        ctx.set('X-App-Handler', 'options');
        ctx.body = 'app-options';
      });
      const reply = await send(`${url}/options`, { method: 'OPTIONS', headers: preflight(ORIGIN, 'PUT', 'x-custom') });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('app-options');
      expect(reply.headers['access-control-allow-headers']).toBe('x-custom');
      const failed = await send(`${url}/fails`, { method: 'OPTIONS', headers: preflight(ORIGIN, 'PUT', 'x-custom') });
      expect(failed.status).toBe(500);
      expect(failed.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(failed.headers['access-control-allow-headers']).toBe('x-custom');
      expect(failed.headers.vary).toBe(PREFLIGHT_VARY);
      expect(calls).toEqual(['OPTIONS /options', 'OPTIONS /fails']);
      expect(errors).toHaveLength(1);
    });
  });

  describe('other requests', () => {
    it('OPTIONS without Access-Control-Request-Method reaches the application', async () => {
      const { url, calls } = await start({ origin: ORIGIN });
      const reply = await send(`${url}/options`, { method: 'OPTIONS', headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('ok');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers['access-control-allow-methods']).toBeUndefined();
      const noOrigin = await send(`${url}/options`, { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'PUT' } });
      expect(noOrigin.body).toBe('ok');
      expect(calls).toEqual(['OPTIONS /options', 'OPTIONS /options']);
    });

    it('an allowed origin gets its exact origin once; refused and origin-less requests get only Vary', async () => {
      const { url, calls } = await start({ origin: ORIGIN, credentials: true, exposedHeaders: ['X-Request-Id'] });
      const allowed = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(values(allowed, 'access-control-allow-origin')).toEqual([ORIGIN]);
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      expect(allowed.headers['access-control-expose-headers']).toBe('X-Request-Id');
      expect(values(allowed, 'vary')).toEqual(['Origin']);
      const refused = await send(`${url}/echo`, { headers: { Origin: OTHER } });
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(refused.headers['access-control-allow-credentials']).toBeUndefined();
      expect(refused.headers.vary).toBe('Origin');
      const plain = await send(`${url}/echo`);
      expect(plain.headers['access-control-allow-origin']).toBeUndefined();
      expect(plain.headers.vary).toBe('Origin');
      const twoLines = await send(`${url}/echo`, { headers: { Origin: [ORIGIN, OTHER] } });
      expect(twoLines.headers['access-control-allow-origin']).toBeUndefined();
      expect(calls).toHaveLength(4);
    });

    it("origin '*' answers * without Vary", async () => {
      const { url } = await start({ origin: '*' });
      const reply = await send(`${url}/echo`, { headers: { Origin: OTHER } });
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.headers.vary).toBeUndefined();
    });

    it('a response the route sent itself (ctx.respond = false) keeps ACAO and varies on Origin, with no error', async () => {
      const { url, errors } = await start({ origin: ORIGIN }, (ctx) => {
        ctx.respond = false;
        ctx.res.setHeader('Vary', 'Accept-Encoding');
        ctx.res.end('raw');
      });
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.body).toBe('raw');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      // The route replaced Vary on the raw response: the head still varies on Origin.
      expect(reply.headers.vary).toBe('Accept-Encoding, Origin');
      expect(errors).toEqual([]);
    });
  });

  describe('Vary', () => {
    it('a Vary the route sets after cors is merged with ours, without duplicates', async () => {
      const { url } = await start({ origin: ORIGIN }, (ctx) => {
        ctx.set('Vary', ctx.path === '/has-origin' ? 'origin, Accept-Encoding' : 'Accept-Encoding');
        ctx.body = 'ok';
      });
      for (const origin of [ORIGIN, OTHER]) {
        const reply = await send(`${url}/echo`, { headers: { Origin: origin } });
        expect(values(reply, 'vary')).toEqual(['Accept-Encoding, Origin']);
      }
      const already = await send(`${url}/has-origin`, { headers: { Origin: ORIGIN } });
      expect(values(already, 'vary')).toEqual(['origin, Accept-Encoding']);
    });

    it('a Vary set before cors is kept, and the request’s own Vary is never copied', async () => {
      const before: Koa.Middleware = async (ctx, next) => {
        ctx.set('Vary', 'Accept-Language');
        await next();
      };
      const { url } = await start({ origin: ORIGIN }, undefined, [before]);
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN, Vary: 'Cookie' } });
      expect(values(reply, 'vary')).toEqual(['Accept-Language, Origin']);
      const pre = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(ORIGIN) });
      expect(values(pre, 'vary')).toEqual([`Accept-Language, ${PREFLIGHT_VARY}`]);
    });
  });

  describe('errors keep the CORS headers', () => {
    it('a thrown error (500) carries ACAO, ACAC and Vary; the app’s error listener gets the error itself', async () => {
      const boom = new Error('boom');
      const { url, errors } = await start({ origin: ORIGIN, credentials: true, exposedHeaders: ['X-Request-Id'] }, (ctx) => {
        ctx.set('Vary', 'Accept-Encoding');
        ctx.set('X-Route', 'set-before-throwing');
        throw boom;
      });
      const reply = await send(`${url}/error`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(reply.body).toBe('Internal Server Error');
      expect(values(reply, 'access-control-allow-origin')).toEqual([ORIGIN]);
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      expect(reply.headers['access-control-expose-headers']).toBe('X-Request-Id');
      expect(values(reply, 'vary')).toEqual(['Origin']);
      // Koa's own error handling still ran: it removed the route's headers.
      expect(reply.headers['x-route']).toBeUndefined();
      expect(errors).toEqual([boom]);
    });

    it.each([
      ['a plain object', { status: 400, message: 'bad input' }],
      ['a string', 'boom'],
      ['a number', 42],
    ])('a thrown non-Error (%s) keeps ACAO, ACAC and Vary; status, body and emitted error are Koa’s own', async (_what, thrown) => {
      const snapshot = structuredClone(thrown);
      const fail = (): never => {
        throw thrown;
      };
      // The same throw on Koa without the CORS layer.
      const bare = new KoaApp();
      const bareErrors: unknown[] = [];
      bare.on('error', (err: unknown) => bareErrors.push(err));
      bare.use(fail);
      const bareServer = await listen(bare);
      const expected = await send(`${bareServer.url}/fail`, { headers: { Origin: ORIGIN } }).finally(() => bareServer.close());
      expect(expected.status).toBe(500);
      expect(expected.headers['access-control-allow-origin']).toBeUndefined();

      const { url, errors } = await start({ origin: ORIGIN, credentials: true }, fail);
      const reply = await send(`${url}/fail`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(expected.status);
      expect(reply.body).toBe(expected.body);
      expect(reply.headers['content-type']).toBe(expected.headers['content-type']);
      expect(values(reply, 'access-control-allow-origin')).toEqual([ORIGIN]);
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      expect(values(reply, 'vary')).toEqual(['Origin']);
      // The app's error listener gets the Error Koa itself would make (`non-error thrown: …`).
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(Error);
      expect((errors[0] as Error).message).toBe((bareErrors[0] as Error).message);
      // The thrown value itself is left alone.
      expect(thrown).toEqual(snapshot);
    });

    it('a refused origin’s error response varies on Origin and grants nothing', async () => {
      const { url } = await start({ origin: ORIGIN }, () => {
        throw new Error('boom');
      });
      const reply = await send(`${url}/error`, { headers: { Origin: OTHER } });
      expect(reply.status).toBe(500);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(reply.headers.vary).toBe('Origin');
    });

    it('ctx.throw keeps the error’s own headers and status; a shared headers object is never changed', async () => {
      const challenge = { 'WWW-Authenticate': 'Bearer', vary: 'Authorization' };
      const { url } = await start({ origin: ORIGIN }, (ctx) => {
        if (ctx.path === '/bad') ctx.throw(400, 'bad input');
        ctx.throw(401, { headers: challenge });
      });
      const reply = await send(`${url}/private`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(values(reply, 'vary')).toEqual(['Authorization, Origin']);
      const refused = await send(`${url}/private`, { headers: { Origin: OTHER } });
      expect(refused.status).toBe(401);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(values(refused, 'vary')).toEqual(['Authorization, Origin']);
      expect(challenge).toEqual({ 'WWW-Authenticate': 'Bearer', vary: 'Authorization' });
      const bad = await send(`${url}/bad`, { headers: { Origin: ORIGIN } });
      expect(bad.status).toBe(400);
      expect(bad.body).toBe('bad input');
      expect(bad.headers['access-control-allow-origin']).toBe(ORIGIN);
    });

    it('an error handler in front of cors that answers itself keeps the headers, and Vary: Origin', async () => {
      const handleErrors: Koa.Middleware = async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          ctx.status = (err as { status?: number }).status ?? 500;
          ctx.body = { error: (err as Error).message };
        }
      };
      const { url, errors } = await start(
        { origin: ORIGIN },
        (ctx) => {
          ctx.set('Vary', 'Accept-Encoding');
          ctx.throw(409, 'conflict');
        },
        [handleErrors],
      );
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(409);
      expect(JSON.parse(reply.body)).toEqual({ error: 'conflict' });
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(values(reply, 'vary')).toEqual(['Accept-Encoding, Origin']);
      expect(errors).toEqual([]);
    });

    it('an error a middleware in front turns into another error still gets them', async () => {
      const wrapErrors: Koa.Middleware = async (_ctx, next) => {
        try {
          await next();
        } catch (err) {
          throw Object.assign(new Error('wrapped'), { status: 502, expose: true, cause: err });
        }
      };
      const { url } = await start({ origin: ORIGIN, credentials: true }, () => {
        throw new Error('boom');
      }, [wrapErrors]);
      const reply = await send(`${url}/error`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(502);
      expect(reply.body).toBe('wrapped');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      expect(values(reply, 'vary')).toEqual(['Origin']);
    });

    it('a context with an error handler of its own (set by a middleware in front) still gets them on the error', async () => {
      // The middleware cannot take an own ctx.onerror over: it catches the failure on its way back instead.
      const handled: unknown[] = [];
      const ownHandler: Koa.Middleware = (ctx, next) => {
        ctx.onerror = function (this: Koa.Context, err: Error | null) {
          if (err != null) handled.push(err.message);
          (Object.getPrototypeOf(this) as Koa.Context).onerror.call(this, err as Error);
        };
        return next();
      };
      const { url } = await start({ origin: ORIGIN, credentials: true }, (ctx) => {
        ctx.throw(418, 'teapot');
      }, [ownHandler]);
      const reply = await send(`${url}/error`, { headers: { Origin: ORIGIN } });
      expect(handled).toEqual(['teapot']);
      expect(reply.status).toBe(418);
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      expect(values(reply, 'vary')).toEqual(['Origin']);
    });

    it('an error handler the application installs on app.context (as koa-onerror does) gets them in err.headers', async () => {
      const app = new KoaApp();
      app.silent = true;
      const seen: unknown[] = [];
      app.context.onerror = function (this: Koa.Context, err: (Error & { headers?: Record<string, string> }) | null) {
        if (err == null) return;
        seen.push(err.headers?.['access-control-allow-origin']);
        for (const name of this.res.getHeaderNames()) this.res.removeHeader(name);
        this.set(err.headers ?? {});
        this.status = 503;
        this.res.end('custom');
      };
      app.use(cors({ origin: ORIGIN }));
      app.use(() => {
        throw new Error('boom');
      });
      server = await listen(app);
      const reply = await send(`${server.url}/error`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(503);
      expect(reply.body).toBe('custom');
      expect(seen).toEqual([ORIGIN]);
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers.vary).toBe('Origin');
    });

    it('a successful request calls the inherited error handler as it would without the middleware (Koa calls ctx.onerror(null) when the response finishes)', async () => {
      const calls = async (withCors: boolean): Promise<unknown[]> => {
        const app = new KoaApp();
        const seen: unknown[] = [];
        app.context.onerror = function (this: Koa.Context, err: unknown) {
          seen.push(err);
        };
        if (withCors) app.use(cors({ origin: ORIGIN }));
        app.use((ctx) => {
          ctx.body = 'ok';
        });
        const listening = await listen(app);
        try {
          const reply = await send(`${listening.url}/`, { headers: { Origin: ORIGIN } });
          expect(reply.status).toBe(200);
          // on-finished calls ctx.onerror once the response has finished, which may come after the client has read it.
          await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
        } finally {
          await listening.close();
        }
        return seen;
      };
      const without = await calls(false);
      expect(without.length).toBeGreaterThan(0);
      expect(await calls(true)).toEqual(without);
    });

    it('works with Koa’s default error listener too (no app.on("error") of ours)', async () => {
      const app = new KoaApp();
      app.silent = true;
      app.use(cors({ origin: ORIGIN }));
      app.use(() => {
        throw new Error('boom');
      });
      server = await listen(app);
      const reply = await send(`${server.url}/error`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers.vary).toBe('Origin');
    });
  });

  describe('origin predicates', () => {
    it('an async predicate decides, with Vary: Origin already on the response while it runs', async () => {
      let current: Koa.Context | undefined;
      const varyWhileWaiting: unknown[] = [];
      const remember: Koa.Middleware = async (ctx, next) => {
        current = ctx;
        await next();
      };
      const origin = async (o: string): Promise<boolean> => {
        await delay(2);
        varyWhileWaiting.push(current?.response.get('Vary'));
        return o === ORIGIN;
      };
      const { url, calls } = await start({ origin }, undefined, [remember]);
      const allowed = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(values(allowed, 'vary')).toEqual(['Origin']);
      const refused = await send(`${url}/echo`, { headers: { Origin: OTHER } });
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(values(refused, 'vary')).toEqual(['Origin']);
      const pre = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(ORIGIN) });
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(values(pre, 'vary')).toEqual([PREFLIGHT_VARY]);
      expect(varyWhileWaiting).toEqual(['Origin', 'Origin', 'Origin']);
      expect(calls).toEqual(['GET /echo', 'GET /echo']);
    });

    it('a rejecting predicate becomes a CorsOriginError in Koa’s error handling: 500, no details, Vary: Origin', async () => {
      const cause = new Error('origin store unavailable');
      const { url, calls, errors } = await start({
        origin: async () => {
          await delay(1);
          throw cause;
        },
      });
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(reply.body).toBe('Internal Server Error');
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(reply.headers.vary).toBe('Origin');
      expect(calls).toEqual([]);
      expect(errors).toHaveLength(1);
      const error = errors[0] as CorsOriginError;
      expect(error).toBeInstanceOf(CorsOriginError);
      expect(error.status).toBe(500);
      expect(error.expose).toBe(false);
      expect(error.cause).toBe(cause);
      expect(error.origin).toBe(ORIGIN);
    });

    it('a throwing sync predicate and a timed-out async one fail the same way', async () => {
      const { url, errors } = await start({
        origin: (o) => {
          if (o === OTHER) throw new Error('sync failure');
          return new Promise<boolean>(() => {}); // never settles
        },
        originTimeout: 20,
      });
      const sync = await send(`${url}/echo`, { headers: { Origin: OTHER } });
      expect(sync.status).toBe(500);
      expect(sync.headers.vary).toBe('Origin');
      const hung = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(ORIGIN) });
      expect(hung.status).toBe(500);
      expect(hung.headers.vary).toBe('Origin');
      expect(errors.map((e) => (e as Error).message)).toEqual([
        expect.stringMatching(/threw/),
        expect.stringMatching(/did not settle within originTimeout \(20 ms\)/),
      ]);
      expect(errors.every((e) => e instanceof CorsOriginError)).toBe(true);
    });

    it('a predicate can read the Koa context through app.currentContext (asyncLocalStorage)', async () => {
      const app = new KoaApp({ asyncLocalStorage: true });
      const tenants: Record<string, string> = { 'a.tenant.test': 'https://a.example.com' };
      app.use(
        cors({
          origin: async (origin) => {
            await delay(1);
            return tenants[app.currentContext?.get('X-Tenant') ?? ''] === origin;
          },
        }),
      );
      app.use((ctx) => {
        ctx.body = 'ok';
      });
      server = await listen(app);
      const ok = await send(`${server.url}/echo`, { headers: { Origin: 'https://a.example.com', 'X-Tenant': 'a.tenant.test' } });
      expect(ok.headers['access-control-allow-origin']).toBe('https://a.example.com');
      const other = await send(`${server.url}/echo`, { headers: { Origin: 'https://a.example.com', 'X-Tenant': 'b.tenant.test' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('a predicate error reaches an error handler in front of cors, which may answer with Vary: Origin kept', async () => {
      const handleErrors: Koa.Middleware = async (ctx, next) => {
        try {
          await next();
        } catch (err) {
          ctx.status = 503;
          ctx.body = err instanceof CorsOriginError ? 'origin check unavailable' : 'other';
        }
      };
      const { url } = await start(
        {
          origin: async () => {
            throw new Error('down');
          },
        },
        undefined,
        [handleErrors],
      );
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(503);
      expect(reply.body).toBe('origin check unavailable');
      expect(reply.headers.vary).toBe('Origin');
    });
  });
});
