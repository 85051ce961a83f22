/**
 * Benchmarks of the Redis origin source, run by hand (never in CI, never a timed test):
 *
 *   pnpm --filter @preflight/cors-redis bench
 *
 * Starts its own redis-server on a free port on 127.0.0.1 (see tooling/redis-server) and prints
 * a Markdown report:
 *
 * 1. Per-request cost with a warm cache vs an exact-origin list, measured in the same run,
 *    side by side in alternating batches (paired ratio): `decide()` alone, and whole requests
 *    to two real Fastify servers over keep-alive sockets.
 * 2. Lookups per second reaching Redis (`SISMEMBER` calls counted by Redis itself) under a
 *    flood of requests from unknown origins: rotating origins (negative caching bounds them)
 *    and never-repeated origins (it cannot), next to an uncached predicate.
 * 3. Heap used by 100,000 cached origins.
 * 4. Invalidation latency: from add()/remove() on one instance until another one's cache forgot.
 *
 * Options (environment): BENCH_FLOOD_MS (default 4000), BENCH_ROTATING (default 1000 origins).
 */
import { request, Agent } from 'node:http';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify from 'fastify';
import cors from '@preflight/cors-fastify';
import { compileCors, createOriginCache, type CorsDecision, type CorsPolicy, type CorsRequest } from '@preflight/cors-core';
import { startRedisServer } from '@preflight/redis-server';
import { Redis } from 'ioredis';
import { createRedisOrigins } from '../src/index.js';

const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? 4000);
const ROTATING = Number(process.env.BENCH_ROTATING ?? 1000);
const APP = 'https://app.example.com';
const KEY = 'bench:origins';

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (v8.setFlagsFromString('--expose-gc'), runInNewContext('gc') as () => void);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const lowerQuartile = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 2]!;
let sink = 0;

const redis = await startRedisServer();
const admin = new Redis(redis.url);
await admin.sadd(KEY, APP);
const sismemberCalls = async (): Promise<number> => {
  const info = await admin.info('commandstats');
  return Number(/cmdstat_sismember:calls=(\d+)/.exec(info)?.[1] ?? 0);
};
const lines: string[] = [];
const out = (line = ''): void => {
  lines.push(line);
  console.log(line);
};

out(`Run ${new Date().toISOString()} — Node ${process.version}, ${process.platform}/${process.arch}, redis-server on 127.0.0.1 (same machine).`);
out();

// 1a. decide(): warm cache vs exact list, paired batches.
{
  const exact = compileCors({ origin: [APP, 'https://admin.example.com'], credentials: true });
  const origins = createRedisOrigins({ redis: redis.url, key: KEY, log: () => undefined });
  await origins.ready();
  const cached = compileCors({ ...origins.cors, credentials: true });
  const req: CorsRequest = { method: 'GET', origin: APP };
  const pre: CorsRequest = { method: 'OPTIONS', origin: APP, accessControlRequestMethod: 'PUT', accessControlRequestHeaders: 'content-type' };
  await cached.decide(req);
  await cached.decide(pre);
  const batch = (policy: CorsPolicy, r: CorsRequest, n: number): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += (policy.decide(r) as CorsDecision).headers.length;
    return Number(process.hrtime.bigint() - t0) / n;
  };
  out('### 1. Warm cache vs exact-origin list');
  out();
  out('| what | exact list (ns) | warm origin cache (ns) | paired ratio (median) | lower quartile |');
  out('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, r] of [['decide(), actual request', req], ['decide(), preflight', pre]] as const) {
    for (let i = 0; i < 50; i++) {
      batch(exact, r, 20_000);
      batch(cached, r, 20_000);
    }
    const a: number[] = [];
    const b: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < 200; i++) {
      // Alternate which side goes first, so neither always runs on a warmer CPU.
      const [x, y] = i % 2 === 0 ? [batch(exact, r, 5_000), batch(cached, r, 5_000)] : ((): [number, number] => { const c = batch(cached, r, 5_000); return [batch(exact, r, 5_000), c]; })();
      a.push(x);
      b.push(y);
      ratios.push(y / x);
    }
    out(`| ${name} | ${median(a).toFixed(1)} | ${median(b).toFixed(1)} | ${median(ratios).toFixed(3)} | ${lowerQuartile(ratios).toFixed(3)} |`);
  }

  // 1b. Whole requests over real sockets: two Fastify servers, keep-alive, alternating batches.
  const serve = async (options: Parameters<typeof cors>[1]): Promise<{ port: number; close: () => Promise<void> }> => {
    const app = Fastify();
    await app.register(cors, options);
    app.get('/api', async () => 'ok');
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
  };
  const exactServer = await serve({ origin: [APP, 'https://admin.example.com'], credentials: true });
  const cachedServer = await serve({ ...origins.cors, credentials: true });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/api', agent, headers: { Origin: APP } }, (res) => {
        if (res.headers['access-control-allow-origin'] !== APP) reject(new Error('not allowed'));
        res.resume();
        res.on('end', resolve);
      }).on('error', reject).end();
    });
  const httpBatch = async (port: number, n: number): Promise<number> => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await get(port);
    return Number(process.hrtime.bigint() - t0) / n / 1000;
  };
  for (let i = 0; i < 10; i++) {
    await httpBatch(exactServer.port, 100);
    await httpBatch(cachedServer.port, 100);
  }
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < 120; i++) {
    const first = i % 2 === 0 ? exactServer.port : cachedServer.port;
    const x = await httpBatch(first, 50);
    const y = await httpBatch(first === exactServer.port ? cachedServer.port : exactServer.port, 50);
    const [e, c] = first === exactServer.port ? [x, y] : [y, x];
    a.push(e);
    b.push(c);
    ratios.push(c / e);
  }
  out(`| Fastify GET over keep-alive HTTP/1.1 (µs per request) | ${median(a).toFixed(1)} µs | ${median(b).toFixed(1)} µs | ${median(ratios).toFixed(3)} | ${lowerQuartile(ratios).toFixed(3)} |`);
  agent.destroy();
  await exactServer.close();
  await cachedServer.close();
  await origins.close();
  out();
}

