// The per-path recipe of the README ("Different policies per path", with @koa/router), over
// real HTTP: each path gets its own policy for simple requests and for preflights; a path
// outside them, none.
import Router from '@koa/router';
import { afterEach, describe, expect, it } from 'vitest';
import { cors } from '@preflight/cors-koa';
import { KOA_MAJORS, listen, preflight, send, type Listening } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

/** What a response granted `origin`: status and Access-Control-Allow-Origin (`+credentials` when allowed). */
async function granted(url: string, method: string, path: string, origin: string): Promise<{ simple: string; preflight: string }> {
  const show = (headers: Record<string, string | string[] | undefined>, status: number) =>
    `${status} ${String(headers['access-control-allow-origin'] ?? '-')}${headers['access-control-allow-credentials'] === 'true' ? ' +credentials' : ''}`;
  const simple = await send(`${url}${path}`, { method, headers: { Origin: origin } });
  const pre = await send(`${url}${path}`, { method: 'OPTIONS', headers: preflight(origin, method, 'content-type') });
  return { simple: show(simple.headers, simple.status), preflight: show(pre.headers, pre.status) };
}

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(KOA_MAJORS)('%s with @koa/router: a policy per router', (_name, Koa) => {
  it("router.all('{/*path}', cors(…)) first in each prefixed router; /webhook has none", async () => {
    const publicApi = new Router({ prefix: '/public' });
    publicApi.all('{/*path}', cors({ origin: '*' })); // every method, every path under /public
    publicApi.get('/items', (ctx) => {
      ctx.body = 'items';
    });

    const api = new Router({ prefix: '/api' });
    api.all('{/*path}', cors({ origin: APP, credentials: true }));
    api.get('/me', (ctx) => {
      ctx.body = 'me';
    });
    api.put('/me', (ctx) => {
      ctx.body = 'updated';
    });

    const other = new Router();
    other.post('/webhook', (ctx) => {
      ctx.body = 'received';
    });

    const app = new Koa();
    app.use(publicApi.routes()).use(api.routes()).use(other.routes()).use(other.allowedMethods());
    server = await listen(app);

    expect(await granted(server.url, 'GET', '/public/items', EVIL)).toEqual({ simple: '200 *', preflight: '204 *' });
    expect(await granted(server.url, 'GET', '/api/me', APP)).toEqual({ simple: `200 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    expect(await granted(server.url, 'PUT', '/api/me', APP)).toEqual({ simple: `200 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    expect(await granted(server.url, 'PUT', '/api/me', EVIL)).toEqual({ simple: '200 -', preflight: '204 -' });
    // A path under /api with no route: the router's policy still answers (404 with CORS headers).
    expect(await granted(server.url, 'DELETE', '/api/nothing', APP)).toEqual({ simple: `404 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    // Outside every policy: no CORS headers; allowedMethods() answers the preflight 200
    // with Allow, without CORS headers, which the browser refuses.
    expect(await granted(server.url, 'POST', '/webhook', APP)).toEqual({ simple: '200 -', preflight: '200 -' });
    expect(await granted(server.url, 'GET', '/publicity', EVIL)).toEqual({ simple: '404 -', preflight: '404 -' });
  });

  it('router.use(cors(…)) never sees preflights: @koa/router runs use() middleware only when a route has the method', async () => {
    // The pitfall the README warns about.
    const api = new Router({ prefix: '/api' });
    api.use(cors({ origin: APP }));
    api.put('/me', (ctx) => {
      ctx.body = 'updated';
    });
    const app = new Koa();
    app.use(api.routes()).use(api.allowedMethods());
    server = await listen(app);
    expect(await granted(server.url, 'PUT', '/api/me', APP)).toEqual({ simple: `200 ${APP}`, preflight: '200 -' });
  });
});
