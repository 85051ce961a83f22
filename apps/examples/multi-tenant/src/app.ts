/**
 * One instance of a multi-tenant API: the origins allowed to call it (customer domains) are
 * in Redis, shared with every other instance, and changed through an admin API.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@preflight/cors-fastify';
import { createRedisOrigins, type RedisOrigins } from '@preflight/cors-redis';

export interface AppOptions {
  /** redis://host:port of the Redis every instance shares. */
  redisUrl: string;
  /** The token the admin API requires (header `Authorization: Bearer <token>`). */
  adminToken: string;
  /** Where to log CORS refusals and Redis outages. Default: Fastify's logger, if any. */
  name?: string;
}

export async function buildApp({ redisUrl, adminToken, name = 'api' }: AppOptions): Promise<{ app: FastifyInstance; origins: RedisOrigins }> {
  const app = Fastify({ logger: process.env.LOG === '0' ? false : { level: 'warn', msgPrefix: `[${name}] ` } });

  // 1. The allowed origins: a Redis SET, cached per instance, invalidated through pub/sub.
  const origins = createRedisOrigins({
    redis: redisUrl,
    key: 'example:tenant-origins',
    cache: { max: 10_000, ttl: 60_000, negativeTtl: 5_000 },
    log: (message) => app.log.warn(message), // once per outage, never per request
  });
  app.addHook('onClose', () => origins.close());

  // 2. CORS first, before anything that authenticates.
  await app.register(cors, {
    ...origins.cors, // origin (asks Redis through the cache), originCache, originTimeout
    credentials: true,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type'],
    maxAge: 600,
  });

  // 3. The tenant API, called by pages on the tenants' own domains.
  app.get('/api/greeting', async (request) => ({ hello: request.headers.origin ?? 'same origin', from: name }));

  // 4. The admin API: not for browsers on other origins (CORS off), token required.
  await app.register(
    async (admin) => {
      admin.addHook('onRequest', async (request, reply) => {
        if (request.headers.authorization !== `Bearer ${adminToken}`) return reply.code(401).send({ error: 'admin token required' });
      });
      const noCors = { config: { cors: false as const } };
      admin.get('/origins', noCors, async () => ({ origins: (await origins.list()).sort() }));
      admin.post<{ Body: { origin?: unknown } }>('/origins', noCors, async (request, reply) => {
        const origin = request.body?.origin;
        try {
          return { added: await origins.add(String(origin)) };
        } catch (err) {
          if (err instanceof TypeError) return reply.code(400).send({ error: err.message });
          throw err;
        }
      });
      admin.delete<{ Body: { origin?: unknown } }>('/origins', noCors, async (request) => ({ removed: await origins.remove(String(request.body?.origin)) }));
    },
    { prefix: '/admin' },
  );

  return { app, origins };
}
