import { afterEach, describe, expect, it, vi } from 'vitest';
import express from 'express';
import express4 from 'express4';
import type { ErrorRequestHandler } from 'express';
import { cors, CorsConfigError, CorsOriginError, type CorsOptions } from '@preflight/cors-node';
import { count, listen, preflightHeaders, send, type Listening } from './helpers.js';
import type { ExpressFactory } from './harness-express.js';

const ORIGIN = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

const slowPredicate = async (origin: string): Promise<boolean> => {
  await new Promise((r) => setTimeout(r, 5));
  if (origin === 'https://broken.example.com') throw new Error('database down');
  return origin === ORIGIN;
};

describe.each([
  ['Express 5', express as ExpressFactory],
  ['Express 4', express4 as ExpressFactory],
])('cors() with %s', (_name, factory) => {
  let server: Listening | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    vi.restoreAllMocks();
  });

  /** An app with cors(options) first, a counting route, and an error handler that records errors. */
  async function start(options: CorsOptions) {
    const seen: string[] = [];
    const errors: unknown[] = [];
    const app = factory();
    app.use(cors(options));
    app.use((req, _res, next) => {
      seen.push(`${req.method} ${req.path}`);
      next();
    });
    app.all('/echo', (_req, res) => {
      res.send('ok');
    });
    app.get('/vary-after', (_req, res) => {
      res.setHeader('Vary', 'Accept-Encoding');
      res.send('ok');
    });
    app.get('/vary-append', (_req, res) => {
      res.vary('Accept-Encoding').vary('origin').send('ok');
    });
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      errors.push(err);
      res.status((err as { status?: number }).status ?? 500).send('handled');
    };
    app.use(onError);
    server = await listen(app);
    return { url: server.url, seen, errors };
  }

  it('throws CorsConfigError from cors(), when the app is built', () => {
    expect(() => factory().use(cors({ origin: '*', credentials: true }))).toThrow(CorsConfigError);
    expect(() => cors({ origin: 'https://app.example.com', methods: ['TRACE'] })).toThrow(/methods/);
  });

  it('ends a preflight with 204 and never calls next (no later middleware, no route)', async () => {
    const { url, seen } = await start({ origin: ORIGIN, maxAge: 600 });
    const reply = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflightHeaders(ORIGIN, 'PATCH', 'x-a') });
    expect(reply.status).toBe(204);
    expect(reply.body).toBe('');
    expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(reply.headers['access-control-allow-methods']).toBe('GET,HEAD,PUT,PATCH,POST,DELETE');
    expect(reply.headers['access-control-max-age']).toBe('600');
    expect(reply.headers.allow).toBeUndefined(); // Express's automatic OPTIONS answer never ran
    expect(seen).toEqual([]);
  });

  it('with preflightContinue, passes the preflight on to the app with its headers', async () => {
    const { url, seen } = await start({ origin: ORIGIN, preflightContinue: true });
    const reply = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflightHeaders(ORIGIN, 'PUT') });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('ok');
    expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(seen).toEqual(['OPTIONS /echo']);
  });

  it('calls next() for actual requests, allowed or not', async () => {
    const { url, seen } = await start({ origin: ORIGIN });
    const allowed = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(allowed.headers.vary).toBe('Origin');
    const refused = await send(`${url}/echo`, { method: 'POST', headers: { Origin: OTHER } });
    expect(refused.status).toBe(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers.vary).toBe('Origin');
    expect(seen).toEqual(['GET /echo', 'POST /echo']);
  });

  it('keeps Vary: Origin when a route sets Vary with res.setHeader afterwards', async () => {
    const { url } = await start({ origin: ORIGIN });
    const reply = await send(`${url}/vary-after`, { headers: { Origin: ORIGIN } });
    expect(reply.headers.vary).toBe('Accept-Encoding, Origin');
    expect(count(reply, 'vary')).toBe(1);
  });

  it('does not duplicate Origin when a route appends Vary with res.vary()', async () => {
    const { url } = await start({ origin: ORIGIN });
    const reply = await send(`${url}/vary-append`, { headers: { Origin: ORIGIN } });
    expect(reply.headers.vary).toBe('Origin, Accept-Encoding');
  });

  it('merges into a Vary set by middleware before it', async () => {
    const app = factory();
    app.use((_req, res, next) => {
      res.setHeader('Vary', 'Accept-Language');
      next();
    });
    app.use(cors({ origin: ORIGIN }));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    server = await listen(app);
    const reply = await send(`${server.url}/`, { headers: { Origin: ORIGIN } });
    expect(reply.headers.vary).toBe('Accept-Language, Origin');
  });

  describe('async origin predicate', () => {
    it('allows', async () => {
      const { url, seen } = await start({ origin: slowPredicate, credentials: true });
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.body).toBe('ok');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers['access-control-allow-credentials']).toBe('true');
      expect(seen).toEqual(['GET /echo']);
    });

    it('denies, and a denied preflight still ends without next', async () => {
      const { url, seen } = await start({ origin: slowPredicate });
      const actual = await send(`${url}/echo`, { headers: { Origin: OTHER } });
      expect(actual.headers['access-control-allow-origin']).toBeUndefined();
      expect(actual.headers.vary).toBe('Origin');
      const preflight = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflightHeaders(OTHER) });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(seen).toEqual(['GET /echo']);
    });

    it('throws: next(err) with a CorsOriginError, the error response varies on Origin', async () => {
      const { url, seen, errors } = await start({ origin: slowPredicate });
      const reply = await send(`${url}/echo`, { headers: { Origin: 'https://broken.example.com' } });
      expect(reply.status).toBe(500);
      expect(reply.body).toBe('handled');
      expect(reply.headers.vary).toBe('Origin');
      expect(seen).toEqual([]);
      expect(errors).toHaveLength(1);
      const error = errors[0] as CorsOriginError;
      expect(error).toBeInstanceOf(CorsOriginError);
      expect(error.status).toBe(500);
      expect(error.origin).toBe('https://broken.example.com');
      expect(error.cause).toEqual(new Error('database down'));
    });

    it('a synchronous predicate throw also goes to next(err)', async () => {
      const { url, errors } = await start({
        origin: () => {
          throw new Error('sync');
        },
      });
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(reply.headers.vary).toBe('Origin');
      expect(errors[0]).toBeInstanceOf(CorsOriginError);
    });

    it("without an error handler of the app, Express's default handler answers a generic 500", async () => {
      const app = factory();
      app.set('env', 'production'); // no stack trace in the page
      vi.spyOn(console, 'error').mockImplementation(() => {}); // finalhandler logs the error (deferred)
      app.use(cors({ origin: slowPredicate }));
      app.get('/', (_req, res) => {
        res.send('never');
      });
      server = await listen(app);
      const reply = await send(`${server.url}/`, { headers: { Origin: 'https://broken.example.com' } });
      expect(reply.status).toBe(500);
      expect(reply.body).toContain('Internal Server Error');
      expect(reply.body).not.toContain('database down');
      expect(reply.headers.vary).toBe('Origin');
    });
  });
});
