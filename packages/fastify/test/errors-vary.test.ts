import { Readable } from 'node:stream';
import { cors, CorsOriginError } from '@preflight/cors-fastify';
import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { APP, delay, EVIL, header, preflight, send, serve, vary } from './helpers.js';

describe('CORS headers survive errors', () => {
  it('on a thrown error (500), reply.code(400), a 400 error and the 404 of an unknown route', async () => {
    const { url } = await serve({ origin: APP, exposedHeaders: ['X-Request-Id'] }, (app) => {
      app.get('/throw', async () => {
        throw new Error('boom');
      });
      app.get('/code-400', async (_request, reply) => reply.code(400).send({ error: 'bad' }));
      app.get('/error-400', async () => {
        throw Object.assign(new Error('Bad Request'), { statusCode: 400 });
      });
    });
    for (const [path, status] of [['/throw', 500], ['/code-400', 400], ['/error-400', 400], ['/missing', 404]] as const) {
      const res = await send(`${url}${path}`, { headers: { Origin: APP } });
      expect(res.status, path).toBe(status);
      expect(header(res, 'access-control-allow-origin'), path).toBe(APP);
      expect(header(res, 'access-control-expose-headers'), path).toBe('X-Request-Id');
      expect(vary(res), path).toEqual(['Origin']);
    }
  });

  it('with a custom error handler', async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.setErrorHandler((error: FastifyError, _request, reply) => reply.code(418).send({ mine: error.message }));
      app.get('/throw', async () => {
        throw new Error('boom');
      });
    });
    const res = await send(`${url}/throw`, { headers: { Origin: APP } });
    expect(res.status).toBe(418);
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
  });
});

