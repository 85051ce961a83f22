import Boom from '@hapi/boom';
import { describe, expect, it } from 'vitest';
import { preflightHeaders, send, values } from '@preflight/cors-conformance';
import { cors, CorsConfigError, CorsOriginError, type CorsOptions } from '@preflight/cors-hapi';
import { createServer } from './harness.js';
import { start, vary } from './serve.js';

const APP = 'https://app.example.com';
const OPTIONS: CorsOptions = { origin: APP, credentials: true };

describe('@preflight/cors-hapi on hapi 21', () => {
  it('answers preflights before authentication, and keeps CORS headers on the 401 of the actual request', async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.auth.scheme('deny', () => ({ authenticate: () => { throw Boom.unauthorized('no', 'Bearer'); } }));
      server.auth.strategy('deny', 'deny');
      server.auth.default('deny');
      server.route({ method: 'PUT', path: '/items/{id}', handler: () => 'saved' });
    });
    const pre = await send(`${url}/items/1`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'PUT', 'authorization') });
    expect(pre.status).toBe(204);
    expect(pre.body).toBe('');
    expect(values(pre, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(pre, 'access-control-allow-headers')).toEqual(['authorization']);
    const actual = await send(`${url}/items/1`, { method: 'PUT', headers: { Origin: APP } });
    expect(actual.status).toBe(401);
    expect(values(actual, 'www-authenticate')).toEqual(['Bearer error="no"']);
    expect(values(actual, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(actual, 'access-control-allow-credentials')).toEqual(['true']);
    expect(vary(actual)).toContain('origin');
  });

  it("keeps a Boom error's own headers (any case) next to the CORS headers, one value each", async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({
        method: 'GET',
        path: '/limited',
        handler: () => {
          const error = Boom.tooManyRequests();
          error.output.headers['Retry-After'] = '30';
          error.output.headers.Vary = 'Accept-Language';
          throw error;
        },
      });
    });
    const reply = await send(`${url}/limited`, { headers: { Origin: APP } });
    expect(reply.status).toBe(429);
    expect(values(reply, 'retry-after')).toEqual(['30']);
    expect(values(reply, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(reply, 'vary')).toEqual(['Accept-Language, Origin']);
  });

  it('adds CORS headers to the answer of an onRequest extension registered before the plugin', async () => {
    const url = await start(async (server) => {
      server.ext('onRequest', (_request, h) => h.response('slow down').code(429).takeover());
      await server.register({ plugin: cors, options: OPTIONS });
    });
    const reply = await send(`${url}/anything`, { headers: { Origin: APP } });
    expect(reply.status).toBe(429);
    expect(values(reply, 'access-control-allow-origin')).toEqual([APP]);
    expect(vary(reply)).toEqual(['origin']);
    // A preflight that extension answered is not granted by us: its status fails it anyway.
    const pre = await send(`${url}/anything`, { method: 'OPTIONS', headers: preflightHeaders(APP) });
    expect(pre.status).toBe(429);
    expect(values(pre, 'access-control-allow-origin')).toEqual([]);
    expect(vary(pre)).toContain('origin');
  });

  it('merges Vary without repeating tokens, whichever hapi setter the route used', async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({ method: 'GET', path: '/a', handler: (_request, h) => h.response('ok').vary('Accept-Encoding').vary('Origin') });
      server.route({ method: 'GET', path: '/b', handler: (_request, h) => h.response('ok').header('Vary', 'origin, Cookie') });
      // A later onPreResponse extension that calls hapi's vary() again: exact-string dedupe only.
      server.ext('onPreResponse', (request, h) => {
        const response = request.response;
        if (!Boom.isBoom(response) && request.path === '/a') response.vary('Cookie');
        return h.continue;
      });
    });
    const a = await send(`${url}/a`, { headers: { Origin: APP } });
    expect(vary(a)).toEqual(['accept-encoding', 'origin', 'cookie']);
    const b = await send(`${url}/b`, { headers: { Origin: APP } });
    expect(vary(b)).toEqual(['origin', 'cookie']);
  });

  it('documented: an onPreResponse extension registered after the plugin that replaces the response drops the CORS headers', async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({ method: 'GET', path: '/x', handler: () => 'ok' });
      server.ext('onPreResponse', (_request, h) => h.response('replaced'));
    });
    const reply = await send(`${url}/x`, { headers: { Origin: APP } });
    expect(reply.body).toBe('replaced');
    expect(values(reply, 'access-control-allow-origin')).toEqual([]);
  });

  it('fails a request whose origin predicate rejects with a CorsOriginError: hapi 500, Vary: Origin, no grant', async () => {
    const seen: unknown[] = [];
    const url = await start(async (server) => {
      server.events.on({ name: 'request', channels: 'error' }, (_request, event) => seen.push(event.error));
      await server.register({ plugin: cors, options: { origin: () => Promise.reject(new Error('store down')) } });
      server.route({ method: 'GET', path: '/x', handler: () => 'ok' });
    });
    const reply = await send(`${url}/x`, { headers: { Origin: APP } });
    expect(reply.status).toBe(500);
    expect(values(reply, 'access-control-allow-origin')).toEqual([]);
    expect(vary(reply)).toEqual(['origin']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(CorsOriginError);
  });

  it('rejects an invalid configuration at registration with a CorsConfigError', async () => {
    const server = createServer();
    await expect(server.register({ plugin: cors, options: { origin: '*', credentials: true } })).rejects.toBeInstanceOf(CorsConfigError);
  });

  it('refuses a second registration on the same server (no double CORS headers)', async () => {
    const server = createServer();
    await server.register({ plugin: cors, options: OPTIONS });
    await expect(server.register({ plugin: cors, options: OPTIONS })).rejects.toThrow(/already registered/);
  });

  it("documented: hapi's own route `cors` overrides ours — keep it off", async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: { origin: APP } });
      server.route({ method: 'GET', path: '/x', options: { cors: true }, handler: () => 'ok' });
    });
    const reply = await send(`${url}/x`, { headers: { Origin: 'https://evil.example' } });
    // hapi's `cors: true` allows every origin: the refusal Preflight decided is lost.
    expect(values(reply, 'access-control-allow-origin')).toEqual(['https://evil.example']);
  });
});
