import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CorsConfigError, CorsOriginError, createCors, withCors, type CorsOptions } from '@preflight/cors-fetch';
import { preflight, send, serveFetch, values, type Listening } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.org';
const OPTIONS: CorsOptions = { origin: APP, exposedHeaders: ['X-Request-Id'] };

/** Serve a handler with Node's native Request/Response (as Deno, Bun and Workers have). */
const servers: Listening[] = [];
async function serve(handler: (request: Request) => Response | Promise<Response>): Promise<string> {
  const server = await serveFetch(handler, true);
  servers.push(server);
  return server.url;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const req = (path: string, init: RequestInit = {}): Request => new Request(`http://api.test${path}`, init);

describe('configuration', () => {
  it('refuses an insecure configuration when the handler is wrapped, not per request', () => {
    expect(() => withCors({ origin: '*', credentials: true }, () => new Response('ok'))).toThrow(CorsConfigError);
    expect(() => createCors({} as CorsOptions)).toThrow(/origin/);
  });

  it("names Preflight's option for hono/cors' spellings", () => {
    expect(() => createCors({ origin: APP, allowHeaders: ['X-A'] } as CorsOptions)).toThrow(/did you mean `allowedHeaders`/);
    expect(() => createCors({ origin: APP, exposeHeaders: ['X-A'] } as CorsOptions)).toThrow(/did you mean `exposedHeaders`/);
    expect(() => createCors({ origin: APP, allowMethods: ['GET'] } as CorsOptions)).toThrow(/did you mean `methods`/);
  });

  it('refuses to wrap something that is not a function', () => {
    expect(() => createCors(OPTIONS).wrap(undefined as unknown as () => Response)).toThrow(TypeError);
  });
});

describe('withCors over HTTP', () => {
  let url: string;
  let calls = 0;
  beforeAll(async () => {
    url = await serve(
      withCors(OPTIONS, (request) => {
        calls++;
        const path = new URL(request.url).pathname;
        if (path === '/vary-star') return new Response('ok', { headers: { Vary: '*' } });
        if (path === '/vary-origin') return new Response('ok', { headers: { Vary: 'origin' } });
        if (path === '/teapot') return new Response('short and stout', { status: 418, statusText: 'I am a teapot' });
        return new Response('ok', { headers: { 'X-Request-Id': '42' } });
      }),
    );
  });

  it('answers a preflight itself, with an empty body, without calling the handler', async () => {
    calls = 0;
    const res = await send(`${url}/anything`, { method: 'OPTIONS', headers: preflight(APP, 'PUT', 'content-type') });
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-headers']).toBe('content-type');
    expect(res.headers.vary).toBe('Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    expect(calls).toBe(0);
  });

  it('adds the CORS headers to the response the handler returns, keeping its own headers', async () => {
    const res = await send(`${url}/items`, { headers: { Origin: APP } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
    expect(values(res, 'access-control-allow-origin')).toEqual([APP]);
    expect(res.headers['access-control-expose-headers']).toBe('X-Request-Id');
    expect(res.headers['x-request-id']).toBe('42');
    expect(res.headers.vary).toBe('Origin');
  });

  it('keeps status and status text of error statuses, with CORS headers', async () => {
    const res = await send(`${url}/teapot`, { headers: { Origin: APP } });
    expect(res.status).toBe(418);
    expect(res.body).toBe('short and stout');
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('varies on Origin for refused and origin-less requests, granting nothing', async () => {
    for (const headers of [{ Origin: EVIL }, {}]) {
      const res = await send(`${url}/items`, { headers });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-expose-headers']).toBeUndefined();
      expect(res.headers.vary).toBe('Origin');
    }
  });

  it("merges into the response's Vary: `*` absorbs, an existing token is not repeated", async () => {
    expect((await send(`${url}/vary-star`, { headers: { Origin: APP } })).headers.vary).toBe('*');
    expect(values(await send(`${url}/vary-origin`, { headers: { Origin: APP } }), 'vary')).toEqual(['origin']);
  });
});

describe('responses with immutable headers', () => {
  let upstream: string;
  let url: string;
  beforeAll(async () => {
    upstream = await serve(
      () => new Response('from upstream', { status: 201, statusText: 'Made', headers: { Vary: 'Accept-Encoding', 'X-Upstream': 'yes', 'Access-Control-Allow-Origin': '*' } }),
    );
    url = await serve(
      withCors({ origin: APP }, async (request) => {
        const path = new URL(request.url).pathname;
        if (path === '/redirect') return Response.redirect(`${upstream}/elsewhere`, 302);
        // A proxy: fetch()'s Response has immutable headers.
        return fetch(`${upstream}/data`);
      }),
    );
  });

  it("copies fetch()'s Response: status, status text, headers and body kept, CORS headers set (never appended)", async () => {
    const res = await send(`${url}/proxy`, { headers: { Origin: APP } });
    expect(res.status).toBe(201);
    expect(res.body).toBe('from upstream');
    expect(res.headers['x-upstream']).toBe('yes');
    expect(values(res, 'access-control-allow-origin')).toEqual([APP]);
    expect(res.headers.vary).toBe('Accept-Encoding, Origin');
  });

  it('copies Response.redirect()', async () => {
    const res = await send(`${url}/redirect`, { headers: { Origin: APP } });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${upstream}/elsewhere`);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('keeps the status text of the copy', async () => {
    const response = await withCors({ origin: APP }, () => fetch(`${upstream}/data`))(req('/', { headers: { Origin: APP } }));
    // Node's HTTP server sends the standard reason phrase; a Response built from the status alone would have ''.
    expect(response.statusText).toBe('Created');
    expect(await response.text()).toBe('from upstream');
  });

  it('returns Response.error() unchanged (a network error has no headers to set)', async () => {
    const response = await withCors({ origin: APP }, () => Response.error())(req('/', { headers: { Origin: APP } }));
    expect(response.type).toBe('error');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('changes a mutable response in place (no copy)', () => {
    const original = new Response('ok');
    const cors = createCors({ origin: APP });
    const decision = cors.decide(req('/', { headers: { Origin: APP } }));
    if (decision instanceof Promise) throw new Error('a static origin decides synchronously');
    expect(cors.apply(decision, original)).toBe(original);
    expect(original.headers.get('access-control-allow-origin')).toBe(APP);
  });
});

describe('errors', () => {
  const boom = new Error('boom');
  const quiet = { onError: () => new Response('Internal Server Error', { status: 500 }) };

  it('turns an error thrown by the handler, synchronously or not, into a 500 that keeps the CORS headers', async () => {
    const errors: unknown[] = [];
    const log = vi.spyOn(console, 'error').mockImplementation((_msg: unknown, error: unknown) => errors.push(error));
    try {
      const sync = await withCors(OPTIONS, () => {
        throw boom;
      })(req('/', { headers: { Origin: APP } }));
      const async = await withCors(OPTIONS, () => Promise.reject(boom))(req('/', { headers: { Origin: APP } }));
      for (const res of [sync, async]) {
        expect(res.status).toBe(500);
        expect(res.headers.get('access-control-allow-origin')).toBe(APP);
        expect(await res.text()).toBe('Internal Server Error');
      }
      expect(errors).toEqual([boom, boom]); // logged by default, never swallowed silently
    } finally {
      log.mockRestore();
    }
  });

  it('lets onError choose the response, which still gets the CORS headers, or rethrow to the platform', async () => {
    const seen: unknown[] = [];
    const custom = withCors(OPTIONS, () => Promise.reject(boom), {
      onError: (error) => {
        seen.push(error);
        return Response.json({ error: 'teapot' }, { status: 418 });
      },
    });
    const res = await custom(req('/', { headers: { Origin: APP } }));
    expect(res.status).toBe(418);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(seen).toEqual([boom]);
    const rethrow = withCors(OPTIONS, () => Promise.reject(boom), {
      onError: (error) => {
        throw error;
      },
    });
    await expect(Promise.resolve(rethrow(req('/', { headers: { Origin: APP } })))).rejects.toBe(boom);
  });

  it('answers a failing async predicate through onError with a CorsOriginError, without calling the handler, varying on Origin', async () => {
    let called = false;
    const failure = new Error('database down');
    const seen: unknown[] = [];
    const handler = withCors(
      { origin: () => Promise.reject(failure) },
      () => {
        called = true;
        return new Response('ok');
      },
      { onError: (error) => (seen.push(error), quiet.onError()) },
    );
    const res = await handler(req('/', { headers: { Origin: APP } }));
    expect(res.status).toBe(500);
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(seen[0]).toBeInstanceOf(CorsOriginError);
    expect((seen[0] as CorsOriginError).cause).toBe(failure);
    expect(called).toBe(false);
  });

  it('answers a throwing sync predicate the same way', async () => {
    const seen: unknown[] = [];
    const handler = withCors({ origin: () => { throw new Error('bug'); } }, () => new Response('ok'), { onError: (e) => (seen.push(e), quiet.onError()) });
    const res = await handler(req('/', { headers: { Origin: APP } }));
    expect(res.status).toBe(500);
    expect(seen[0]).toBeInstanceOf(CorsOriginError);
  });

  it('says so when the handler returns something that is not a Response', async () => {
    const handler = withCors(OPTIONS, (() => null) as unknown as () => Response);
    expect(() => handler(req('/', { headers: { Origin: APP } }))).toThrow(/returned null, not a Response/);
    const asyncHandler = withCors(OPTIONS, (async () => 'ok') as unknown as () => Promise<Response>);
    await expect(asyncHandler(req('/', { headers: { Origin: APP } }))).rejects.toThrow(/returned string, not a Response/);
  });

  it('passes undefined through, as Bun expects once server.upgrade(request) took the request over', async () => {
    const log = vi.spyOn(console, 'error');
    try {
      const upgraded = (): Response | undefined => undefined;
      const handler = withCors(OPTIONS, upgraded);
      expect(handler(req('/', { headers: { Origin: APP } }))).toBeUndefined();
      expect(await withCors(OPTIONS, async () => upgraded())(req('/', { headers: { Origin: APP } }))).toBeUndefined();
      expect(await createCors(OPTIONS).wrap(upgraded)(req('/'))).toBeUndefined();
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });
});

describe('the wrapped handler', () => {
  it('passes every platform argument through (Workers env and ctx, Next.js context…)', async () => {
    const seen: unknown[] = [];
    const handler = withCors(OPTIONS, (request: Request, env: { KEY: string }, ctx: { waitUntil: () => void }) => {
      seen.push(request.url, env, ctx);
      return new Response('ok');
    });
    const env = { KEY: 'value' };
    const ctx = { waitUntil: () => {} };
    await handler(req('/x'), env, ctx);
    expect(seen).toEqual(['http://api.test/x', env, ctx]);
  });

  it('returns a Response synchronously when the handler and the origin check are synchronous', () => {
    const result = withCors(OPTIONS, () => new Response('ok'))(req('/', { headers: { Origin: APP } }));
    expect(result).toBeInstanceOf(Response);
    expect((result as Response).headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('answers a preflight with an async predicate, asking it once', async () => {
    let asked = 0;
    const handler = withCors({ origin: async (origin) => (asked++, origin === APP) }, () => new Response('app'));
    const res = await handler(req('/', { method: 'OPTIONS', headers: preflight(APP, 'DELETE') }));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await res.text()).toBe('');
    expect(asked).toBe(1);
  });

  it('gives the predicate the method and the origin', async () => {
    const seen: unknown[] = [];
    const handler = withCors({ origin: (origin, request) => (seen.push(origin, request.method), true) }, () => new Response('ok'));
    await handler(req('/', { method: 'POST', headers: { Origin: APP } }));
    expect(seen).toEqual([APP, 'POST']);
  });

  it('answers with optionsSuccessStatus 200 and Content-Length: 0', async () => {
    const res = await withCors({ origin: APP, optionsSuccessStatus: 200 }, () => new Response('app'))(req('/', { method: 'OPTIONS', headers: preflight(APP) }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect(await res.text()).toBe('');
  });

  it('passes the preflight to the handler with preflightContinue, and adds the headers to its answer', async () => {
    const res = await withCors({ origin: APP, preflightContinue: true }, () => new Response('mine', { status: 200 }))(
      req('/', { method: 'OPTIONS', headers: preflight(APP, 'PUT', 'x-custom') }),
    );
    expect(await res.text()).toBe('mine');
    expect(res.headers.get('access-control-allow-headers')).toBe('x-custom');
  });

  it('treats OPTIONS without Access-Control-Request-Method as the application’s', async () => {
    const res = await withCors(OPTIONS, () => new Response('allow', { headers: { Allow: 'GET, OPTIONS' } }))(req('/', { method: 'OPTIONS', headers: { Origin: APP } }));
    expect(await res.text()).toBe('allow');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('createCors', () => {
  const cors = createCors({ origin: APP });

  it('handle(request, next): calls next() without arguments and applies the decision to its Response', async () => {
    const args: unknown[][] = [];
    const res = await cors.handle(req('/', { headers: { Origin: APP } }), (...a: unknown[]) => {
      args.push(a);
      return Promise.resolve(new Response('next'));
    });
    expect(args).toEqual([[]]);
    expect(await res.text()).toBe('next');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('handle(request, next): answers a preflight without calling next', async () => {
    let called = false;
    const res = await cors.handle(req('/', { method: 'OPTIONS', headers: preflight(APP) }), () => {
      called = true;
      return new Response('next');
    });
    expect(res.status).toBe(204);
    expect(called).toBe(false);
  });

  it('decide + preflight + apply: the building blocks', async () => {
    const actual = await cors.decide(req('/', { headers: { Origin: APP } }));
    expect(cors.preflight(actual)).toBeUndefined();
    const preflightDecision = await cors.decide(req('/', { method: 'OPTIONS', headers: preflight(APP) }));
    const answer = cors.preflight(preflightDecision);
    expect(answer?.status).toBe(204);
    expect(answer?.headers.get('access-control-allow-origin')).toBe(APP);
    const res = cors.apply(actual, new Response('built by the framework', { headers: { Vary: 'Cookie' } }));
    expect(res.headers.get('vary')).toBe('Cookie, Origin');
  });

  it('shares one policy between handlers (each method of a Next.js route)', async () => {
    const GET = cors.wrap(() => new Response('get'));
    const OPTIONS_ = cors.wrap(() => new Response(null, { status: 204, headers: { Allow: 'GET, OPTIONS' } }));
    expect((await GET(req('/', { headers: { Origin: APP } }))).headers.get('access-control-allow-origin')).toBe(APP);
    const answered = await OPTIONS_(req('/', { method: 'OPTIONS', headers: preflight(APP, 'PUT') }));
    expect(answered.headers.get('access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    expect(answered.headers.get('allow')).toBeNull(); // the CORS layer answered, not the handler
  });
});
