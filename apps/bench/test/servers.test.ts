// The server benchmark's apps answer what they claim, and cover every adapter package.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { send, values } from '@preflight/cors-conformance';
import { adapterPackages, missingAdapters } from '../../../tooling/scripts/adapters.mjs';
import { DIRECT_VARIANTS, KINDS, REQUESTS, SERVER_FRAMEWORKS, SERVERS, startHttpServer, VARIANTS } from '../src/server/apps.js';
import { checkServer, directTarget } from '../src/server/direct.js';
import { originList, PATH, PREFLIGHT_METHOD } from '../src/config.js';

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
        const server = await startHttpServer(framework, variant);
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
        const server = await startHttpServer(framework, variant);
        started.push(server);
        for (const kind of KINDS.filter((k) => DIRECT_VARIANTS[k].includes(variant))) {
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
    expect(await checkServer(directTarget(refusing, 'incumbent'), 'preflight')).toMatch(/incumbent preflight: Access-Control-Allow-Origin: undefined/);
  });

  // Every preflight ratio compares two correct answers: the incumbent and ours of each framework
  // answer the benchmark's preflight (hapi's own CORS answered 404 while no route served PUT).
  for (const framework of SERVER_FRAMEWORKS) {
    for (const variant of ['incumbent', 'ours'] as const) {
      it(`${framework} ${variant}: answers the benchmark's preflight`, async () => {
        const server = await startHttpServer(framework, variant);
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