describe('origin predicates', () => {
  it('an async predicate is awaited before the route runs', async () => {
    const { url } = await serve(
      {
        origin: async (origin) => {
          await delay(5);
          return origin === APP;
        },
      },
      (app) => app.get('/echo', async () => 'ok'),
    );
    const ok = await send(`${url}/echo`, { headers: { Origin: APP } });
    expect(header(ok, 'access-control-allow-origin')).toBe(APP);
    const refused = await send(`${url}/echo`, { headers: { Origin: EVIL } });
    expect(refused.status).toBe(200);
    expect(header(refused, 'access-control-allow-origin')).toBeUndefined();
    expect(vary(refused)).toEqual(['Origin']);
    const pre = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(pre.status).toBe(204);
    expect(header(pre, 'access-control-allow-origin')).toBe(APP);
  });

  it("a rejection reaches Fastify's error handler as a CorsOriginError (500), with Vary: Origin already set", async () => {
    const seen: unknown[] = [];
    let routeRan = false;
    const { url } = await serve(
      {
        origin: async () => {
          await delay(2);
          throw new Error('origin store unavailable');
        },
      },
      (app) => {
        app.setErrorHandler((error, _request, reply) => {
          seen.push(error);
          return reply.send(error);
        });
        app.get('/echo', async () => {
          routeRan = true;
          return 'ok';
        });
      },
    );
    const res = await send(`${url}/echo`, { headers: { Origin: APP } });
    expect(res.status).toBe(500);
    expect(vary(res)).toEqual(['Origin']);
    expect(header(res, 'access-control-allow-origin')).toBeUndefined();
    expect(routeRan).toBe(false);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(CorsOriginError);
    expect(seen[0]).toMatchObject({ statusCode: 500, origin: APP, cause: { message: 'origin store unavailable' } });
  });

  it('a synchronous throw and an originTimeout fail the same way', async () => {
    const sync = await serve(
      {
        origin: () => {
          throw new Error('sync failure');
        },
      },
      (app) => app.get('/echo', async () => 'ok'),
    );
    const a = await send(`${sync.url}/echo`, { headers: { Origin: APP } });
    expect(a.status).toBe(500);
    expect(vary(a)).toEqual(['Origin']);

    const slow = await serve({ origin: () => new Promise<boolean>(() => {}), originTimeout: 20 }, (app) => app.get('/echo', async () => 'ok'));
    const b = await send(`${slow.url}/echo`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(b.status).toBe(500);
    expect(JSON.parse(b.body)).toMatchObject({ statusCode: 500, message: expect.stringContaining('originTimeout') as string });
    expect(vary(b)).toEqual(['Origin']);
  });
});

describe('Vary', () => {
  it("is merged with a route's Vary set after the hook, never overwritten", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.get('/set', async (_request, reply) => reply.header('Vary', 'Accept-Encoding').send('ok'));
      app.get('/lower', async (_request, reply) => reply.header('Vary', 'origin').send('ok'));
      app.get('/star', async (_request, reply) => reply.header('Vary', '*').send('ok'));
      app.get('/error', async (_request, reply) => {
        reply.header('Vary', 'Accept-Language');
        throw new Error('boom');
      });
    });
    const set = await send(`${url}/set`, { headers: { Origin: APP } });
    expect(values(set)).toEqual(['Accept-Encoding, Origin']);
    const lower = await send(`${url}/lower`, { headers: { Origin: APP } });
    expect(values(lower)).toEqual(['origin']); // no duplicate token
    const star = await send(`${url}/star`, { headers: { Origin: APP } });
    expect(values(star)).toEqual(['*']);
    const error = await send(`${url}/error`, { headers: { Origin: APP } });
    expect(error.status).toBe(500);
    expect(values(error)).toEqual(['Accept-Language, Origin']);
  });

  it("is merged after a user's onSend hook replaces Vary, on streamed replies and on 304s", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.get('/stream', async (_request, reply) => reply.header('Vary', 'Accept').send(Readable.from(['a', 'b'])));
      app.get('/not-modified', async (_request, reply) => reply.code(304).header('Vary', 'If-None-Match').send());
      app.register(async (scoped) => {
        scoped.addHook('onSend', async (_request, reply, payload) => {
          reply.header('vary', 'Cookie');
          return payload;
        });
        scoped.get('/hooked', async () => 'ok');
      });
    });
    const stream = await send(`${url}/stream`, { headers: { Origin: APP } });
    expect(stream.body).toBe('ab');
    expect(values(stream)).toEqual(['Accept, Origin']);
    const notModified = await send(`${url}/not-modified`, { headers: { Origin: APP } });
    expect(notModified.status).toBe(304);
    expect(values(notModified)).toEqual(['If-None-Match, Origin']);
    const hooked = await send(`${url}/hooked`, { headers: { Origin: APP } });
    expect(values(hooked)).toEqual(['Cookie, Origin']);
  });

  it('is merged with a Vary set by an earlier hook, and on refused and origin-less requests', async () => {
    const { url } = await serve(null, async (app) => {
      app.addHook('onRequest', async (_request, reply) => {
        reply.header('Vary', 'Accept-Language');
      });
      await app.register(cors, { origin: APP });
      app.get('/echo', async () => 'ok');
    });
    for (const headers of [{ Origin: APP }, { Origin: EVIL }, {}]) {
      const res = await send(`${url}/echo`, { headers });
      expect(values(res), JSON.stringify(headers)).toEqual(['Accept-Language, Origin']);
    }
  });

  it("is left alone for origin '*' without an Origin header", async () => {
    const { url } = await serve({ origin: '*' }, (app) => app.get('/echo', async () => 'ok'));
    const res = await send(`${url}/echo`);
    expect(header(res, 'access-control-allow-origin')).toBe('*');
    expect(header(res, 'vary')).toBeUndefined();
  });

  it('is never copied from the request', async () => {
    const { url } = await serve({ origin: APP }, (app) => app.get('/echo', async () => 'ok'));
    const res = await send(`${url}/echo`, { headers: { Origin: APP, Vary: 'Cookie' } });
    expect(values(res)).toEqual(['Origin']);
  });
});

function values(res: Parameters<typeof vary>[0]): string[] {
  return res.lines.filter(([n]) => n === 'vary').map(([, v]) => v);
}
