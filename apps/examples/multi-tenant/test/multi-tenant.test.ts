import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { send } from '@preflight/cors-conformance';
import { startRedisServer, type RedisServer } from '@preflight/redis-server';
import { buildApp } from '../src/app.js';

const TOKEN = 'test-token';
const TENANT = 'https://shop.tenant.example';
let redis: RedisServer;
const apps: FastifyInstance[] = [];
const urls: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  for (const name of ['A', 'B']) {
    const { app, origins } = await buildApp({ redisUrl: redis.url, adminToken: TOKEN, name });
    await origins.ready();
    apps.push(app);
    urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
  }
});

afterAll(async () => {
  await Promise.allSettled(apps.map((app) => app.close()));
  await redis?.stop();
});

const greet = (url: string) => send(`${url}/api/greeting`, { headers: { Origin: TENANT } });
const admin = (url: string, method: string, origin: string) =>
  fetch(`${url}/admin/origins`, { method, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ origin }) });
/**
 * Ask until every instance answers as expected. Pub/sub delivery takes milliseconds (1 s is the
 * documented bound); the wait is longer so that a loaded machine does not fail the test, and
 * only the invalidation can change an answer that soon (refusals are cached for 5 s, answers 60 s).
 */
async function eventually(allowed: boolean): Promise<void> {
  const until = Date.now() + 4000;
  for (;;) {
    const replies = await Promise.all(urls.map(greet));
    if (replies.every((r) => (r.headers['access-control-allow-origin'] === TENANT) === allowed)) return;
    if (Date.now() > until) throw new Error(`instances still answer ${replies.map((r) => r.headers['access-control-allow-origin'])}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('a tenant origin added on instance A is allowed by both instances; removed on B, refused by both', async () => {
  await eventually(false);
  expect((await admin(urls[0]!, 'POST', TENANT)).status).toBe(200);
  await eventually(true);
  expect((await admin(urls[1]!, 'DELETE', TENANT)).status).toBe(200);
  await eventually(false);
});

it('guards the admin API: token required, CORS off, origins validated', async () => {
  const anonymous = await fetch(`${urls[0]}/admin/origins`);
  expect(anonymous.status).toBe(401);
  const crossOrigin = await send(`${urls[0]}/admin/origins`, { headers: { Origin: TENANT, Authorization: `Bearer ${TOKEN}` } });
  expect(crossOrigin.status).toBe(200);
  expect(crossOrigin.headers['access-control-allow-origin']).toBeUndefined();
  const bad = await admin(urls[0]!, 'POST', 'https://Shop.Tenant.example/');
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toContain('is not an origin as browsers send it');
});
