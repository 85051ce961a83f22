import { afterEach, describe, expect, it } from 'vitest';
import { preflightHeaders, send, values, vary as varyOf, type Reply, type RunningServer } from '@preflight/cors-conformance';
import { cors, CorsConfigError, CorsOriginError, type CorsOptions } from '@preflight/cors-h3';
import { HTTPError, type H3 } from 'h3';
import { createApp, listen } from './harness.js';

const APP = 'https://app.example.com';
const OPTIONS: CorsOptions = { origin: APP, credentials: true };
/** The Vary tokens of a reply, lower-cased, in order. */
const vary = (reply: Reply): string[] => varyOf(reply).map((t) => t.toLowerCase());

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(build: (app: H3) => void): Promise<string> {
  const app = createApp();
  build(app);
  running = await listen(app);
  return running.url;
}

describe('@preflight/cors-h3 on h3 2', () => {
  it('answers preflights before an auth middleware, and keeps CORS headers on its 401', async () => {
    const url = await start((app) => {
      app.use(cors(OPTIONS));
      app.use((event) => {
        if (event.req.headers.get('authorization') === null) throw new HTTPError({ status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
      });
      app.put('/items/:id', () => 'saved');
    });
    const pre = await send(`${url}/items/1`, { method: 'OPTIONS', headers: preflightHeaders(APP, 'PUT', 'authorization') });
    expect(pre.status).toBe(204);
    expect(pre.body).toBe('');
    expect(values(pre, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(pre, 'access-control-allow-headers')).toEqual(['authorization']);
    const actual = await send(`${url}/items/1`, { method: 'PUT', headers: { Origin: APP } });
    expect(actual.status).toBe(401);
    expect(values(actual, 'www-authenticate')).toEqual(['Bearer']);
    expect(values(actual, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(actual, 'access-control-allow-credentials')).toEqual(['true']);
    expect(vary(actual)).toEqual(['origin']);
  });

  it("merges an HTTPError's own Vary with the CORS tokens", async () => {
    const url = await start((app) => {
      app.use(cors(OPTIONS));
      app.get('/teapot', () => {
        throw new HTTPError({ status: 418, headers: { Vary: 'Accept-Language' } });
      });
    });
    const reply = await send(`${url}/teapot`, { headers: { Origin: APP } });
    expect(reply.status).toBe(418);
    expect(values(reply, 'access-control-allow-origin')).toEqual([APP]);
    expect(vary(reply)).toEqual(['accept-language', 'origin']);
  });

  it('adds the headers to Response objects a route returns, copying immutable ones (Response.redirect)', async () => {
    const url = await start((app) => {
      app.use(cors(OPTIONS));
      app.get('/own', () => new Response('own', { headers: { Vary: 'Accept-Encoding', 'X-Own': '1' } }));
      app.get('/moved', () => Response.redirect('https://example.com/elsewhere', 307));
    });
    const own = await send(`${url}/own`, { headers: { Origin: APP } });
    expect(own.body).toBe('own');
    expect(values(own, 'x-own')).toEqual(['1']);
    expect(values(own, 'access-control-allow-origin')).toEqual([APP]);
    expect(vary(own)).toEqual(['accept-encoding', 'origin']);
    const moved = await send(`${url}/moved`, { headers: { Origin: APP } });
    expect(moved.status).toBe(307);
    expect(values(moved, 'location')).toEqual(['https://example.com/elsewhere']);
    expect(values(moved, 'access-control-allow-origin')).toEqual([APP]);
  });

  it('fails a request whose origin predicate rejects with a CorsOriginError into h3 error handling: 500, Vary: Origin, no grant', async () => {
    const seen: unknown[] = [];
    const url = await start((app) => {
      app.config.onError = (error) => {
        seen.push(error.cause);
      };
      app.use(cors({ origin: () => Promise.reject(new Error('store down')) }));
      app.get('/x', () => 'ok');
    });
    const reply = await send(`${url}/x`, { headers: { Origin: APP } });
    expect(reply.status).toBe(500);
    expect(values(reply, 'access-control-allow-origin')).toEqual([]);
    expect(vary(reply)).toEqual(['origin']);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(CorsOriginError);
  });

  it('documented: an app-level onError that returns its own Response sends it without CORS headers', async () => {
    const url = await start((app) => {
      app.config.onError = () => new Response('custom', { status: 500 });
      app.use(cors(OPTIONS));
      app.get('/x', () => {
        throw new Error('boom');
      });
    });
    const reply = await send(`${url}/x`, { headers: { Origin: APP } });
    expect(reply.body).toBe('custom');
    expect(values(reply, 'access-control-allow-origin')).toEqual([]);
  });

  it('throws CorsConfigError when the middleware is created', () => {
    expect(() => cors({ origin: '*', credentials: true })).toThrow(CorsConfigError);
  });
});
