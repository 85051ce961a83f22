// A layer after the plugin may end the Node response itself, past Fastify's reply headers: an
// Express middleware mounted with @fastify/middie (a rate limiter), a hook that writes reply.raw,
// a hijacked reply. The CORS answer must still be on that response: without it the page sees a
// network error instead of the 429 or 401 (the digest: CORS headers on every response).
import middie from '@fastify/middie';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { APP, EVIL, header, send, serve, values, vary } from './helpers.js';

const OPTIONS = { origin: APP, credentials: true, exposedHeaders: ['X-Request-Id'] };

/** Routes whose response is ended on the Node response by a layer registered after the plugin. */
async function setup(app: FastifyInstance): Promise<void> {
  await app.register(middie);
  // What express-rate-limit and its kind do: status, a header, end.
  app.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.url !== '/limited') return next();
    res.statusCode = 429;
    res.setHeader('Retry-After', '1');
    res.setHeader('Vary', 'Accept-Encoding');
    res.end('Too many requests');
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.url !== '/raw-hook') return;
    reply.raw.writeHead(401, { 'content-type': 'text/plain', vary: 'Authorization' });
    reply.raw.end('no');
    return reply;
  });
  app.get('/limited', async () => 'never');
  app.get('/raw-hook', async () => 'never');
  app.get('/hijacked', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/plain' });
    reply.raw.end('raw');
  });
  app.get('/ok', async (_request, reply) => reply.header('vary', 'Accept-Language').send('ok'));
}

describe('a response ended on reply.raw by a later layer keeps the CORS answer', () => {
  it.each([
    ['/limited', 429, ['Accept-Encoding', 'Origin']],
    ['/raw-hook', 401, ['Authorization', 'Origin']],
    ['/hijacked', 200, ['Origin']],
  ] as const)('%s (%i)', async (path, status, expectedVary) => {
    const { url } = await serve(OPTIONS, setup);
    const res = await send(`${url}${path}`, { headers: { Origin: APP } });
    expect(res.status).toBe(status);
    expect(values(res, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(res, 'access-control-allow-credentials')).toEqual(['true']);
    expect(header(res, 'access-control-expose-headers')).toBe('X-Request-Id');
    expect(vary(res)).toEqual(expectedVary);
  });

  it('a refused origin gets no grant there, only Vary: Origin', async () => {
    const { url } = await serve(OPTIONS, setup);
    const res = await send(`${url}/limited`, { headers: { Origin: EVIL } });
    expect(res.status).toBe(429);
    expect(header(res, 'access-control-allow-origin')).toBeUndefined();
    expect(header(res, 'access-control-allow-credentials')).toBeUndefined();
    expect(vary(res)).toEqual(['Accept-Encoding', 'Origin']);
  });

  it('the usual reply path sends each header once, the route\'s Vary merged', async () => {
    const { url } = await serve(OPTIONS, setup);
    const res = await send(`${url}/ok`, { headers: { Origin: APP } });
    expect(res.status).toBe(200);
    expect(values(res, 'access-control-allow-origin')).toEqual([APP]);
    expect(values(res, 'access-control-allow-credentials')).toEqual(['true']);
    expect(values(res, 'access-control-expose-headers')).toEqual(['X-Request-Id']);
    expect(vary(res)).toEqual(['Accept-Language', 'Origin']);
  });

  it('a route with its own policy carries that answer', async () => {
    const { url } = await serve(OPTIONS, async (app) => {
      await app.register(middie);
      app.use((_req: IncomingMessage, res: ServerResponse) => {
        res.statusCode = 503;
        res.end('maintenance');
      });
      app.get('/public', { config: { cors: { origin: '*' } } }, async () => 'never');
    });
    const res = await send(`${url}/public`, { headers: { Origin: EVIL } });
    expect(res.status).toBe(503);
    expect(values(res, 'access-control-allow-origin')).toEqual(['*']);
    expect(header(res, 'access-control-allow-credentials')).toBeUndefined();
  });
});
