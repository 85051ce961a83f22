// The server benchmark's apps answer what they claim, and cover every adapter package.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { send, values } from '@preflight/cors-conformance';
import { adapterPackages, missingAdapters } from '../../../tooling/scripts/adapters.mjs';
import { KIND_VARIANTS, KINDS, REQUESTS, SERVER_FRAMEWORKS, SERVERS, VARIANTS } from '../src/server/apps.js';
import { checkServer, directTarget } from '../src/server/direct.js';
import Fastify from 'fastify';
import Koa from 'koa';
import { caseById, originList, PATH, PREFLIGHT_METHOD } from '../src/config.js';
import { floorAnswer, floorHook, floorKoa } from '../src/inprocess/drivers/shared.js';

const ALLOWED = originList(10).at(-1)!;
const started: Server[] = [];
afterAll(async () => {
  for (const server of started) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('server benchmark apps', () => {
  it('run every adapter package of the workspace as `ours`', () => {
    expect(adapterPackages().length).toBeGreaterThanOrEqual(7);
    expect(missingAdapters(Object.values(SERVERS).map((s) => s.package))).toEqual([]);
  });

  // The new frameworks' four variants over real HTTP (the others are exercised by `pnpm bench`).
  for (const framework of SERVER_FRAMEWORKS.filter((f) => ['hono', 'hapi', 'h3'].includes(f))) {
    for (const variant of VARIANTS) {
      it(`${framework} ${variant}: 200 {"ok":true}, and CORS headers unless bare`, async () => {
        const server = await SERVERS[framework].start(variant);
        started.push(server);
        const reply = await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`, { headers: { Origin: ALLOWED } });
        expect(reply.status).toBe(200);
        expect(JSON.parse(reply.body)).toEqual({ ok: true });
        expect(values(reply, 'access-control-allow-origin')).toEqual(variant === 'bare' ? [] : [ALLOWED]);
      });
    }
  }

  // The direct part checks each variant it times as the loopback part does (status and CORS headers).
  it('direct: every variant of every framework passes the check before it is timed', async () => {
    const problems: string[] = [];
    for (const framework of SERVER_FRAMEWORKS) {
      for (const variant of VARIANTS) {
        const server = await SERVERS[framework].start(variant);
        started.push(server);
        for (const kind of KINDS.filter((k) => KIND_VARIANTS[k].includes(variant))) {
          const problem = await checkServer(directTarget(server, variant), kind);
          if (problem !== undefined) problems.push(`${framework} ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('direct: a preflight answered 204 without CORS headers fails the check (a refusal is not timed as an answer)', async () => {
    const refusing = createServer((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    expect(await checkServer(directTarget(refusing, 'incumbent'), 'preflight')).toMatch(/incumbent preflight: expected Access-Control-Allow-Origin: \S+, got undefined/);
  });

  // Every preflight ratio compares two correct answers: the incumbent and ours of each framework
  // answer the benchmark's preflight (hapi's own CORS answered 404 while no route served PUT).
  for (const framework of SERVER_FRAMEWORKS) {
    for (const variant of ['incumbent', 'ours'] as const) {
      it(`${framework} ${variant}: answers the benchmark's preflight`, async () => {
        const server = await SERVERS[framework].start(variant);
        started.push(server);
        const { method, headers } = REQUESTS.preflight;
        const reply = await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`, { method, headers: { ...headers } });
        expect([200, 204]).toContain(reply.status);
        expect(values(reply, 'access-control-allow-origin')).toEqual([ALLOWED]);
        expect(values(reply, 'access-control-allow-methods').join()).toContain(PREFLIGHT_METHOD);
      });
    }
  }
});

// The framework minimum models what a correct layer must do in that framework (README, part 3), the floor does not.
describe('framework minimum', () => {
  const answer = floorAnswer(caseById('simple-10'));
  const get = async (server: Server): Promise<string[]> => {
    started.push(server);
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return values(await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`, { headers: { Origin: ALLOWED } }), 'access-control-allow-origin');
  };

  it('Koa: the minimum keeps the answer on an error response (Koa\'s ctx.onerror removes every header), the floor loses it', async () => {
    const koa = (minimum: boolean): Server => {
      const app = new Koa();
      app.silent = true;
      app.use(floorKoa(answer, minimum));
      app.use(() => {
        throw new Error('boom');
      });
      return createServer(app.callback());
    };
    expect(await get(koa(true))).toEqual([ALLOWED]);
    expect(await get(koa(false))).toEqual([]);
  });

  it('Fastify and NestJS on Fastify: the minimum keeps the answer on a head written on the Node response directly — what a middleware run by @fastify/middie (Nest middleware too) does, played here by a hook — the floor does not', async () => {
    const fastify = async (minimum: boolean): Promise<Server> => {
      const app = Fastify();
      app.addHook('onRequest', floorHook(answer, minimum) as never);
      // What a middleware run by @fastify/middie does: answer on the Node response, past the reply.
      app.addHook('onRequest', (_request, reply) => {
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/plain' });
        reply.raw.end('from middleware');
      });
      app.get(PATH, () => 'route');
      await app.listen({ port: 0, host: '127.0.0.1' });
      return app.server;
    };
    expect(await get(await fastify(true))).toEqual([ALLOWED]);
    expect(await get(await fastify(false))).toEqual([]);
  });
});
