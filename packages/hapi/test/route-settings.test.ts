import Hapi, { type PluginSpecificConfiguration, type Server } from '@hapi/hapi';
import { describe, expect, it } from 'vitest';
import { preflightHeaders, send, values, type Reply } from '@preflight/cors-conformance';
import { createOriginCache } from '@preflight/cors-core';
import { cors, CorsConfigError, type CorsOptions, type CorsRouteSetting } from '@preflight/cors-hapi';
import { createServer } from './harness.js';
import { start, vary } from './serve.js';

const APP = 'https://app.example.com';
const PARTNER = 'https://partner.example.net';
const OPTIONS: CorsOptions = { origin: APP, credentials: true };
const NAME = '@preflight/cors-hapi';

/** `options.plugins` of a route with this plugin's setting. */
const setting = (value: CorsRouteSetting): { plugins: { [NAME]: CorsRouteSetting } } => ({ plugins: { [NAME]: value } });
const acao = (reply: Reply): string[] => values(reply, 'access-control-allow-origin');

describe("route setting `options.plugins['@preflight/cors-hapi']`", () => {
  it('false turns CORS off for the route: no headers, no Vary, its preflight goes on to routing (404)', async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({ method: 'POST', path: '/webhook', options: setting(false), handler: () => 'hook' });
      server.route({ method: 'GET', path: '/webhook', handler: () => 'hook info' });
    });
    const actual = await send(`${url}/webhook`, { method: 'POST', headers: { Origin: APP } });
    expect(actual.status).toBe(200);
    expect(actual.body).toBe('hook');
    expect(acao(actual)).toEqual([]);
    expect(values(actual, 'access-control-allow-credentials')).toEqual([]);
    expect(values(actual, 'vary')).toEqual([]);

    // Not answered by the plugin: hapi has no OPTIONS route there, so the browser gets a 404
    // without CORS headers and fails the preflight (as with Fastify's `config: { cors: false }`).
    const pre = await send(`${url}/webhook`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'POST', 'content-type') });
    expect(pre.status).toBe(404);
    expect(acao(pre)).toEqual([]);
    expect(values(pre, 'access-control-allow-methods')).toEqual([]);
    expect(vary(pre)).not.toContain('origin');

    // The other method of the same path keeps the plugin's policy, preflight included.
    const get = await send(`${url}/webhook`, { headers: { Origin: APP } });
    expect(acao(get)).toEqual([APP]);
    const preGet = await send(`${url}/webhook`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'GET', 'x-trace') });
    expect(preGet.status).toBe(204);
    expect(acao(preGet)).toEqual([APP]);
  });

  it("false: a preflight asking about the route reaches the app's own OPTIONS route, without CORS headers", async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({ method: 'DELETE', path: '/items/{id}', options: setting(false), handler: () => 'gone' });
      server.route({ method: 'OPTIONS', path: '/items/{id}', handler: () => 'app options' });
    });
    const pre = await send(`${url}/items/7`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'DELETE') });
    expect(pre.status).toBe(200);
    expect(pre.body).toBe('app options');
    expect(acao(pre)).toEqual([]);
    expect(vary(pre)).not.toContain('origin');
  });

  it('an options object gives the route its own origin list, for actual requests and the preflights that ask about it', async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({
        method: 'POST',
        path: '/partner/orders',
        options: setting({ origin: [PARTNER, 'https://*.partner.example.net'], methods: ['POST'], allowedHeaders: ['X-Partner-Key'] }),
        handler: () => 'order',
      });
      server.route({ method: 'POST', path: '/app/orders', handler: () => 'app order' });
    });
    const actual = await send(`${url}/partner/orders`, { method: 'POST', headers: { Origin: PARTNER } });
    expect(acao(actual)).toEqual([PARTNER]);
    expect(values(actual, 'access-control-allow-credentials')).toEqual([]); // route options replace the plugin's
    expect(vary(actual)).toEqual(['origin']);
    const sub = await send(`${url}/partner/orders`, { method: 'POST', headers: { Origin: 'https://eu.partner.example.net' } });
    expect(acao(sub)).toEqual(['https://eu.partner.example.net']);
    const notApp = await send(`${url}/partner/orders`, { method: 'POST', headers: { Origin: APP } });
    expect(acao(notApp)).toEqual([]);
    expect(vary(notApp)).toEqual(['origin']);

    const pre = await send(`${url}/partner/orders`, { method: 'OPTIONS', headers: preflightHeaders(PARTNER, 'POST', 'x-partner-key') });
    expect(pre.status).toBe(204);
    expect(acao(pre)).toEqual([PARTNER]);
    expect(values(pre, 'access-control-allow-methods')).toEqual(['POST']);
    expect(values(pre, 'access-control-allow-headers')).toEqual(['X-Partner-Key']);
    const refused = await send(`${url}/partner/orders`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'POST') });
    expect(refused.status).toBe(204);
    expect(acao(refused)).toEqual([]);

    // The plugin's policy everywhere else: other routes, and methods no route serves at that path.
    const other = await send(`${url}/app/orders`, { method: 'OPTIONS', headers: preflightHeaders(PARTNER, 'POST') });
    expect(acao(other)).toEqual([]);
    const unrouted = await send(`${url}/partner/orders`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'PUT') });
    expect(acao(unrouted)).toEqual([APP]);
  });

  it('an origin predicate in a route setting is awaited before the route runs; its failure is a 500 with Vary: Origin', async () => {
    let ran = 0;
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({ method: 'GET', path: '/ok', options: setting({ origin: (origin) => Promise.resolve(origin === PARTNER) }), handler: () => 'ok' });
      server.route({
        method: 'GET',
        path: '/down',
        options: setting({ origin: () => Promise.reject(new Error('store down')) }),
        handler: () => {
          ran += 1;
          return 'ran';
        },
      });
    });
    const ok = await send(`${url}/ok`, { headers: { Origin: PARTNER } });
    expect(acao(ok)).toEqual([PARTNER]);
    const down = await send(`${url}/down`, { headers: { Origin: PARTNER } });
    expect(down.status).toBe(500);
    expect(ran).toBe(0);
    expect(acao(down)).toEqual([]);
    expect(vary(down)).toEqual(['origin']);
  });

  it('works for prefixed routes of a sub-plugin, with the CORS plugin registered inside it (it still applies server-wide)', async () => {
    const url = await start(async (server) => {
      const api = {
        name: 'api',
        async register(s: Server) {
          await s.register({ plugin: cors, options: OPTIONS });
          s.route({ method: 'GET', path: '/items', handler: () => 'items' });
          s.route({ method: 'PUT', path: '/public/{id}', options: setting({ origin: '*' }), handler: () => 'public' });
        },
      };
      await server.register(api, { routes: { prefix: '/api' } });
      server.route({ method: 'POST', path: '/webhook', options: setting(false), handler: () => 'hook' });
    });
    const items = await send(`${url}/api/items`, { headers: { Origin: APP } });
    expect(acao(items)).toEqual([APP]);
    const pub = await send(`${url}/api/public/1`, { method: 'OPTIONS', headers: preflightHeaders('https://any.example', 'PUT') });
    expect(pub.status).toBe(204);
    expect(acao(pub)).toEqual(['*']);
    expect(values(pub, 'access-control-allow-credentials')).toEqual([]);

    // The audit's case: a root route outside the sub-plugin, meant to have no CORS.
    const hook = await send(`${url}/webhook`, { method: 'POST', headers: { Origin: APP } });
    expect(hook.body).toBe('hook');
    expect(acao(hook)).toEqual([]);
    expect(values(hook, 'access-control-allow-credentials')).toEqual([]);
    const preHook = await send(`${url}/webhook`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'POST', 'content-type') });
    expect(preHook.status).toBe(404);
    expect(acao(preHook)).toEqual([]);
  });

  it('is read from routes added before the plugin and after it', async () => {
    const url = await start(async (server) => {
      server.route({ method: 'GET', path: '/before/off', options: setting(false), handler: () => 'x' });
      server.route({ method: 'PUT', path: '/before/own', options: setting({ origin: PARTNER }), handler: () => 'x' });
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({ method: 'GET', path: '/after/off', options: setting(false), handler: () => 'x' });
      server.route({ method: 'PUT', path: '/after/own', options: setting({ origin: PARTNER }), handler: () => 'x' });
    });
    for (const when of ['before', 'after']) {
      const off = await send(`${url}/${when}/off`, { headers: { Origin: APP } });
      expect(acao(off), when).toEqual([]);
      expect(values(off, 'vary'), when).toEqual([]);
      const pre = await send(`${url}/${when}/own`, { method: 'OPTIONS', headers: preflightHeaders(PARTNER, 'PUT') });
      expect(pre.status, when).toBe(204);
      expect(acao(pre), when).toEqual([PARTNER]);
    }
  });

  it("a server-wide default (`routes: { plugins }` in the server options) applies to every route; a route's own setting wins", async () => {
    const server = Hapi.server({ host: '127.0.0.1', port: 0, debug: false, routes: setting(false) });
    const url = await start(async (s) => {
      await s.register({ plugin: cors, options: OPTIONS });
      s.route({ method: 'GET', path: '/internal', handler: () => 'x' });
      s.route({ method: 'GET', path: '/shared', options: setting({ origin: PARTNER }), handler: () => 'x' });
    }, server);
    const internal = await send(`${url}/internal`, { headers: { Origin: APP } });
    expect(acao(internal)).toEqual([]);
    const shared = await send(`${url}/shared`, { headers: { Origin: PARTNER } });
    expect(acao(shared)).toEqual([PARTNER]);
    // Paths no route serves keep the plugin's policy.
    const unknown = await send(`${url}/nowhere`, { method: 'OPTIONS', headers: preflightHeaders(APP) });
    expect(acao(unknown)).toEqual([APP]);
  });

  it('an invalid setting throws a CorsConfigError naming the setting and the route, when the route is added', async () => {
    const server = createServer();
    await server.register({ plugin: cors, options: OPTIONS });
    expect(() => server.route({ method: 'GET', path: '/bad', options: setting({ origin: '*', credentials: true }), handler: () => 'x' })).toThrow(CorsConfigError);
    expect(() => server.route({ method: 'POST', path: '/bad2', options: setting({ origin: 'https://x.example.com/' }), handler: () => 'x' })).toThrow(
      `(in options.plugins['${NAME}'] of route POST /bad2)`,
    );
    expect(() => server.route({ method: 'GET', path: '/bad3', options: setting(true as unknown as CorsRouteSetting), handler: () => 'x' })).toThrow(
      expect.objectContaining({ name: 'CorsConfigError', code: 'OPTION_TYPE', option: `options.plugins['${NAME}']` }) as Error,
    );
    // hapi deep-copies route settings: invalidate() on this handle would never reach the route's copy.
    const originCache = createOriginCache();
    expect(() => server.route({ method: 'GET', path: '/cached', options: setting({ origin: () => true, originCache }), handler: () => 'x' })).toThrow(
      expect.objectContaining({ name: 'CorsConfigError', code: 'ORIGIN_CACHE_INVALID', option: `options.plugins['${NAME}'].originCache` }) as Error,
    );
    // Added before the plugin: server.register rejects.
    const early = createServer();
    early.route({ method: 'GET', path: '/bad', options: setting({ origin: 'null' }), handler: () => 'x' });
    await expect(early.register({ plugin: cors, options: OPTIONS })).rejects.toMatchObject({ name: 'CorsConfigError', code: 'ORIGIN_NULL' });
  });

  it('a route whose setting was refused stays in hapi without CORS (hapi adds a route before plugins see it)', async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      expect(() => server.route({ method: 'GET', path: '/bad', options: setting({ origin: '*', credentials: true }), handler: () => 'bad' })).toThrow(CorsConfigError);
    });
    const reply = await send(`${url}/bad`, { headers: { Origin: APP } });
    expect(reply.body).toBe('bad');
    expect(acao(reply)).toEqual([]);
  });
});

