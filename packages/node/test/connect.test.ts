import { afterEach, describe, expect, it } from 'vitest';
import connect from 'connect';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cors, CorsConfigError, CorsOriginError } from '@preflight/cors-node';
import { listen, preflightHeaders, send, type Listening } from './helpers.js';

const ORIGIN = 'https://app.example.com';

describe('cors() with Connect', () => {
  let server: Listening | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(origin: Parameters<typeof cors>[0]['origin']) {
    const seen: string[] = [];
    const errors: unknown[] = [];
    const app = connect();
    app.use(cors({ origin }));
    app.use((req: IncomingMessage, res: ServerResponse) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === '/vary-after') res.setHeader('Vary', 'Accept-Encoding');
      res.end('ok');
    });
    app.use((err: unknown, _req: IncomingMessage, res: ServerResponse, _next: (err?: unknown) => void) => {
      errors.push(err);
      res.statusCode = 500;
      res.end('handled');
    });
    server = await listen(app);
    return { url: server.url, seen, errors };
  }

  it('throws CorsConfigError when the middleware is created', () => {
    expect(() => connect().use(cors({ origin: 'null' }))).toThrow(CorsConfigError);
  });

  it('ends a preflight without calling next', async () => {
    const { url, seen } = await start(ORIGIN);
    const reply = await send(`${url}/anything`, { method: 'OPTIONS', headers: preflightHeaders(ORIGIN, 'DELETE', 'authorization') });
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(reply.headers['access-control-allow-headers']).toBe('authorization');
    expect(seen).toEqual([]);
  });

  it('calls next for actual requests and keeps Vary: Origin when the handler sets Vary', async () => {
    const { url, seen } = await start(ORIGIN);
    const reply = await send(`${url}/vary-after`, { headers: { Origin: ORIGIN } });
    expect(reply.body).toBe('ok');
    expect(reply.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(reply.headers.vary).toBe('Accept-Encoding, Origin');
    expect(seen).toEqual(['GET /vary-after']);
  });

  it('async predicate: allows, denies, and hands a rejection to the error middleware', async () => {
    const { url, seen, errors } = await start(async (origin) => {
      await new Promise((r) => setTimeout(r, 2));
      if (origin === 'https://broken.example.com') throw new Error('down');
      return origin === ORIGIN;
    });
    const allowed = await send(`${url}/a`, { headers: { Origin: ORIGIN } });
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    const denied = await send(`${url}/b`, { headers: { Origin: 'https://other.example.com' } });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    expect(denied.headers.vary).toBe('Origin');
    const failed = await send(`${url}/c`, { headers: { Origin: 'https://broken.example.com' } });
    expect(failed.status).toBe(500);
    expect(failed.body).toBe('handled');
    expect(failed.headers.vary).toBe('Origin');
    expect(seen).toEqual(['GET /a', 'GET /b']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CorsOriginError);
  });
});
