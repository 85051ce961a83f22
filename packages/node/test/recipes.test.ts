// The per-path recipes of the README ("Different policies per path"), over real HTTP: each
// path gets its own policy for simple requests and for preflights; a path outside them, none.
import { afterEach, describe, expect, it } from 'vitest';
import connect from 'connect';
import express from 'express';
import express4 from 'express4';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors } from '@preflight/cors-node';
import { listen, preflightHeaders, send, type Listening } from './helpers.js';
import type { ExpressFactory } from './harness-express.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

/** What a response granted `origin`: Access-Control-Allow-Origin, `+credentials` when allowed. */
async function granted(url: string, method: string, path: string, origin: string): Promise<{ simple: string; preflight: string }> {
  const show = (headers: Record<string, string | string[] | undefined>, status: number) =>
    `${status} ${String(headers['access-control-allow-origin'] ?? '-')}${headers['access-control-allow-credentials'] === 'true' ? ' +credentials' : ''}`;
  const simple = await send(`${url}${path}`, { method, headers: { Origin: origin } });
  const preflight = await send(`${url}${path}`, { method: 'OPTIONS', headers: preflightHeaders(origin, method, 'content-type') });
  return { simple: show(simple.headers, simple.status), preflight: show(preflight.headers, preflight.status) };
}

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each([
  ['Express 5', express as ExpressFactory],
  ['Express 4', express4 as ExpressFactory],
])('%s: a policy per path', (_name, factory) => {
  it("app.use('/public', cors(…)) and router.use(cors(…)) in a router mounted at /api; /webhook has none", async () => {
    const app = factory();
    // A public path: any origin, no credentials.
    app.use('/public', cors({ origin: '*' }));
    app.get('/public/items', (_req, res) => {
      res.send('items');
    });
    // The authenticated API: one origin, with credentials.
    const api = express.Router();
    api.use(cors({ origin: APP, credentials: true }));
    api.get('/me', (_req, res) => {
      res.send('me');
    });
    api.put('/me', (_req, res) => {
      res.send('updated');
    });
    app.use('/api', api);
    // No CORS at all.
    app.post('/webhook', (_req, res) => {
      res.send('received');
    });
    server = await listen(app);

    expect(await granted(server.url, 'GET', '/public/items', EVIL)).toEqual({ simple: '200 *', preflight: '204 *' });
    expect(await granted(server.url, 'PUT', '/public/items', APP)).toEqual({ simple: '404 *', preflight: '204 *' });
    expect(await granted(server.url, 'GET', '/api/me', APP)).toEqual({ simple: `200 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    expect(await granted(server.url, 'PUT', '/api/me', APP)).toEqual({ simple: `200 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    expect(await granted(server.url, 'PUT', '/api/me', EVIL)).toEqual({ simple: '200 -', preflight: '204 -' });
    // Outside every policy: no CORS headers. The preflight gets Express's automatic OPTIONS
    // answer (200 with Allow), without CORS headers: the browser refuses it.
    expect(await granted(server.url, 'POST', '/webhook', APP)).toEqual({ simple: '200 -', preflight: '200 -' });
  });

  it('a router mounted without a path runs its use() middleware for every request that reaches it', async () => {
    // The pitfall the README warns about: app.use(router) with router.use(cors(…)) covers
    // /webhook too, because Express enters the router for every path.
    const app = factory();
    const api = express.Router();
    api.use(cors({ origin: APP }));
    api.get('/api/me', (_req, res) => {
      res.send('me');
    });
    app.use(api);
    app.post('/webhook', (_req, res) => {
      res.send('received');
    });
    server = await listen(app);
    expect(await granted(server.url, 'POST', '/webhook', APP)).toEqual({ simple: `200 ${APP}`, preflight: `204 ${APP}` });
  });
});

describe('Connect: a policy per path', () => {
  it("app.use('/public', cors(…)) and app.use('/api', cors(…)); /webhook has none", async () => {
    const app = connect();
    app.use('/public', cors({ origin: '*' }));
    app.use('/api', cors({ origin: APP, credentials: true }));
    app.use((req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'OPTIONS') res.statusCode = 405;
      res.end(req.url);
    });
    server = await listen(app);
    expect(await granted(server.url, 'GET', '/public/items', EVIL)).toEqual({ simple: '200 *', preflight: '204 *' });
    expect(await granted(server.url, 'DELETE', '/api/me', APP)).toEqual({ simple: `200 ${APP} +credentials`, preflight: `204 ${APP} +credentials` });
    expect(await granted(server.url, 'DELETE', '/api/me', EVIL)).toEqual({ simple: '200 -', preflight: '204 -' });
    expect(await granted(server.url, 'POST', '/webhook', APP)).toEqual({ simple: '200 -', preflight: '405 -' });
    // Connect matches mount paths on segment boundaries: /publicity is not under /public.
    expect(await granted(server.url, 'GET', '/publicity', EVIL)).toEqual({ simple: '200 -', preflight: '405 -' });
  });
});