describe('without route settings (unchanged)', () => {
  it('answers preflights to any path with the plugin policy, and sets headers on every route, 404s and sub-plugin routes', async () => {
    const url = await start(async (server) => {
      await server.register({ plugin: cors, options: OPTIONS });
      server.route({ method: 'POST', path: '/webhook', options: { plugins: { other: { anything: true } } as PluginSpecificConfiguration }, handler: () => 'hook' });
      await server.register({ name: 'api', register: (s: Server) => s.route({ method: 'GET', path: '/items', handler: () => 'items' }) }, { routes: { prefix: '/api' } });
    });
    for (const path of ['/webhook', '/api/items', '/nowhere']) {
      const pre = await send(`${url}${path}`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'POST', 'content-type') });
      expect(pre.status, path).toBe(204);
      expect(acao(pre), path).toEqual([APP]);
      expect(values(pre, 'access-control-allow-credentials'), path).toEqual(['true']);
    }
    const hook = await send(`${url}/webhook`, { method: 'POST', headers: { Origin: APP } });
    expect(acao(hook)).toEqual([APP]);
    const missing = await send(`${url}/nowhere`, { headers: { Origin: APP } });
    expect(missing.status).toBe(404);
    expect(acao(missing)).toEqual([APP]);
    expect(vary(missing)).toEqual(['origin']);
  });
});
