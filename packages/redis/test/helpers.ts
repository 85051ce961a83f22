import Fastify from 'fastify';
import cors from '@preflight/cors-fastify';
import { send, preflightHeaders, type Reply } from '@preflight/cors-conformance';
import { createRedisOrigins, type RedisOrigins, type RedisOriginsOptions } from '@preflight/cors-redis';

/** One application instance: a real Fastify server on 127.0.0.1 whose CORS origins are in Redis. */
export interface Instance {
  readonly url: string;
  readonly origins: RedisOrigins;
  /** What the source logged (outages, recoveries). */
  readonly logs: string[];
  /** GET /api with an Origin. */
  get(origin: string): Promise<Reply>;
  /** A preflight to /api. */
  preflight(origin: string): Promise<Reply>;
  close(): Promise<void>;
}

export async function startInstance(redis: string, options: Partial<RedisOriginsOptions> = {}): Promise<Instance> {
  const logs: string[] = [];
  const origins = createRedisOrigins({ redis, key: 'test:origins', log: (message) => logs.push(message), ...options });
  await origins.ready();
  const app = Fastify();
  await app.register(cors, { ...origins.cors, credentials: true, methods: ['GET', 'PUT'] });
  app.get('/api', async () => ({ ok: true }));
  app.put('/api', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    origins,
    logs,
    get: (origin) => send(`${url}/api`, { headers: { Origin: origin } }),
    preflight: (origin) => send(`${url}/api`, { method: 'OPTIONS', headers: preflightHeaders(origin, 'PUT') }),
    async close() {
      await app.close();
      await origins.close();
    },
  };
}

/** Whether the reply lets a page on `origin` read it. */
export const allows = (reply: Reply, origin: string): boolean => reply.headers['access-control-allow-origin'] === origin;

/**
 * Ask until `check` holds or `withinMs` has passed; returns the milliseconds it took, or
 * undefined when it never held.
 */
export async function within(withinMs: number, check: () => Promise<boolean>): Promise<number | undefined> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > withinMs) return undefined;
    await new Promise((r) => setTimeout(r, 5));
  }
}
