import { describe, expect, it } from 'vitest';
import { APP, EVIL, header, preflight, send, serve, vary } from './helpers.js';

const marked = (name: string) => async (_request: unknown, reply: { header(k: string, v: string): unknown; send(body: string): unknown }) => {
  reply.header('X-App-Handler', name);
  return reply.send(name);
};

describe('preflights', () => {
  it('are answered for unknown routes, without running the 404 handler', async () => {
    let notFoundRan = false;
    const { url } = await serve({ origin: APP, maxAge: 600 }, (app) => {
      app.setNotFoundHandler((_request, reply) => {
        notFoundRan = true;
        return reply.code(404).send('nope');
      });
    });
    const res = await send(`${url}/does/not/exist`, { method: 'OPTIONS', headers: preflight(APP, 'PUT', 'content-type,x-token') });
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    expect(header(res, 'access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    expect(header(res, 'access-control-allow-headers')).toBe('content-type,x-token');
    expect(header(res, 'access-control-max-age')).toBe('600');
    expect(header(res, 'content-length')).toBeUndefined(); // RFC 9110: none on 204
    expect(vary(res)).toEqual(['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers']);
    expect(notFoundRan).toBe(false);
  });

  it('are answered for routes without an OPTIONS handler, and the route does not run', async () => {
    let ran = false;
    const { url } = await serve({ origin: APP }, (app) => {
      app.delete('/items/:id', async () => {
        ran = true;
        return 'deleted';
      });
    });
    const res = await send(`${url}/items/7`, { method: 'OPTIONS', headers: preflight(APP, 'DELETE') });
    expect(res.status).toBe(204);
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    expect(ran).toBe(false);
  });

  it('are answered for routes of a prefixed plugin, including one with its own not-found handler', async () => {
    const { url } = await serve({ origin: APP }, async (app) => {
      await app.register(
        async (api) => {
          api.setNotFoundHandler((_request, reply) => reply.code(404).send('api 404'));
          api.put('/v1/things', async () => 'put');
        },
        { prefix: '/api' },
      );
    });
    for (const path of ['/api/v1/things', '/api/v1/unknown', '/api']) {
      const res = await send(`${url}${path}`, { method: 'OPTIONS', headers: preflight(APP, 'PUT') });
      expect(res.status, path).toBe(204);
      expect(header(res, 'access-control-allow-origin'), path).toBe(APP);
    }
  });

  it('are answered even when the app has its own OPTIONS route, which does not run', async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.options('/thing', marked('options'));
    });
    const res = await send(`${url}/thing`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(res.status).toBe(204);
    expect(header(res, 'x-app-handler')).toBeUndefined();
  });

  it('run before authentication hooks added after the plugin; actual requests still meet them', async () => {
    const { url } = await serve({ origin: APP, credentials: true }, (app) => {
      app.addHook('onRequest', async (request, reply) => {
        if (request.headers.authorization !== 'Bearer ok') return reply.code(401).send({ error: 'unauthorized' });
      });
      app.put('/secret', async () => 'secret');
    });
    const pre = await send(`${url}/secret`, { method: 'OPTIONS', headers: preflight(APP, 'PUT', 'authorization') });
    expect(pre.status).toBe(204);
    expect(header(pre, 'access-control-allow-headers')).toBe('authorization');
    expect(header(pre, 'access-control-allow-credentials')).toBe('true');

    const denied = await send(`${url}/secret`, { method: 'PUT', headers: { Origin: APP } });
    expect(denied.status).toBe(401);
    expect(header(denied, 'access-control-allow-origin')).toBe(APP); // the page can read the 401

    const ok = await send(`${url}/secret`, { method: 'PUT', headers: { Origin: APP, Authorization: 'Bearer ok' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('secret');
  });

  it('refused preflights end with no grant, and the app does not run', async () => {
    let ran = false;
    const { url } = await serve({ origin: APP, methods: ['GET', 'PUT'] }, (app) => {
      app.options('/x', async () => {
        ran = true;
        return 'app';
      });
    });
    const evil = await send(`${url}/x`, { method: 'OPTIONS', headers: preflight(EVIL) });
    expect(evil.status).toBe(204);
    expect(header(evil, 'access-control-allow-origin')).toBeUndefined();
    expect(vary(evil)).toContain('Origin');
    const method = await send(`${url}/x`, { method: 'OPTIONS', headers: preflight(APP, 'DELETE') });
    expect(header(method, 'access-control-allow-methods')).toBe('GET,PUT'); // DELETE is not granted
    expect(ran).toBe(false);
  });

  it('optionsSuccessStatus 200 answers 200 with Content-Length: 0', async () => {
    const { url } = await serve({ origin: APP, optionsSuccessStatus: 200 });
    const res = await send(`${url}/any`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(header(res, 'content-length')).toBe('0');
  });

  it('preflightContinue passes the preflight, with its headers, to the app', async () => {
    const { url } = await serve({ origin: APP, preflightContinue: true }, (app) => {
      app.options('/x', marked('options'));
    });
    const res = await send(`${url}/x`, { method: 'OPTIONS', headers: preflight(APP) });
    expect(res.status).toBe(200);
    expect(header(res, 'x-app-handler')).toBe('options');
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    expect(header(res, 'access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
  });
});

describe('OPTIONS requests that are not preflights', () => {
  it("reach the app's OPTIONS route, with CORS headers for an allowed Origin", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.options('/x', marked('options'));
    });
    const res = await send(`${url}/x`, { method: 'OPTIONS', headers: { Origin: APP } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('options');
    expect(header(res, 'access-control-allow-origin')).toBe(APP);
    expect(header(res, 'access-control-allow-methods')).toBeUndefined();
  });

  it("get Fastify's own 404 where the app has no OPTIONS route", async () => {
    const { url } = await serve({ origin: APP }, (app) => {
      app.get('/x', async () => 'x');
    });
    const noAcrm = await send(`${url}/x`, { method: 'OPTIONS', headers: { Origin: APP } });
    expect(noAcrm.status).toBe(404);
    expect(JSON.parse(noAcrm.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(header(noAcrm, 'access-control-allow-origin')).toBe(APP);
    const noOrigin = await send(`${url}/x`, { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'PUT' } });
    expect(noOrigin.status).toBe(404);
    expect(header(noOrigin, 'access-control-allow-methods')).toBeUndefined();
  });
});
