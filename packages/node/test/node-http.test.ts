import { afterEach, describe, expect, it, vi } from 'vitest';
import { CorsConfigError, CorsOriginError, withCors, type CorsOptions } from '@preflight/cors-node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { count, listen, preflightHeaders, send, type Listening } from './helpers.js';

const ORIGIN = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.restoreAllMocks();
});

/** A listener that counts its calls and answers `ok`. */
function app(handler?: (req: IncomingMessage, res: ServerResponse) => unknown) {
  const calls: string[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse): unknown => {
    calls.push(`${req.method} ${req.url}`);
    if (handler) return handler(req, res);
    res.setHeader('X-App-Handler', 'echo');
    res.end('ok');
    return undefined;
  };
  return { calls, listener };
}

async function start(options: CorsOptions, handler?: (req: IncomingMessage, res: ServerResponse) => unknown) {
  const errors: unknown[] = [];
  const { calls, listener } = app(handler);
  server = await listen(withCors(options, listener, { onError: (err) => errors.push(err) }));
  return { url: server.url, calls, errors };
}

describe('withCors (node:http)', () => {
  it('throws CorsConfigError when the wrapper is built, not per request', () => {
    expect(() => withCors({ origin: '*', credentials: true }, () => {})).toThrow(CorsConfigError);
    expect(() => withCors({} as CorsOptions, () => {})).toThrow(/origin/);
    expect(() => withCors({ origin: 'https://app.example.com/' }, () => {})).toThrow(CorsConfigError);
  });

  it('answers a preflight itself (204, empty body) and never runs the listener', async () => {
    const { url, calls } = await start({ origin: ORIGIN, methods: ['PUT'] });
    const reply = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflightHeaders(ORIGIN, 'PUT', 'content-type') });
    expect(reply.status).toBe(204);
    expect(reply.body).toBe('');
    expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(reply.headers['access-control-allow-methods']).toBe('PUT');
    expect(reply.headers['access-control-allow-headers']).toBe('content-type');
    expect(reply.headers.vary).toBe('Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    expect(reply.headers['x-app-handler']).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('passes an OPTIONS request that is not a preflight to the listener', async () => {
    const { url, calls } = await start({ origin: ORIGIN });
    const reply = await send(`${url}/options`, { method: 'OPTIONS', headers: { Origin: ORIGIN } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('ok');
    expect(calls).toEqual(['OPTIONS /options']);
  });

  it('sets ACAO and Vary on an allowed request, only Vary on a refused or origin-less one', async () => {
    const { url, calls } = await start({ origin: ORIGIN, credentials: true });
    const allowed = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(allowed.headers.vary).toBe('Origin');
    const refused = await send(`${url}/echo`, { headers: { Origin: OTHER } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers.vary).toBe('Origin');
    const plain = await send(`${url}/echo`);
    expect(plain.headers['access-control-allow-origin']).toBeUndefined();
    expect(plain.headers.vary).toBe('Origin');
    expect(calls).toHaveLength(3);
  });

  it('keeps Vary: Origin when the listener later sets Vary with setHeader', async () => {
    const { url } = await start({ origin: ORIGIN }, (_req, res) => {
      res.setHeader('Vary', 'Accept-Encoding');
      res.end('ok');
    });
    const reply = await send(`${url}/`, { headers: { Origin: ORIGIN } });
    expect(reply.headers.vary).toBe('Accept-Encoding, Origin');
    expect(count(reply, 'vary')).toBe(1);
  });

  it('keeps Vary: Origin when the listener passes Vary to writeHead (object and raw array)', async () => {
    const { url } = await start({ origin: ORIGIN }, (req, res) => {
      if (req.url === '/object') res.writeHead(200, 'Fine', { Vary: 'Accept-Language', 'X-Test': '1' });
      else res.writeHead(201, ['vary', 'origin, Accept', 'X-Test', '2']);
      res.end('ok');
    });
    const object = await send(`${url}/object`, { headers: { Origin: ORIGIN } });
    expect(object.status).toBe(200);
    expect(object.headers.vary).toBe('Accept-Language, Origin');
    expect(object.headers['x-test']).toBe('1');
    expect(object.headers['access-control-allow-origin']).toBe(ORIGIN);
    const raw = await send(`${url}/raw`, { headers: { Origin: ORIGIN } });
    expect(raw.status).toBe(201);
    expect(raw.headers.vary).toBe('origin, Accept');
    expect(raw.headers['x-test']).toBe('2');
  });

  it('merges into a Vary that was set before it ran, without duplicates', async () => {
    const errors: unknown[] = [];
    const inner = withCors({ origin: ORIGIN }, (_req, res) => res.end('ok'), { onError: (e) => errors.push(e) });
    server = await listen((req, res) => {
      res.setHeader('Vary', 'Accept-Language, origin');
      inner(req, res);
    });
    const reply = await send(`${server.url}/`, { headers: { Origin: ORIGIN } });
    expect(reply.headers.vary).toBe('Accept-Language, origin');
    expect(errors).toEqual([]);
  });

  it('chains with another writeHead wrapper (like compression) registered before or after it', async () => {
    // What compression does through on-headers: wrap this response's writeHead, append to Vary.
    const wrapLikeCompression = (res: ServerResponse): void => {
      const previous = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        const vary = this.getHeader('Vary');
        this.setHeader('Vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
        return (previous as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as ServerResponse['writeHead'];
    };
    const inner = withCors({ origin: ORIGIN }, (req, res) => {
      if (req.url === '/after') wrapLikeCompression(res);
      res.setHeader('Vary', 'Cookie');
      res.end('ok');
    });
    server = await listen((req, res) => {
      if (req.url === '/before') wrapLikeCompression(res);
      inner(req, res);
    });
    const before = await send(`${server.url}/before`, { headers: { Origin: ORIGIN } });
    expect(before.headers.vary).toBe('Cookie, Origin, Accept-Encoding');
    const after = await send(`${server.url}/after`, { headers: { Origin: ORIGIN } });
    expect(after.headers.vary).toBe('Cookie, Accept-Encoding, Origin');
  });

  describe('async origin predicate', () => {
    const predicate = async (origin: string): Promise<boolean> => {
      await new Promise((r) => setTimeout(r, 5));
      if (origin === 'https://broken.example.com') throw new Error('database down');
      return origin === ORIGIN;
    };

    it('allows, and answers preflights', async () => {
      const { url, calls } = await start({ origin: predicate });
      const actual = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(actual.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(actual.body).toBe('ok');
      const preflight = await send(`${url}/echo`, { method: 'OPTIONS', headers: preflightHeaders(ORIGIN, 'DELETE') });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(calls).toEqual(['GET /echo']);
    });

    it('denies: no ACAO, Vary: Origin, the listener still runs for actual requests', async () => {
      const { url, calls } = await start({ origin: predicate });
      const reply = await send(`${url}/echo`, { headers: { Origin: OTHER } });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(reply.headers.vary).toBe('Origin');
      expect(calls).toEqual(['GET /echo']);
    });

    it('throws: 500 plain text with Vary: Origin, onError gets a CorsOriginError, the server lives on', async () => {
      const { url, calls, errors } = await start({ origin: predicate });
      const reply = await send(`${url}/echo`, { headers: { Origin: 'https://broken.example.com' } });
      expect(reply.status).toBe(500);
      expect(reply.body).toBe('Internal Server Error');
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(reply.headers.vary).toBe('Origin');
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(calls).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(CorsOriginError);
      expect((errors[0] as CorsOriginError).cause).toEqual(new Error('database down'));
      const after = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(after.status).toBe(200);
    });

    it('a synchronous throw of the predicate is handled the same way', async () => {
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

    it('a predicate that exceeds originTimeout fails with a CorsOriginError', async () => {
      const { url, errors } = await start({ origin: () => new Promise<boolean>(() => {}), originTimeout: 30 });
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(errors[0]).toBeInstanceOf(CorsOriginError);
      expect(String((errors[0] as Error).message)).toMatch(/originTimeout/);
    });
  });

  describe('errors of the listener', () => {
    it('a synchronous throw goes to onError and becomes a 500 that keeps the CORS headers', async () => {
      const { url, errors } = await start({ origin: ORIGIN }, () => {
        throw new Error('boom');
      });
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(reply.body).toBe('Internal Server Error');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(reply.headers.vary).toBe('Origin');
      expect(errors).toEqual([new Error('boom')]);
    });

    it('a rejected promise from an async listener is handled the same way (also after an async predicate)', async () => {
      const { url, errors } = await start({ origin: async (o) => o === ORIGIN }, async () => {
        await Promise.resolve();
        throw new Error('later');
      });
      const reply = await send(`${url}/echo`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(errors).toEqual([new Error('later')]);
    });

    it('a throw after the head was sent destroys the response instead of hanging', async () => {
      const { url, errors } = await start({ origin: ORIGIN }, (_req, res) => {
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('partial');
        throw new Error('midway');
      });
      await expect(send(`${url}/echo`, { headers: { Origin: ORIGIN } })).rejects.toThrow();
      expect(errors).toEqual([new Error('midway')]);
    });

    it('onError may answer itself; withCors then sends nothing more', async () => {
      const listener = () => {
        throw Object.assign(new Error('teapot'), { status: 418 });
      };
      server = await listen(
        withCors({ origin: ORIGIN }, listener, {
          onError: (err, _req, res) => {
            res.statusCode = (err as { status: number }).status;
            res.end('custom');
          },
        }),
      );
      const reply = await send(`${server.url}/`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(418);
      expect(reply.body).toBe('custom');
      expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
    });

    it('without onError, errors are logged with console.error (never silently dropped)', async () => {
      const log = vi.spyOn(console, 'error').mockImplementation(() => {});
      server = await listen(
        withCors({ origin: ORIGIN }, () => {
          throw new Error('logged');
        }),
      );
      const reply = await send(`${server.url}/`, { headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0]).toContainEqual(new Error('logged'));
    });

    it('a HEAD request that fails gets the 500 without a body', async () => {
      const { url } = await start({ origin: ORIGIN }, () => {
        throw new Error('boom');
      });
      const reply = await send(`${url}/echo`, { method: 'HEAD', headers: { Origin: ORIGIN } });
      expect(reply.status).toBe(500);
      expect(reply.body).toBe('');
    });
  });
});
