import { cors, CorsConfigError, type CorsOptions } from '@preflight/cors-fastify';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { APP, EVIL, header, preflight, send, serve, vary } from './helpers.js';

const PARTNER = 'https://partner.example.net';

describe('config: { cors: false }', () => {
  it('turns CORS off for the route: no headers, no Vary, preflights left to the app', async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.put('/internal', { config: { cors: false } }, async () => 'internal');
      app.put('/public', async () => 'public');
    });
    const actual = await send(`${url}/internal`, { method: 'PUT', headers: { Origin: APP } });
    expect(actual.status).toBe(200);
    expect(header(actual, 'access-control-allow-origin')).toBeUndefined();
    expect(header(actual, 'vary')).toBeUndefined();

    const pre = await send(`${url}/internal`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
    expect(pre.status).toBe(404); // what the app answers: no OPTIONS route
    expect(header(pre, 'access-control-allow-origin')).toBeUndefined();

    // Other routes keep the plugin's policy.
    const other = await send(`${url}/public`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
    expect(other.status).toBe(204);
    expect(header(other, 'access-control-allow-origin')).toBe(APP);
  });
});

describe('config: { cors: { … } }', () => {
  it("gives the route its own policy, for actual requests and for the preflights that ask about it", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.post('/partner', { config: { cors: { origin: PARTNER, methods: ['POST'], allowedHeaders: ['X-Partner'] } } }, async () => 'partner');
      app.post('/app', async () => 'app');
    });
    const actual = await send(`${url}/partner`, { method: 'POST', headers: { Origin: PARTNER } });
    expect(header(actual, 'access-control-allow-origin')).toBe(PARTNER);
    const notApp = await send(`${url}/partner`, { method: 'POST', headers: { Origin: APP } });
    expect(header(notApp, 'access-control-allow-origin')).toBeUndefined();

    const pre = await send(`${url}/partner`, { method: 'OPTIONS', headers: preflight(PARTNER, 'POST', 'x-partner') });
    expect(pre.status).toBe(204);
    expect(header(pre, 'access-control-allow-origin')).toBe(PARTNER);
    expect(header(pre, 'access-control-allow-methods')).toBe('POST');
    expect(header(pre, 'access-control-allow-headers')).toBe('X-Partner');

    const refused = await send(`${url}/partner`, { method: 'OPTIONS', headers: preflight(APP, 'POST') });
    expect(refused.status).toBe(204);
    expect(header(refused, 'access-control-allow-origin')).toBeUndefined();

    // The plugin's policy everywhere else.
    const other = await send(`${url}/app`, { method: 'OPTIONS', headers: preflight(PARTNER, 'POST') });
    expect(header(other, 'access-control-allow-origin')).toBeUndefined();
  });

  it('works for parametric routes, routes of a prefixed plugin, and per method on one URL', async () => {
    const { url } = await serve({ origin: APP }, async (app) => {
      await app.register(
        async (api) => {
          api.get('/items/:id', { config: { cors: { origin: '*' } } }, async () => 'item');
          api.delete('/items/:id', { config: { cors: { origin: PARTNER } } }, async () => 'gone');
        },
        { prefix: '/api' },
      );
    });
    const get = await send(`${url}/api/items/42`, { headers: { Origin: EVIL } });
    expect(header(get, 'access-control-allow-origin')).toBe('*');
    const preGet = await send(`${url}/api/items/42`, { method: 'OPTIONS', headers: preflight(EVIL, 'GET', 'x-custom') });
    expect(header(preGet, 'access-control-allow-origin')).toBe('*');
    const preDelete = await send(`${url}/api/items/42`, { method: 'OPTIONS', headers: preflight(PARTNER, 'DELETE') });
    expect(header(preDelete, 'access-control-allow-origin')).toBe(PARTNER);
    // A method with no route-level config at this URL: the plugin's policy.
    const prePut = await send(`${url}/api/items/42`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
    expect(prePut.status).toBe(204);
    expect(header(prePut, 'access-control-allow-origin')).toBe(APP);
  });

  it('a route answering GET and OPTIONS uses its own policy for GET, and the asked-about route for preflights', async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.route({ method: ['GET', 'OPTIONS'], url: '/mixed', config: { cors: { origin: PARTNER } }, handler: async () => 'mixed' });
      app.delete('/mixed', { config: { cors: { origin: '*' } } }, async () => 'gone');
    });
    // A GET that happens to carry Access-Control-Request-Method is not a preflight.
    const get = await send(`${url}/mixed`, { headers: { Origin: EVIL, 'Access-Control-Request-Method': 'DELETE' } });
    expect(get.body).toBe('mixed');
    expect(header(get, 'access-control-allow-origin')).toBeUndefined();
    const pre = await send(`${url}/mixed`, { method: 'OPTIONS', headers: preflight(EVIL, 'DELETE') });
    expect(pre.status).toBe(204);
    expect(header(pre, 'access-control-allow-origin')).toBe('*');
  });

  it("leaves non-preflight OPTIONS to the app: Fastify's 404 when there is no OPTIONS route", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.get('/partner', { config: { cors: { origin: PARTNER } } }, async () => 'partner');
    });
    const res = await send(`${url}/partner`, { method: 'OPTIONS', headers: { Origin: APP } });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 404, message: 'Route OPTIONS:/partner not found' });
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
  });

  it("uses the app's own OPTIONS route for the same URL, declared before or after", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.options('/before', async (_request, reply) => reply.header('X-App-Handler', 'options').send('before'));
      app.put('/before', { config: { cors: { origin: PARTNER } } }, async () => 'put');
      app.put('/after', { config: { cors: { origin: PARTNER } } }, async () => 'put');
      app.options('/after', async (_request, reply) => reply.header('X-App-Handler', 'options').send('after'));
    });
    for (const path of ['/before', '/after']) {
      const pre = await send(`${url}${path}`, { method: 'OPTIONS', headers: preflight(PARTNER, 'PUT') });
      expect(pre.status, path).toBe(204);
      expect(header(pre, 'access-control-allow-origin'), path).toBe(PARTNER);
      const own = await send(`${url}${path}`, { method: 'OPTIONS' });
      expect(own.body, path).toBe(path.slice(1));
    }
  });

  it("preflightContinue in a route policy passes the preflight to the app's OPTIONS route for that URL, or to the 404", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.put('/own', { config: { cors: { origin: PARTNER, preflightContinue: true } } }, async () => 'put');
      app.options('/own', async (_request, reply) => reply.header('X-App-Handler', 'options').send('own options'));
      app.put('/none', { config: { cors: { origin: PARTNER, preflightContinue: true } } }, async () => 'put');
    });
    const own = await send(`${url}/own`, { method: 'OPTIONS', headers: preflight(PARTNER, 'PUT') });
    expect(own.status).toBe(200);
    expect(own.body).toBe('own options');
    expect(header(own, 'access-control-allow-origin')).toBe(PARTNER);
    expect(header(own, 'access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    const none = await send(`${url}/none`, { method: 'OPTIONS', headers: preflight(PARTNER, 'PUT') });
    expect(none.status).toBe(404);
    expect(header(none, 'access-control-allow-origin')).toBe(PARTNER);
  });

  it('a hidden OPTIONS route is not duplicated by an OPTIONS route declared later: a clear startup error', async () => {
    const app = Fastify();
    await app.register(cors, { origin: APP });
    app.put('/late', { config: { cors: { origin: PARTNER } } }, async () => 'put');
    await app.after(); // the hidden OPTIONS /late is added here
    expect(() => app.options('/late', async () => 'late')).toThrow(/OPTIONS \/late is declared after/);
  });

  it('an invalid route config throws a CorsConfigError when the route is declared, naming the route', async () => {
    const app = Fastify();
    await app.register(cors, { origin: APP });
    expect(() => app.get('/bad', { config: { cors: { origin: '*', credentials: true } } }, async () => 'x')).toThrow(CorsConfigError);
    expect(() => app.get('/bad2', { config: { cors: { origin: 'https://x.example.com/' } } }, async () => 'x')).toThrow(/in config.cors of route GET \/bad2/);
    expect(() => app.get('/bad3', { config: { cors: true as unknown as CorsOptions } }, async () => 'x')).toThrow(
      expect.objectContaining({ name: 'CorsConfigError', code: 'OPTION_TYPE', option: 'config.cors' }) as Error,
    );
  });

  it('an invalid route config inside a plugin makes ready() reject', async () => {
    const app = Fastify();
    await app.register(cors, { origin: APP });
    void app.register(async (child) => {
      child.get('/bad', { config: { cors: { origin: 'null' } } }, async () => 'x');
    });
    await expect(app.ready()).rejects.toMatchObject({ name: 'CorsConfigError', code: 'ORIGIN_NULL' });
  });

  it('route policies vary like the plugin policy, and the Vary re-merge uses the route decision', async () => {
    const { url } = await serve({ origin: '*' }, (app) => {
      app.get('/strict', { config: { cors: { origin: APP } } }, async (_request, reply) => reply.header('Vary', 'Accept-Encoding').send('ok'));
    });
    const res = await send(`${url}/strict`);
    expect(vary(res)).toEqual(['Accept-Encoding', 'Origin']);
    expect(header(res, 'access-control-allow-origin')).toBeUndefined();
  });
});

