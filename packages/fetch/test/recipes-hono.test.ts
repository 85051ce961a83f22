// The per-path recipe of the README ("Different policies per path", Hono), over real HTTP:
// each path gets its own policy for simple requests and for preflights; a path outside
// them, none.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { cors } from '@preflight/cors-fetch';
import { preflight, send, serveFetch, type Listening } from './helpers.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.org';

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

describe('Hono: a policy per path', () => {
  it("app.use('/public/*', cors(…)) and app.use('/api/*', cors(…)); /webhook has none", async () => {
    const app = new Hono();
    app.use('/public/*', cors({ origin: '*' }));
    app.use('/api/*', cors({ origin: APP, credentials: true }));
    app.get('/public/items', (c) => c.text('items'));
    app.get('/api/me', (c) => c.text('me'));
    app.put('/api/me', (c) => c.text('updated'));
    app.post('/webhook', (c) => c.text('received'));
    server = await serveFetch(app.fetch);

    expect(await granted(server.url, 'GET', '/public/items', EVIL)).toEqual({ simple: '200 *', preflight: '204 *' });
    expect(await granted(server.url, 'GET', '/api/me', APP)).toEqual({ simple: `200 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    expect(await granted(server.url, 'PUT', '/api/me', APP)).toEqual({ simple: `200 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    expect(await granted(server.url, 'PUT', '/api/me', EVIL)).toEqual({ simple: '200 -', preflight: '204 -' });
    // Under /api with no route: Hono's 404, with the path's CORS headers.
    expect(await granted(server.url, 'DELETE', '/api/nothing', APP)).toEqual({ simple: `404 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    // Outside every policy: no CORS headers; the preflight is Hono's 404.
    expect(await granted(server.url, 'POST', '/webhook', APP)).toEqual({ simple: '200 -', preflight: '404 -' });
    expect(await granted(server.url, 'GET', '/publicity', EVIL)).toEqual({ simple: '404 -', preflight: '404 -' });
  });
});
