import { afterAll, describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import { contextStorage, getContext } from 'hono/context-storage';
import { HTTPException } from 'hono/http-exception';
import { CorsConfigError, CorsOriginError, cors, type CorsOptions } from '@preflight/cors-fetch';
import { preflight, send, serveFetch, values, type FetchCallback, type Listening } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.org';

const servers: Listening[] = [];
async function serve(app: { fetch: FetchCallback }): Promise<string> {
  const server = await serveFetch(app.fetch);
  servers.push(server);
  return server.url;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function appWith(options: CorsOptions): Hono {
  const app = new Hono();
  app.use(cors(options));
  return app;
}

describe('hono: registration', () => {
  it('throws CorsConfigError when the middleware is created', () => {
    expect(() => cors({ origin: '*', credentials: true })).toThrow(CorsConfigError);
    expect(() => cors({ origin: 'https://app.example.com/' })).toThrow(CorsConfigError);
  });

  it('runs only where it is mounted: app.use("/api/*", cors(…))', async () => {
    const app = new Hono();
    app.use('/api/*', cors({ origin: APP }));
    app.get('/api/items', (c) => c.text('items'));
    app.get('/public', (c) => c.text('public'));
    const url = await serve(app);
    const answered = await send(`${url}/api/anything`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(answered.status).toBe(204);
    expect(answered.headers['access-control-allow-origin']).toBe(APP);
    const outside = await send(`${url}/public`, { headers: { Origin: APP } });
    expect(outside.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('hono: predicates', () => {
  it("can read Hono's context through contextStorage() (the README's migration of origin: (origin, c) => …)", async () => {
    const app = new Hono<{ Variables: { tenant: string } }>();
    app.use(contextStorage());
    app.use(async (c, next) => {
      c.set('tenant', c.req.header('X-Tenant') ?? '');
      await next();
    });
    app.use(cors({ origin: (origin) => getContext<{ Variables: { tenant: string } }>().var.tenant === 'acme' && origin === APP }));
    app.get('/', (c) => c.text('ok'));
    const url = await serve(app);
    expect((await send(url, { headers: { Origin: APP, 'X-Tenant': 'acme' } })).headers['access-control-allow-origin']).toBe(APP);
    expect((await send(url, { headers: { Origin: APP, 'X-Tenant': 'other' } })).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('hono: responses', () => {
  it("copies a route's fetch() response (immutable headers) and keeps the upstream's own headers", async () => {
    const upstream = new Hono();
    upstream.get('/data', (c) => {
      c.header('Vary', 'Accept-Encoding');
      c.header('X-Upstream', 'yes');
      c.header('Access-Control-Allow-Origin', '*');
      return c.text('from upstream', 201);
    });
    const upstreamUrl = await serve(upstream);
    const app = appWith({ origin: APP });
    app.get('/proxy', () => fetch(`${upstreamUrl}/data`));
    app.get('/redirect', () => Response.redirect(`${upstreamUrl}/data`, 307));
    const url = await serve(app);

    const proxied = await send(`${url}/proxy`, { headers: { Origin: APP } });
    expect(proxied.status).toBe(201);
    expect(proxied.body).toBe('from upstream');
    expect(proxied.headers['x-upstream']).toBe('yes');
    expect(values(proxied, 'access-control-allow-origin')).toEqual([APP]);
    expect(proxied.headers.vary).toBe('Accept-Encoding, Origin');

    const redirected = await send(`${url}/redirect`, { headers: { Origin: APP } });
    expect(redirected.status).toBe(307);
    expect(redirected.headers['access-control-allow-origin']).toBe(APP);
  });

  it('sets (never appends) ACAO over one a route set itself', async () => {
    const app = appWith({ origin: APP });
    app.get('/', (c) => {
      c.header('Access-Control-Allow-Origin', '*');
      return c.text('ok');
    });
    const res = await send(await serve(app), { headers: { Origin: APP } });
    expect(values(res, 'access-control-allow-origin')).toEqual([APP]);
  });

  it('adds the headers to a streamed body', async () => {
    const app = appWith({ origin: APP });
    app.get('/stream', (c) =>
      c.body(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('a'));
            controller.enqueue(new TextEncoder().encode('b'));
            controller.close();
          },
        }),
      ),
    );
    const res = await send(`${await serve(app)}/stream`, { headers: { Origin: APP } });
    expect(res.body).toBe('ab');
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('keeps headers earlier middleware set with c.header() on answered preflights, merging Vary', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      c.header('X-Request-Id', 'r-1');
      c.header('Vary', 'Accept-Language');
      await next();
    });
    app.use(cors({ origin: APP }));
    const res = await send(`${await serve(app)}/anything`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(res.status).toBe(204);
    expect(res.headers['x-request-id']).toBe('r-1');
    expect(res.headers.vary).toBe('Accept-Language, Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
  });

  it('lets middleware registered before it see and change the preflight answer', async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      await next();
      c.res.headers.set('X-After', String(c.res.status));
    });
    app.use(cors({ origin: APP }));
    const res = await send(`${await serve(app)}/x`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(res.headers['x-after']).toBe('204');
  });
});

describe('hono: errors and 404s keep the CORS headers', () => {
  it("through Hono's default error handler (which logs the error)", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const app = appWith({ origin: APP, credentials: true });
      app.get('/error', () => {
        throw new Error('boom');
      });
      const res = await send(`${await serve(app)}/error`, { headers: { Origin: APP } });
      expect(res.status).toBe(500);
      expect(res.headers['access-control-allow-origin']).toBe(APP);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it("HTTPException keeps its own response headers (WWW-Authenticate)", async () => {
    const app = appWith({ origin: APP });
    app.get('/private', () => {
      throw new HTTPException(401, { res: new Response('Unauthorized', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } }) });
    });
    const res = await send(`${await serve(app)}/private`, { headers: { Origin: APP } });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it("a sub-app's own onError, and a custom notFound", async () => {
    const app = appWith({ origin: APP });
    const api = new Hono();
    api.get('/fail', () => {
      throw new Error('sub');
    });
    api.onError((_err, c) => c.json({ error: 'sub-app failed' }, 503));
    app.route('/api', api);
    app.notFound((c) => c.json({ error: 'no such route' }, 404));
    const url = await serve(app);
    const failed = await send(`${url}/api/fail`, { headers: { Origin: APP } });
    expect(failed.status).toBe(503);
    expect(failed.body).toBe('{"error":"sub-app failed"}');
    expect(failed.headers['access-control-allow-origin']).toBe(APP);
    const missing = await send(`${url}/nowhere`, { headers: { Origin: APP } });
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe(APP);
    expect(missing.headers.vary).toBe('Origin');
  });

  /** A request whose origin predicate fails with `failure` (as `origin` makes it fail): what the page and app.onError see. */
  async function expectOriginErrorPath(origin: (failure: Error) => () => boolean | Promise<boolean>): Promise<void> {
    const seen: unknown[] = [];
    const failure = new Error('tenant lookup failed');
    const app = appWith({ origin: origin(failure) });
    let ran = false;
    app.get('/', (c) => {
      ran = true;
      return c.text('ok');
    });
    app.onError((err, c) => {
      seen.push(err);
      return c.text('origin check failed', 500);
    });
    const res = await send(await serve(app), { headers: { Origin: APP } });
    expect(res.status).toBe(500);
    expect(res.headers.vary).toBe('Origin');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(ran).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(CorsOriginError);
    expect((seen[0] as CorsOriginError).cause).toBe(failure);
  }

  it('a failing origin predicate reaches app.onError as a CorsOriginError, with Vary: Origin and no grant', async () => {
    await expectOriginErrorPath((failure) => () => Promise.reject(failure));
  });

  it('an origin predicate that throws synchronously takes the same path: app.onError, a CorsOriginError, Vary: Origin, no grant', async () => {
    await expectOriginErrorPath((failure) => () => {
      throw failure;
    });
  });
});

describe('hono: preflights', () => {
  it('are answered for any path before routing; OPTIONS without ACRM stays the application’s', async () => {
    const app = appWith({ origin: APP });
    let optionsRan = 0;
    app.options('/resource', (c) => {
      optionsRan++;
      return c.text('app-options');
    });
    const url = await serve(app);
    const answered = await send(`${url}/resource`, { method: 'OPTIONS', headers: preflight(APP, 'DELETE') });
    expect(answered.status).toBe(204);
    expect(answered.body).toBe('');
    expect(optionsRan).toBe(0);
    const own = await send(`${url}/resource`, { method: 'OPTIONS', headers: { Origin: APP } });
    expect(own.body).toBe('app-options');
    expect(own.headers['access-control-allow-origin']).toBe(APP);
    expect(own.headers['access-control-allow-methods']).toBeUndefined();
    expect(optionsRan).toBe(1);
  });

  it('from a refused origin grant nothing, and never reach the routes', async () => {
    const app = appWith({ origin: APP });
    const res = await send(`${await serve(app)}/resource`, { method: 'OPTIONS', headers: preflight(EVIL, 'PUT', 'x-custom') });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-headers']).toBeUndefined();
    expect(res.headers.vary).toContain('Origin');
  });

  it('continue to the routes with preflightContinue; a path without an OPTIONS route gets Hono’s 404 with CORS headers', async () => {
    const app = appWith({ origin: APP, preflightContinue: true });
    app.options('/resource', (c) => c.text('app-options'));
    const url = await serve(app);
    const routed = await send(`${url}/resource`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
    expect(routed.body).toBe('app-options');
    expect(routed.headers['access-control-allow-methods']).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    const unrouted = await send(`${url}/elsewhere`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
    expect(unrouted.status).toBe(404);
    expect(unrouted.headers['access-control-allow-origin']).toBe(APP);
  });
});

describe('hono: an answered preflight keeps what earlier middleware set', () => {
  it('headers set with c.header() before cors(), whether or not c.res was already built', async () => {
    for (const touchRes of [false, true]) {
      const app = new Hono();
      app.use(async (c, next) => {
        c.header('X-Request-Id', 'r-1');
        if (touchRes) c.res.headers.set('X-Built', 'yes');
        await next();
      });
      app.use(cors({ origin: APP, maxAge: 60 }));
      app.get('/api/items', (c) => c.text('items'));
      const url = await serve(app);
      const answered = await send(`${url}/api/items`, { method: 'OPTIONS', headers: preflight(APP) });
      expect(answered.status, `c.res built before: ${touchRes}`).toBe(204);
      expect(answered.headers['access-control-allow-origin']).toBe(APP);
      expect(answered.headers['access-control-max-age']).toBe('60');
      expect(answered.headers['x-request-id']).toBe('r-1');
      if (touchRes) expect(answered.headers['x-built']).toBe('yes');
    }
  });
});