describe('documented limits', () => {
  it("an app's catch-all OPTIONS route keeps non-preflight OPTIONS, except on URLs with a route-level config", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.options('*', async (_request, reply) => reply.header('X-App-Handler', 'catch-all').send('catch-all'));
      app.get('/plain', async () => 'plain');
      app.get('/partner', { config: { cors: { origin: PARTNER } } }, async () => 'partner');
    });
    const plain = await send(`${url}/plain`, { method: 'OPTIONS' });
    expect(plain.body).toBe('catch-all');
    const pre = await send(`${url}/plain`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(pre.status).toBe(204);
    expect(header(pre, 'x-app-handler')).toBeUndefined();
    // The hidden OPTIONS /partner is more specific than the app's OPTIONS *: documented limit.
    const partner = await send(`${url}/partner`, { method: 'OPTIONS' });
    expect(partner.status).toBe(404);
  });

  it('a plugin registered only inside a prefixed child sets headers there, but preflights without an OPTIONS route fall to the root 404', async () => {
    const { url } = await serve(null, async (app) => {
      await app.register(
        async (api) => {
          await api.register(cors, { origin: APP });
          api.put('/thing', async () => 'put');
        },
        { prefix: '/api' },
      );
    });
    const actual = await send(`${url}/api/thing`, { method: 'PUT', headers: { Origin: APP } });
    expect(header(actual, 'access-control-allow-origin')).toBe(APP);
    const pre = await send(`${url}/api/thing`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
    expect(pre.status).toBe(404);
    expect(header(pre, 'access-control-allow-origin')).toBeUndefined();
  });

  it('a root route declared before the plugin is loaded gets the plugin policy, but its config.cors is not seen', async () => {
    const { url } = await serve(null, (app) => {
      void app.register(cors, { origin: APP }); // not awaited: the route below is declared first
      app.get('/early', { config: { cors: false } }, async () => 'early');
    });
    const res = await send(`${url}/early`, { headers: { Origin: APP } });
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
  });
});

describe('recipes', () => {
  it('Cache-Control on answered preflights through request.corsDecision in an onSend hook', async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.addHook('onSend', async (request, reply) => {
        if (request.corsDecision?.kind === 'preflight') reply.header('Cache-Control', 'public, max-age=600');
      });
      app.get('/echo', async () => 'ok');
    });
    const pre = await send(`${url}/anything`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(pre.status).toBe(204);
    expect(header(pre, 'cache-control')).toBe('public, max-age=600');
    const actual = await send(`${url}/echo`, { headers: { Origin: APP } });
    expect(actual.body).toBe('ok');
    expect(header(actual, 'cache-control')).toBeUndefined();
  });
});