// 2. A flood of unknown origins: how many lookups reach Redis.
{
  out(`### 2. Lookups reaching Redis under a flood of unknown origins (${FLOOD_MS} ms, 64 requests in flight)`);
  out();
  out('| source | origins | requests/s | SISMEMBER/s reaching Redis | bound |');
  out('| --- | --- | ---: | ---: | --- |');
  const flood = async (policy: CorsPolicy, originAt: (i: number) => string): Promise<{ rps: number; lps: number }> => {
    const before = await sismemberCalls();
    let i = 0;
    let done = 0;
    const until = performance.now() + FLOOD_MS;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (performance.now() < until) {
        const d = await policy.decide({ method: 'GET', origin: originAt(i++) });
        sink += d.headers.length;
        done++;
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
    const seconds = (performance.now() - started) / 1000;
    const lookups = (await sismemberCalls()) - before;
    return { rps: done / seconds, lps: lookups / seconds };
  };
  const negativeTtl = 2000;
  const rotating = (i: number): string => `https://unknown-${i % ROTATING}.example`;
  let unique = 0;
  const fresh = (): string => `https://never-seen-${unique++}.example`;
  for (const [name, make, originAt, label, bound] of [
    ['redis source, cached', true, rotating, `${ROTATING} rotating`, `≤ ${ROTATING} / ${negativeTtl / 1000} s = ${ROTATING / (negativeTtl / 1000)}/s (negativeTtl ${negativeTtl} ms)`],
    ['redis predicate, no cache', false, rotating, `${ROTATING} rotating`, 'none: one lookup per request'],
    ['redis source, cached', true, fresh, 'never repeated', 'none: each origin is new'],
  ] as const) {
    const origins = createRedisOrigins({ redis: redis.url, key: KEY, cache: { negativeTtl, max: 10_000 }, log: () => undefined });
    await origins.ready();
    const policy = make
      ? compileCors({ ...origins.cors })
      : compileCors({ origin: origins.cors.origin, originTimeout: origins.cors.originTimeout });
    const { rps, lps } = await flood(policy, originAt);
    out(`| ${name} | ${label} | ${Math.round(rps)} | ${Math.round(lps)} | ${bound} |`);
    await origins.close();
  }
  out();
}

// 3. Memory at 100,000 cached origins.
{
  out('### 3. Heap used by 100,000 cached origins');
  out();
  const N = 100_000;
  const nameOf = (i: number): string => `https://tenant-${i}.customer-domains.example`; // 40–45 characters
  const allowedName = (o: string): boolean => /[02468]\.customer/.test(o); // half of them
  const originCache = createOriginCache({ max: N });
  const policy = compileCors({ origin: allowedName, originCache, credentials: true });
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  // The origin strings are created here, as a request's header would be: they are counted.
  for (let i = 0; i < N; i++) sink += (policy.decide({ method: 'GET', origin: nameOf(i) }) as CorsDecision).headers.length;
  gc();
  gc();
  const answers = process.memoryUsage().heapUsed;
  // A second request per origin builds and keeps the allowed decision in the entry.
  for (let i = 0; i < N; i++) sink += (policy.decide({ method: 'GET', origin: nameOf(i) }) as CorsDecision).headers.length;
  gc();
  gc();
  const withDecisions = process.memoryUsage().heapUsed;
  let allowed = 0;
  for (let i = 0; i < N; i++) if (allowedName(nameOf(i))) allowed++;
  out(`| state | heap | per origin |`);
  out(`| --- | ---: | ---: |`);
  out(`| ${originCache.size} answers (${allowed} allowed), origin strings included | ${((answers - before) / 2 ** 20).toFixed(1)} MiB | ${Math.round((answers - before) / N)} B |`);
  out(`| … after a warm hit on each (the ${allowed} allowed decisions built) | ${((withDecisions - before) / 2 ** 20).toFixed(1)} MiB | ${Math.round((withDecisions - before) / N)} B |`);
  out();
}

// 4. Invalidation latency: from `add()`/`remove()` on one instance until another instance's cache
// no longer holds its old answer (its next decide() goes to Redis).
{
  out('### 4. Invalidation latency between two instances (200 changes)');
  out();
  const one = createRedisOrigins({ redis: redis.url, key: KEY, log: () => undefined });
  const two = createRedisOrigins({ redis: redis.url, key: KEY, log: () => undefined });
  await Promise.all([one.ready(), two.ready()]);
  const policy = compileCors({ ...two.cors });
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const origin = `https://latency-${i % 20}.example`;
    await policy.decide({ method: 'GET', origin }); // instance two caches its current answer
    if (policy.decide({ method: 'GET', origin }) instanceof Promise) throw new Error('not cached');
    const started = performance.now();
    await (i % 40 < 20 ? one.add(origin) : one.remove(origin));
    while (!(policy.decide({ method: 'GET', origin }) instanceof Promise)) await new Promise((r) => setImmediate(r));
    latencies.push(performance.now() - started);
  }
  latencies.sort((x, y) => x - y);
  out(`| median | 90th percentile | max |`);
  out(`| ---: | ---: | ---: |`);
  out(`| ${latencies[100]!.toFixed(2)} ms | ${latencies[180]!.toFixed(2)} ms | ${latencies[199]!.toFixed(2)} ms |`);
  out();
  await Promise.all([one.close(), two.close()]);
}

admin.disconnect();
await redis.stop();
if (sink === 42) console.log('');
